"""/healthz: 200 when the database and the queue answer, 503 fast when either is down."""

import json
import socket
import subprocess
import sys
import time

import pytest
from django.db import connection, connections
from huey.contrib.djhuey import HUEY

from steward.core.health import HEARTBEAT_KEY, record_worker_heartbeat
from steward.core.testing import require_postgres, require_redis, steward_env

# Runs /healthz through the whole Django stack in a fresh process configured only by STEWARD_* variables.
HEALTHZ_IN_SUBPROCESS = """
import json, os, time
os.environ["DJANGO_SETTINGS_MODULE"] = "steward.settings"
import django
django.setup()
from django.test import Client
started = time.monotonic()
response = Client(HTTP_HOST="localhost").get("/healthz")
print(json.dumps({"status": response.status_code, "report": response.json(), "seconds": time.monotonic() - started}))
"""


def healthz_in_subprocess(tmp_path, **variables):
    result = subprocess.run(
        [sys.executable, "-c", HEALTHZ_IN_SUBPROCESS],
        env=steward_env(tmp_path, **variables),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def silent_server():
    """A TCP port that accepts connections and never answers: a hung server."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(16)
        yield server.getsockname()[1]


def test_healthz_ok_when_database_and_queue_answer(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    report = response.json()
    assert report["status"] == "ok"
    assert report["database"]["status"] == "ok"
    assert report["database"]["vendor"] == connection.vendor
    assert report["queue"]["status"] == "ok"
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_reports_the_worker_heartbeat_without_failing_on_it(client, db):
    HUEY.delete(HEARTBEAT_KEY)
    unknown = client.get("/healthz").json()["worker"]

    record_worker_heartbeat()
    fresh = client.get("/healthz").json()["worker"]

    HUEY.put(HEARTBEAT_KEY, {"at": time.time() - 600, "host": "old", "pid": 1})
    stale = client.get("/healthz")

    assert unknown["status"] == "unknown"
    assert fresh["status"] == "ok" and fresh["age_seconds"] <= 1
    assert stale.status_code == 200  # a web node stays in service while no worker runs
    assert stale.json()["worker"]["status"] == "stale"
    assert stale.json()["worker"]["age_seconds"] >= 600


def test_healthz_503_when_database_refuses_connections(tmp_path):
    answer = healthz_in_subprocess(tmp_path, DATABASE_URL="postgres://x:y@127.0.0.1:1/x")

    assert answer["status"] == 503
    assert answer["report"]["status"] == "down"
    assert answer["report"]["database"]["status"] == "down"
    assert "OperationalError" in answer["report"]["database"]["error"]
    assert answer["report"]["queue"]["status"] == "ok"
    assert answer["seconds"] < 5


def test_healthz_503_within_connect_timeout_when_database_hangs(tmp_path, silent_server):
    answer = healthz_in_subprocess(
        tmp_path, DATABASE_URL=f"postgres://x:y@127.0.0.1:{silent_server}/x", DB_CONNECT_TIMEOUT=2
    )

    assert answer["status"] == 503
    assert answer["report"]["database"]["status"] == "down"
    assert answer["seconds"] < 8


def test_healthz_503_when_redis_refuses_connections(tmp_path):
    answer = healthz_in_subprocess(tmp_path, REDIS_URL="redis://127.0.0.1:1/0")

    assert answer["status"] == 503
    assert answer["report"]["status"] == "down"
    assert answer["report"]["database"]["status"] == "ok"
    assert answer["report"]["queue"]["status"] == "down"
    assert "ConnectionError" in answer["report"]["queue"]["error"]
    assert answer["report"]["worker"]["status"] == "unknown"
    assert answer["seconds"] < 5


def test_healthz_503_within_socket_timeout_when_redis_hangs(tmp_path, silent_server):
    answer = healthz_in_subprocess(tmp_path, REDIS_URL=f"redis://127.0.0.1:{silent_server}/0")

    assert answer["status"] == 503
    assert answer["report"]["queue"]["status"] == "down"
    assert "Timeout" in answer["report"]["queue"]["error"]
    assert answer["seconds"] < 6


def test_healthz_ok_on_redis(tmp_path):
    redis_url = require_redis()

    answer = healthz_in_subprocess(tmp_path, REDIS_URL=redis_url)

    assert answer["status"] == 200, answer
    assert answer["report"]["queue"]["backend"] == "RedisHuey"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_healthz_503_when_postgres_drops_the_connection_then_recovers(client):
    require_postgres()
    # given: a live connection, which the server then terminates (as on a restart)
    connection.ensure_connection()
    backend_pid = connection.connection.info.backend_pid
    killer = connections.create_connection("default")
    try:
        with killer.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [backend_pid])
    finally:
        killer.close()

    # when
    started = time.monotonic()
    down = client.get("/healthz")
    seconds = time.monotonic() - started
    after = client.get("/healthz")

    # then: reported down fast, and the next check reconnects
    assert down.status_code == 503
    assert down.json()["database"]["status"] == "down"
    assert seconds < 5
    assert after.status_code == 200
