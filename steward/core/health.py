"""Health of the parts Steward needs: the database and the task queue."""

import time

from django.db import connection
from huey.contrib.djhuey import HUEY


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
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"vendor": connection.vendor}


def _queue():
    return {"backend": type(HUEY).__name__, "pending": HUEY.pending_count()}


def check_health():
    database = _timed(_database)
    if database["status"] != "ok":
        # Drop the broken connection so the next request reconnects instead of reusing it.
        connection.close_if_unusable_or_obsolete()
    queue = _timed(_queue)
    healthy = database["status"] == "ok" and queue["status"] == "ok"
    return {"status": "ok" if healthy else "down", "database": database, "queue": queue}
