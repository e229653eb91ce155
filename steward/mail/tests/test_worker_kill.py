"""Kill a real `steward worker` in the middle of a batch: after a restart every message is processed once."""

import os
import signal
import sqlite3
import subprocess
import sys

from steward.core.testing import run_steward, steward_env, wait_for

COUNT = 40

STAGE = f"""
from steward.clients.models import Client
from steward.mail import ingest
from steward.mail.choices import Source
from steward.mail.tests.inbound_fixtures import raw_email
Client.objects.create(name="Acme Dental", short_code="ACME", email_domains=["acme.test"])
for i in range({COUNT}):
    ingest.store_raw(raw_email(sender=f"user{{i}}@acme.test", subject=f"Request {{i}}"), source=Source.COMMAND)
"""

# The worker under test, slowed down inside its transaction so the kill lands mid-message.
SLOW_WORKER = """
import time, django
django.setup()
from steward.mail import processing
handle = processing._handle
def slow_handle(message, parsed, batch):
    result = handle(message, parsed, batch)
    time.sleep(0.15)
    return result
processing._handle = slow_handle
from django.core.management import call_command
call_command("worker", "--no-periodic")
"""

RECOVER = "from steward.mail.tasks import recover_inbound_task; recover_inbound_task.call_local()"


def counts(db_path):
    with sqlite3.connect(db_path, timeout=10) as conn:
        rows = dict(conn.execute("SELECT status, COUNT(*) FROM mail_inboundmessage GROUP BY status").fetchall())
        entries = conn.execute("SELECT COUNT(*) FROM desk_ticket WHERE source = 'email'").fetchone()[0]
    return rows, entries


def start_worker(env, slow):
    command = [sys.executable, "-c", SLOW_WORKER] if slow else [sys.executable, "-m", "steward", "worker", "--no-periodic"]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_killed_worker_mid_batch_loses_and_duplicates_nothing(tmp_path):
    # given: a migrated data folder with 40 stored messages queued for processing
    env = steward_env(tmp_path, MAIL_CLAIM_TIMEOUT_SECONDS=2, MAIL_RATE_LIMIT=1000, MAIL_BATCH_SIZE=4)
    env["DJANGO_SETTINGS_MODULE"] = "steward.settings"
    assert run_steward("migrate", "--no-input", env=env, timeout=120).returncode == 0
    staged = run_steward("shell", "-c", STAGE, env=env, timeout=120)
    assert staged.returncode == 0, staged.stderr
    db_path = tmp_path / "steward.sqlite3"

    # when: a worker is killed outright once it is part-way through
    worker = start_worker(env, slow=True)
    try:
        assert wait_for(lambda: counts(db_path)[0].get("processed", 0) >= 8, 60), "the worker processed nothing"
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    statuses, _ = counts(db_path)
    assert statuses.get("processed", 0) < COUNT, "the worker finished before it could be killed"

    # and: a new worker starts; the recovery sweep requeues what the dead one held, once its claim is stale
    worker = start_worker(env, slow=False)
    try:
        def all_done():
            run_steward("shell", "-c", RECOVER, env=env)
            return counts(db_path)[0] == {"processed": COUNT}

        assert wait_for(all_done, 90, interval=2.5), counts(db_path)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)

    # then: one ticket per message, no message twice
    statuses, tickets = counts(db_path)
    assert statuses == {"processed": COUNT} and tickets == COUNT
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT COUNT(DISTINCT subject) FROM desk_ticket").fetchone()[0] == COUNT
