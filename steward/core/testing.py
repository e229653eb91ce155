"""Helpers for tests that need real services (PostgreSQL, Redis) or run `steward` in a subprocess.

A test that needs a service which is missing is skipped on a laptop but fails in CI
(CI set in the environment): CI must never pass because a service quietly went away.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
import redis

REDIS_URL = os.environ.get("STEWARD_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def in_ci():
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def service_missing(message):
    """Skip the test, or fail it in CI."""
    if in_ci():
        pytest.fail(f"{message} (CI is set, so this fails instead of skipping)", pytrace=False)
    pytest.skip(message)


def require_redis():
    """URL of a reachable Redis for tests (database 15 unless STEWARD_TEST_REDIS_URL says otherwise)."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=2).ping()
    except redis.RedisError as exc:
        service_missing(f"Redis is not reachable at {REDIS_URL} ({exc}); install redis-server or run ./scripts/test")
    return REDIS_URL


def require_postgres():
    """Run only on the PostgreSQL pass of the suite (STEWARD_DATABASE_URL=postgres://...)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL pass (STEWARD_DATABASE_URL=postgres://...)")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def steward_env(data_dir, **variables):
    """Environment for a `steward` subprocess: its own data folder, SQLite and the file queue unless given."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("STEWARD_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests; `check --deploy` flags it
    env["STEWARD_DATA_DIR"] = str(data_dir)
    env.update({f"STEWARD_{key}": str(value) for key, value in variables.items()})
    return env


def steward_command(*args):
    return [sys.executable, "-m", "steward", *args]


def run_steward(*args, env, timeout=60):
    return subprocess.run(steward_command(*args), env=env, capture_output=True, text=True, timeout=timeout)


def http_get(url, headers=None, method="GET", data=None, timeout=5):
    """(status, parsed JSON or text) of a real HTTP request; errors are answers too."""
    request = urllib.request.Request(url, headers=headers or {}, method=method, data=data)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, body = exc.code, exc.read()
    try:
        return status, json.loads(body)
    except ValueError:
        return status, body.decode(errors="replace")


def wait_for(predicate, timeout, interval=0.2):
    """Call ``predicate`` until it returns something truthy; return that, or None after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    return None


def child_pids(pid):
    """Direct children of ``pid`` (Linux /proc)."""
    children = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(entry))
    return children


def pid_alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
