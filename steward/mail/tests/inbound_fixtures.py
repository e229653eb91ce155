"""Inbound mail: a support mailbox and a builder of raw messages as mail programs send them."""

import itertools
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import pytest
from django.utils import timezone

from steward.mail.choices import MailboxKind
from steward.mail.models import Mailbox

_counter = itertools.count(1)


def raw_email(
    *,
    sender="bob@acme.test",
    name="Bob Acme",
    to="support@msp.test",
    cc=None,
    subject="Printer is broken",
    body="The printer on reception shows error 42.",
    message_id=None,
    in_reply_to=None,
    references=None,
    headers=None,
    attachments=(),
) -> bytes:
    """A raw RFC 5322 message; every call gets a fresh Message-ID unless one is given."""
    message = EmailMessage()
    if sender is not None:
        message["From"] = f"{name} <{sender}>" if name else sender
    message["To"] = to
    if cc:
        message["Cc"] = ", ".join(cc) if isinstance(cc, (list, tuple)) else cc
    message["Subject"] = subject
    message["Date"] = format_datetime(timezone.now())
    message["Message-ID"] = message_id or make_msgid(idstring=str(next(_counter)), domain="mail.test")
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    if references:
        message["References"] = references
    for key, value in (headers or {}).items():
        message[key] = value
    message.set_content(body)
    for filename, content_type, content in attachments:
        maintype, subtype = content_type.split("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes()


@pytest.fixture
def support_mailbox(db):
    """support@msp.test, the provider's help desk address (webhook secret 's3cret')."""
    return Mailbox.objects.create(
        name="Support", address="support@msp.test", kind=MailboxKind.WEBHOOK, webhook_secret="s3cret"
    )
