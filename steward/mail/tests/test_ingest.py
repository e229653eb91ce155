import hashlib
import os

from django.core.files.storage import default_storage

from steward.mail import ingest
from steward.mail.choices import InboundStatus, Source
from steward.mail.models import InboundMessage
from steward.mail.tests.inbound_fixtures import raw_email


def test_store_raw_writes_bytes_at_content_address_and_row(support_mailbox):
    raw = raw_email(subject="=?utf-8?q?Drucker_kaputt_=E2=80=93_bitte?=", message_id="<abc@mail.test>")

    message, created = ingest.store_raw(raw, source=Source.WEBHOOK, mailbox=support_mailbox)

    sha = hashlib.sha256(raw).hexdigest()
    assert created and message.sha256 == sha and message.size == len(raw)
    assert message.raw.name == f"mail/raw/{sha[:2]}/{sha}.eml"
    assert default_storage.open(message.raw.name).read() == raw
    assert message.status == InboundStatus.PENDING
    assert (message.message_id, message.from_address) == ("abc@mail.test", "bob@acme.test")
    assert message.subject == "Drucker kaputt – bitte"


def test_store_raw_twice_returns_the_first_row(support_mailbox):
    raw = raw_email()
    first, created = ingest.store_raw(raw, source=Source.IMAP, mailbox=support_mailbox)

    again, created_again = ingest.store_raw(raw, source=Source.SMTP)

    assert created and not created_again and again.pk == first.pk
    assert InboundMessage.objects.count() == 1


def test_store_raw_queues_processing_after_commit(support_mailbox, client_a_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message, _ = ingest.store_raw(raw_email(), source=Source.WEBHOOK, mailbox=support_mailbox)

    assert len(callbacks) >= 1
    message.refresh_from_db()
    assert message.status == InboundStatus.PROCESSED and message.ticket.requester == client_a_user.contact


def test_store_raw_keeps_garbage_that_has_no_headers_at_all(db):
    message, created = ingest.store_raw(b"\x00\xff not a message \r\n\r\n", source=Source.COMMAND)

    assert created and message.message_id == "" and message.from_address == ""


def test_store_raw_flushes_file_and_folders_to_disk_before_the_row_commits(support_mailbox, monkeypatch):
    # given: fsync records which paths it flushed and whether the row existed yet
    flushed = []
    real_fsync = ingest.os.fsync

    def recording_fsync(fd):
        flushed.append((os.readlink(f"/proc/self/fd/{fd}"), InboundMessage.objects.exists()))
        real_fsync(fd)

    monkeypatch.setattr(ingest.os, "fsync", recording_fsync)
    raw = raw_email(subject="Flushed")

    # when: the message is stored
    message, created = ingest.store_raw(raw, source=Source.WEBHOOK, mailbox=support_mailbox)

    # then: the file, its folder and the new folders' parents were flushed, all before the row existed
    path = default_storage.path(message.raw.name)
    paths = [p for p, _ in flushed]
    assert created and paths[:2] == [path, os.path.dirname(path)]
    assert os.path.dirname(os.path.dirname(path)) in paths
    assert not any(row_existed for _, row_existed in flushed)
