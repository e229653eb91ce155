from steward.mail import ingest, processing
from steward.mail.choices import Source


def deliver(raw: bytes, mailbox=None, *, source=Source.WEBHOOK):
    """Store a raw message and process it at once (what the worker does after the commit)."""
    message, _ = ingest.store_raw(raw, source=source, mailbox=mailbox)
    processing.process_inbound(message.pk)
    message.refresh_from_db()
    return message
