"""Inbound SMTP listener (``steward mail smtpd``), for providers that route a domain's mail to Steward.

Built on aiosmtpd. It accepts mail only for active SMTP mailboxes, and answers 250 only
after the message is in the raw store; a storage or database failure answers 451, so the
sending server keeps the message and tries again later.
"""

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor

from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import DatabaseError, close_old_connections

from steward.mail import ingest
from steward.mail.choices import MailboxKind, Source
from steward.mail.models import Mailbox

log = logging.getLogger(__name__)


class InboundHandler:
    """aiosmtpd handler: RCPT checks the address, DATA stores the message before answering."""

    def __init__(self, workers: int = 4):
        # The ORM is synchronous: database work runs on a small pool, never on the event loop.
        self.executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="smtpd-db")

    async def _run(self, function, *args):
        def call():
            close_old_connections()
            try:
                return function(*args)
            finally:
                close_old_connections()

        return await asyncio.get_running_loop().run_in_executor(self.executor, call)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        try:
            mailbox = await self._run(_mailbox_for, address)
        except DatabaseError:
            log.exception("Could not look up the recipient %s", address)
            return "451 4.3.0 Temporary failure, try again later"
        if mailbox is None:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        try:
            message, created = await self._run(_store, raw, envelope.rcpt_tos)
        except (DatabaseError, OSError):
            log.exception("Could not store a message for %s", ", ".join(envelope.rcpt_tos))
            return "451 4.3.0 Could not store the message, try again later"
        log.info("Stored inbound message %s from %s (%s)", message.pk, envelope.mail_from, "new" if created else "duplicate")
        return "250 2.0.0 Message accepted"


def _mailbox_for(address: str):
    return Mailbox.objects.filter(address__iexact=address.strip(), is_active=True, kind=MailboxKind.SMTP).first()


def _store(raw: bytes, recipients):
    # One message for several of our addresses is stored once (same bytes), under the first mailbox.
    mailbox = next((m for m in (_mailbox_for(r) for r in recipients) if m is not None), None)
    return ingest.store_raw(raw, source=Source.SMTP, mailbox=mailbox)


def controller(host: str = "127.0.0.1", port: int = 2525) -> Controller:
    """An SMTP server (not started yet) that feeds the raw store."""
    return Controller(
        InboundHandler(),
        hostname=host,
        port=port,
        data_size_limit=settings.MAIL_MAX_MESSAGE_BYTES,
        server_hostname=settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "steward",
        ready_timeout=10,
    )
