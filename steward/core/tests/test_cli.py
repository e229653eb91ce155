"""The `steward` command line for real: serve, worker and token run as subprocesses."""

import io
import os
import signal
import subprocess
import time

import pytest
from django.core.management import CommandError, call_command
from huey import RedisHuey, SqliteHuey

from steward.accounts.models import ApiToken
from steward.core.health import HEARTBEAT_KEY
from steward.demo import logins as demo_logins
from steward.core.testing import (
    child_pids,
    free_port,
    http_get,
    pid_alive,
    require_redis,
    run_steward,
    steward_command,
    steward_env,
    wait_for,
)

STARTUP_TIMEOUT = 60


class Served:
    """A `steward serve` subprocess on a free port with its own data folder (SQLite)."""

    def __init__(self, data_dir, *options):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = steward_env(data_dir)
        self.log = open(data_dir / "serve.log", "w+")
        self.process = subprocess.Popen(
            steward_command("serve", "--port", str(self.port), "--workers", "1", *options),
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )

    def output(self):
        self.log.seek(0)
        return self.log.read()

    def wait_healthy(self):
        """Seconds until /healthz reports database, queue and worker ok."""
        started = time.monotonic()

        def healthy():
            assert self.process.poll() is None, f"steward serve exited early:\n{self.output()}"
            try:
                status, report = http_get(f"{self.url}/healthz")
            except OSError:
                return None
            return status == 200 and report["worker"]["status"] == "ok" and report

        report = wait_for(healthy, STARTUP_TIMEOUT)
        assert report, f"/healthz not healthy within {STARTUP_TIMEOUT} s:\n{self.output()}"
        assert report["database"]["status"] == "ok"
        assert report["queue"]["status"] == "ok"
        return time.monotonic() - started

    def stop(self, signum=signal.SIGINT, timeout=30):
        if self.process.poll() is None:
            self.process.send_signal(signum)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    server = Served(tmp_path_factory.mktemp("serve"))
    try:
        server.wait_healthy()
        yield server
    finally:
        server.stop()


def test_serve_prints_url_and_admin_hint(served):
    output = served.output()
    assert f"Steward is running at {served.url}/" in output
    assert "steward createadmin" in output


def test_serve_healthz_reports_database_queue_and_worker(served):
    status, report = http_get(f"{served.url}/healthz")

    assert status == 200
    assert report["status"] == "ok"
    assert report["database"] == {"status": "ok", "vendor": "sqlite", "ms": report["database"]["ms"]}
    assert report["queue"]["backend"] == "SqliteHuey"
    assert report["worker"]["age_seconds"] < 120


def test_token_from_cli_authenticates_against_live_api(served):
    # given: an admin and a read token, made the way the README says
    created = run_steward("createadmin", "--username", "olivia", "--no-input", env=served.env)
    assert created.returncode == 0, created.stderr
    made = run_steward("token", "create", "--user", "olivia", "--scope", "read", "--name", "test", env=served.env)
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip()
    assert made.stdout.count("\n") == 1 and token.startswith("stw_")
    assert "read token" in made.stderr
    auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    # when
    status, me = http_get(f"{served.url}/api/v1/users/me", headers=auth)
    write_status, write_answer = http_get(f"{served.url}/api/v1/clients", headers=auth, method="POST", data=b"{}")
    anonymous_status, _ = http_get(f"{served.url}/api/v1/users/me")

    # then
    assert status == 200, me
    assert me["username"] == "olivia"
    assert write_status == 403, write_answer
    assert "read-only" in write_answer["detail"]
    assert anonymous_status == 401


def test_token_cli_errors_exit_non_zero(served):
    unknown = run_steward("token", "create", "--user", "nobody", env=served.env)
    bad_scope = run_steward("token", "create", "--user", "olivia", "--scope", "admin", env=served.env)

    assert unknown.returncode != 0
    assert "No user named 'nobody'" in unknown.stderr
    assert unknown.stdout == ""
    assert bad_scope.returncode != 0
    assert "Unknown scope 'admin': use read or write" in bad_scope.stderr


def test_serve_stops_both_children_on_ctrl_c(tmp_path):
    # given
    server = Served(tmp_path)
    seconds = server.wait_healthy()
    children = child_pids(server.process.pid)
    assert len(children) == 2, children

    # when
    code = server.stop(signal.SIGINT)

    # then
    assert code == 0, server.output()
    assert "Steward stopped." in server.output()
    assert not [pid for pid in children if pid_alive(pid)]
    print(f"steward serve: healthy {seconds:.1f} s after start")


def test_serve_demo_loads_an_empty_database_once_and_prints_the_logins(tmp_path):
    # given: the first start on an empty data folder
    first = Served(tmp_path, "--demo")
    first.wait_healthy()
    assert first.stop() == 0
    first_output = first.output()

    # when: started again on the same data
    again = Served(tmp_path, "--demo")
    again.wait_healthy()
    assert again.stop() == 0

    # then
    assert "Loading the demo data" in first_output
    assert "Demo logins:" in first_output
    for role, username, password in demo_logins():
        assert any(username in line and password in line and role in line for line in first_output.splitlines())
    assert "Loading the demo data" not in again.output()
    assert "Demo logins:" in again.output()


def test_serve_stops_and_fails_when_a_child_dies(tmp_path):
    # given
    server = Served(tmp_path)
    server.wait_healthy()
    children = child_pids(server.process.pid)
    worker = next(pid for pid in children if "worker" in open(f"/proc/{pid}/cmdline").read().split("\0"))
    web = next(pid for pid in children if pid != worker)

    # when: the worker is killed outright
    os.kill(worker, signal.SIGKILL)
    code = server.process.wait(30)

    # then: the web server was stopped too, and serve says why
    assert code != 0
    assert not pid_alive(web)
    assert "The worker was killed by SIGKILL; Steward stopped." in server.output()


@pytest.mark.parametrize("backend", ["sqlite", "redis"])
def test_worker_executes_task_enqueued_by_another_process(tmp_path, backend):
    # given: a worker on its own data folder, and a view of the same queue from here
    if backend == "redis":
        redis_url = require_redis()
        env = steward_env(tmp_path, REDIS_URL=redis_url)
        queue = RedisHuey("steward", url=redis_url)
        queue.flush()
    else:
        env = steward_env(tmp_path)
        queue = SqliteHuey("steward", filename=str(tmp_path / "tasks.sqlite3"))
    worker = subprocess.Popen(
        steward_command("worker", "--no-periodic"), env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        assert wait_for(lambda: queue.get(HEARTBEAT_KEY, peek=True), 30), "the worker never reported in"
        queue.delete(HEARTBEAT_KEY)

        # when: another process (as the web server would) enqueues the heartbeat task
        enqueued = run_steward(
            "shell", "-c", "from steward.core.tasks import record_heartbeat_task; record_heartbeat_task()", env=env
        )
        assert enqueued.returncode == 0, enqueued.stderr

        # then: the worker runs it
        beat = wait_for(lambda: queue.get(HEARTBEAT_KEY, peek=True), 30)
        assert beat, "the worker did not run the enqueued task"
        assert beat["pid"] == worker.pid
    finally:
        worker.send_signal(signal.SIGTERM)
        output = worker.communicate(timeout=30)[0].decode()
    assert worker.returncode == 0, output
    assert "record_heartbeat_task" in output


def test_token_create_prints_only_the_token(technician):
    out, err = io.StringIO(), io.StringIO()

    call_command("token", "create", "--user", "tom", "--scope", "write", "--name", "ci", stdout=out, stderr=err)

    token = ApiToken.objects.get(user=technician)
    assert out.getvalue() == out.getvalue().strip() + "\n"
    assert out.getvalue().startswith(f"stw_{token.prefix}_")
    assert (token.scope, token.name) == ("write", "ci")
    assert token.prefix in err.getvalue()


def test_token_list_and_revoke(technician):
    call_command("token", "create", "--user", "tom", stdout=io.StringIO(), stderr=io.StringIO())
    token = ApiToken.objects.get()
    listed, revoked = io.StringIO(), io.StringIO()

    call_command("token", "list", "--user", "tom", stdout=listed)
    call_command("token", "revoke", token.prefix, stdout=revoked)

    assert token.prefix in listed.getvalue() and "tom" in listed.getvalue()
    assert f"Revoked token {token.prefix}" in revoked.getvalue()
    token.refresh_from_db()
    assert token.revoked_at is not None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["create", "--user", "nobody"], "No user named 'nobody'."),
        (["create", "--user", "tom", "--scope", "admin"], "Unknown scope 'admin': use read or write."),
        (["revoke", "deadbeef"], "No token with prefix 'deadbeef'"),
    ],
)
def test_token_command_errors_are_clear(technician, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("token", *args, stdout=io.StringIO(), stderr=io.StringIO())


def test_createadmin_generates_password_when_not_given(db, django_user_model):
    out = io.StringIO()

    call_command("createadmin", "--username", "root", "--email", "root@example.test", "--no-input", stdout=out)

    admin = django_user_model.objects.get(username="root")
    password = out.getvalue().split("Password: ")[1].split()[0]
    assert admin.is_superuser and admin.role == "admin"
    assert admin.check_password(password)


def test_createadmin_rejects_existing_username_and_weak_password(admin_user):
    with pytest.raises(CommandError, match="already exists"):
        call_command("createadmin", "--username", admin_user.username, "--no-input", stdout=io.StringIO())
    with pytest.raises(CommandError, match="Password rejected"):
        call_command("createadmin", "--username", "new", "--password", "123", "--no-input", stdout=io.StringIO())
