"""The database drops every connection (as in a restart) in the middle of a batch: nothing is
lost and nothing is processed twice. Runs in the PostgreSQL pass, against the real server."""

import psycopg
import pytest
from django.db import close_old_connections, connection

from steward.clients.models import Client
from steward.core.testing import require_postgres
from steward.desk.models import Ticket
from steward.mail import ingest, processing, tasks
from steward.mail.choices import InboundStatus, Source
from steward.mail.models import InboundMessage
from steward.mail.tests.inbound_fixtures import raw_email

pytestmark = pytest.mark.django_db(transaction=True)


def drop_connection_from_server(conn):
    """Have the server end this connection's session, exactly what a restart does to it."""
    pid = conn.connection.info.backend_pid
    with psycopg.connect(**conn.get_connection_params()) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])


def six_stored_requests(monkeypatch, settings) -> list[int]:
    """Six stored requests from Acme people; the worker is driven by hand and claims go stale at once."""
    settings.MAIL_CLAIM_TIMEOUT_SECONDS = 0
    monkeypatch.setattr(tasks, "process_inbound_task", lambda message_id: None)
    Client.objects.create(name="Acme Dental", short_code="ACME", email_domains=["acme.test"])
    return [
        ingest.store_raw(raw_email(sender=f"user{i}@acme.test", subject=f"Request {i}"), source=Source.COMMAND)[0].pk
        for i in range(6)
    ]


def lose_the_database_after_handling(monkeypatch, count: int) -> None:
    """The server ends the worker's session once ``count`` messages have been handled (not yet committed)."""
    handle = processing._handle
    handled = []

    def handle_then_lose_the_database(message, parsed, batch):
        result = handle(message, parsed, batch)
        handled.append(message.pk)
        if len(handled) == count:
            drop_connection_from_server(connection)
        return result

    monkeypatch.setattr(processing, "_handle", handle_then_lose_the_database)


def test_connection_lost_mid_batch_loses_and_duplicates_nothing(monkeypatch, settings):
    require_postgres()
    # given six stored messages; the worker is driven by hand, one message after another
    ids = six_stored_requests(monkeypatch, settings)
    lose_the_database_after_handling(monkeypatch, 3)  # the third message's ticket is written but not yet committed

    # when the batch runs through the restart (a broken message does not stop the worker)
    crashed = []
    for message_id in ids:
        try:
            processing.process_inbound(message_id)
        except Exception:
            crashed.append(message_id)
        close_old_connections()  # what the worker does after each task: drop an unusable connection
        if connection.connection is not None and connection.is_usable() is False:
            connection.close()

    # then the lost message's ticket rolled back (its committed claim stays, with the attempt counted) and the others went on
    assert crashed == []
    lost = InboundMessage.objects.get(pk=ids[2])
    assert (lost.status, lost.attempts, lost.ticket_id) == (InboundStatus.PROCESSING, 1, None)
    assert Ticket.objects.count() == 5
    # and the recovery sweep, once the claim is stale (at once here), finishes the batch
    for message_id in processing.messages_to_recover():
        processing.process_inbound(message_id)
    statuses = list(InboundMessage.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == [InboundStatus.PROCESSED] * 6
    subjects = sorted(Ticket.objects.values_list("subject", flat=True))
    assert subjects == sorted(f"Request {i}" for i in range(6))
    assert all(m.ticket_id for m in InboundMessage.objects.all())


def test_connection_lost_in_a_batch_rolls_the_batch_back_and_a_rerun_does_each_once(monkeypatch, settings):
    require_postgres()
    # given six stored messages, processed as one batch
    ids = six_stored_requests(monkeypatch, settings)
    lose_the_database_after_handling(monkeypatch, 4)

    # when the database goes away part-way through the batch
    assert processing.process_batch(ids[0]) == []
    close_old_connections()
    if connection.connection is not None and connection.is_usable() is False:
        connection.close()

    # then nothing of the batch stayed but its claims: no ticket, every message claimed once
    assert Ticket.objects.count() == 0
    assert set(InboundMessage.objects.values_list("status", "attempts")) == {(InboundStatus.PROCESSING, 1)}
    # and the recovery sweep, once the claims are stale (at once here), does every message exactly once
    assert len([processing.process_inbound(message_id) for message_id in processing.messages_to_recover()]) == 6
    assert sorted(Ticket.objects.values_list("subject", flat=True)) == sorted(f"Request {i}" for i in range(6))
    assert set(InboundMessage.objects.values_list("status", flat=True)) == {InboundStatus.PROCESSED}
