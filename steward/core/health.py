"""Health of the parts Steward needs: the database, the task queue and a worker.

The overall status is "ok" when the database and the queue answer; it is what a load
balancer or monitor should act on. The worker section is information: a web node stays
in service while no worker runs, but the report says how long ago a worker was last
seen working the queue.
"""

import os
import socket
import time
from datetime import UTC, datetime

from django.db import connection, transaction
from huey.contrib.djhuey import HUEY

HEARTBEAT_KEY = "steward:worker-heartbeat"
# The heartbeat task runs every minute; three missed beats mean no worker is working the queue.
HEARTBEAT_STALE_AFTER = 180
# Longer than any healthy "SELECT 1", short enough that a stuck server cannot hold /healthz.
DATABASE_STATEMENT_TIMEOUT_MS = 3000


def record_worker_heartbeat():
    """Note in the queue's key-value store that a worker is alive; returns the beat."""
    beat = {"at": time.time(), "host": socket.gethostname(), "pid": os.getpid()}
    HUEY.put(HEARTBEAT_KEY, beat)
    return beat


def _timed(check):
    started = time.monotonic()
    try:
        detail = check()
        state = {"status": "ok"}
        if detail is not None:
            state.update(detail)
    except Exception as exc:  # any failure is a health finding, reported rather than raised
        state = {"status": "down", "error": f"{type(exc).__name__}: {exc}"[:300]}
    state["ms"] = round((time.monotonic() - started) * 1000, 1)
    return state


def _database():
    # Connecting is bounded by connect_timeout (settings); the query by a statement timeout.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with transaction.atomic():
                cursor.execute("SET LOCAL statement_timeout = %s", [DATABASE_STATEMENT_TIMEOUT_MS])
                cursor.execute("SELECT 1")
                cursor.fetchone()
        else:
            # No transaction on SQLite: BEGIN IMMEDIATE would wait behind a busy writer.
            cursor.execute("SELECT 1")
            cursor.fetchone()
    return {"vendor": connection.vendor}


def _queue():
    # Redis calls are bounded by the socket timeouts of the connection pool (settings).
    return {"backend": type(HUEY).__name__, "pending": HUEY.pending_count()}


def _worker():
    beat = HUEY.get(HEARTBEAT_KEY, peek=True)
    if beat is None:
        return {"status": "unknown", "detail": "No worker has reported yet; start `steward worker` or `steward serve`."}
    age = max(0.0, time.time() - beat["at"])
    return {
        "status": "ok" if age <= HEARTBEAT_STALE_AFTER else "stale",
        "last_heartbeat": datetime.fromtimestamp(beat["at"], UTC).isoformat(timespec="seconds"),
        "age_seconds": round(age),
        "host": beat.get("host"),
    }


def check_health():
    database = _timed(_database)
    if database["status"] != "ok":
        # Drop the broken connection so the next request reconnects instead of reusing it.
        connection.close_if_unusable_or_obsolete()
    queue = _timed(_queue)
    if queue["status"] == "ok":
        worker = _timed(_worker)
    else:
        worker = {"status": "unknown", "detail": "The queue is down."}
    healthy = database["status"] == "ok" and queue["status"] == "ok"
    return {"status": "ok" if healthy else "down", "database": database, "queue": queue, "worker": worker}
