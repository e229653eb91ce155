"""The inbound SMTP listener, spoken to over a real SMTP exchange with smtplib."""

import smtplib
from unittest import mock

import pytest
from django.db import OperationalError

from steward.core.testing import free_port
from steward.desk.models import Ticket
from steward.mail import ingest
from steward.mail.channels import smtp
from steward.mail.choices import InboundStatus, MailboxKind, Source
from steward.mail.models import InboundMessage, Mailbox
from steward.mail.tests.inbound_fixtures import raw_email


@pytest.fixture
def listener(transactional_db):
    # Committed rows: the listener stores from its own threads and connections.
    Mailbox.objects.create(name="Routed", address="help@msp.test", kind=MailboxKind.SMTP)
    server = smtp.controller("127.0.0.1", free_port())
    server.start()
    yield server
    server.stop()


def send(server, raw, to=("help@msp.test",)):
    with smtplib.SMTP(server.hostname, server.port, timeout=10) as conn:
        return conn.sendmail("bob@acme.test", list(to), raw)


def test_message_sent_to_the_listener_becomes_a_ticket(listener, client_a_user):
    raw = raw_email(to="help@msp.test", subject="Sent over SMTP")

    refused = send(listener, raw)

    assert refused == {}
    message = InboundMessage.objects.get()
    assert message.source == Source.SMTP and message.mailbox.address == "help@msp.test"
    assert ingest.read_raw(message).replace(b"\r\n", b"\n").rstrip() == raw.rstrip()  # SMTP sends CRLF
    assert message.status == InboundStatus.PROCESSED
    assert Ticket.objects.get().subject == "Sent over SMTP"


def test_unknown_recipient_is_refused_at_rcpt(listener):
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        send(listener, raw_email(), to=("nobody@msp.test",))

    assert refused.value.recipients["nobody@msp.test"][0] == 550
    assert not InboundMessage.objects.exists()


def test_storage_failure_answers_451_so_the_sender_retries(listener):
    with mock.patch.object(ingest.InboundMessage, "save", side_effect=OperationalError("disk I/O error")):
        with pytest.raises(smtplib.SMTPDataError) as error:
            send(listener, raw_email())

    assert error.value.smtp_code == 451
    assert not InboundMessage.objects.exists()
    # the sender's retry succeeds once the database is back
    assert send(listener, raw_email()) == {}


def test_message_over_the_size_limit_is_refused(settings, transactional_db):
    settings.MAIL_MAX_MESSAGE_BYTES = 2000
    Mailbox.objects.create(name="Routed", address="help@msp.test", kind=MailboxKind.SMTP)
    server = smtp.controller("127.0.0.1", free_port())
    server.start()
    try:
        with pytest.raises(smtplib.SMTPException):
            send(server, raw_email(body="x" * 5000))
    finally:
        server.stop()
    assert not InboundMessage.objects.exists()
