"""The raw store: every inbound message is written here first, before its source is told "got it".

IMAP flags, the SMTP listener's 250 and the webhook's 202 all wait for ``store_raw`` to
return, and it returns only once the bytes are in file storage and the row is committed.
Processing is a separate job (``steward.mail.processing``), so a parser bug or a database
hiccup later never loses a message: it stays in the store with its error.
"""

import hashlib
import logging
import os
import re
from email.header import decode_header, make_header
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import getaddresses
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from steward.mail import tasks
from steward.mail.choices import InboundStatus
from steward.mail.models import InboundMessage, raw_message_path

log = logging.getLogger(__name__)

MSGID_RE = re.compile(r"<([^<>\s]+)>")


def normalize_message_id(value: str | None) -> str:
    """A Message-ID without its angle brackets and whitespace, the form the store keeps."""
    value = (value or "").strip()
    match = MSGID_RE.search(value)
    return (match.group(1) if match else value.strip("<> \t\r\n"))[:998]


def message_id_forms(values) -> list[str]:
    """Every spelling a stored Message-ID may have (bare and bracketed), for lookups."""
    forms = []
    for value in values:
        bare = normalize_message_id(value)
        if bare:
            forms += [bare, f"<{bare}>"]
    return forms


def _header_text(value) -> str:
    try:
        return str(make_header(decode_header(str(value))))
    except Exception:  # broken encoded words: the raw header is still better than nothing
        return str(value)


def peek_headers(raw: bytes) -> dict:
    """Message-ID, sender and subject, best effort, for finding duplicates and loops fast."""
    try:
        headers = BytesHeaderParser(policy=compat32).parsebytes(raw[:262144])
        addresses = getaddresses([_header_text(headers.get("From", ""))])
        sender = next((address for _, address in addresses if "@" in address), "")
        return {
            "message_id": normalize_message_id(headers.get("Message-ID", "")),
            "from_address": sender.strip().lower()[:320],
            "subject": " ".join(_header_text(headers.get("Subject", "")).split())[:255],
        }
    except Exception:  # the full parse later records what is wrong; storing must not fail on it
        log.warning("Could not read the headers of an inbound message", exc_info=True)
        return {"message_id": "", "from_address": "", "subject": ""}


def recipients_of(message: InboundMessage) -> set[str]:
    """The To and Cc addresses of a stored message, lower-case (read from its headers)."""
    try:
        with default_storage.open(message.raw.name, "rb") as handle:
            headers = BytesHeaderParser(policy=compat32).parsebytes(handle.read(262144))
        fields = [_header_text(v) for v in (headers.get_all("To") or []) + (headers.get_all("Cc") or [])]
        return {address.strip().lower() for _, address in getaddresses(fields) if "@" in address}
    except Exception:
        log.warning("Could not read the recipients of inbound message %s", message.pk, exc_info=True)
        return set()


def store_raw(raw: bytes, *, source: str, mailbox=None) -> tuple[InboundMessage, bool]:
    """Store a raw message (bytes, then row) and queue its processing; the same bytes twice return the first row.

    Returns only after the row is committed, so the caller may then acknowledge the message
    to its source (IMAP \\Seen, SMTP 250, HTTP 202).
    """
    if not isinstance(raw, bytes):
        raise TypeError("store_raw takes the message's bytes")
    sha256 = hashlib.sha256(raw).hexdigest()
    existing = InboundMessage.objects.filter(sha256=sha256).first()
    if existing is not None:
        return existing, False
    message = InboundMessage(
        mailbox=mailbox,
        source=source,
        sha256=sha256,
        size=len(raw),
        received_at=timezone.now(),
        status=InboundStatus.PENDING,
        **peek_headers(raw),
    )
    # Content-addressed: a file left by an earlier attempt that died before its row holds the same bytes.
    name = raw_message_path(message, "")
    if not default_storage.exists(name):
        name = _save_durably(name, raw)
    message.raw.name = name
    try:
        with transaction.atomic(durable=True):
            message.save()
            transaction.on_commit(lambda: _enqueue(message.pk))
    except IntegrityError:
        existing = InboundMessage.objects.filter(sha256=sha256).first()
        if existing is None:
            raise
        return existing, False
    return message, True


def _save_durably(name: str, raw: bytes) -> str:
    """Save the bytes and flush them to disk before the row commits: a power cut must not leave a row without its file."""
    try:
        path = Path(default_storage.path(name))
    except NotImplementedError:  # remote storage: its own write is the durable one
        return default_storage.save(name, ContentFile(raw))
    new_folders = [folder for folder in (path.parent.parent, path.parent) if not folder.exists()]
    name = default_storage.save(name, ContentFile(raw))
    path = Path(default_storage.path(name))
    # The file's bytes, then the folder entry naming it, then the entries of folders made for it.
    for target in (path, path.parent, *(folder.parent for folder in new_folders)):
        fd = os.open(target, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    return name


def _enqueue(message_id: int) -> None:
    try:
        tasks.process_inbound_task(message_id)
    except Exception:
        # The message is stored; the recovery sweep queues it again. Storing must not fail here.
        log.exception("Could not queue inbound message %s; the recovery sweep will", message_id)


def read_raw(message: InboundMessage) -> bytes:
    """The original bytes of a stored message."""
    with default_storage.open(message.raw.name, "rb") as handle:
        return handle.read()
