"""Outgoing email: queue a message as a row in the caller's transaction, send it from the worker.

``queue_email`` renders the text, fixes the Message-ID and the threading headers and
writes an ``OutboundMessage`` (the outbox) in the same transaction as the change that
caused it; after commit ``send_outbound_task`` delivers it through the mailbox's own
SMTP server (or Django's default EMAIL_* settings), retrying with backoff. The row is
the record of what was sent, what failed and why.
"""

import functools
import logging
import re
import secrets
from collections.abc import Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from email.utils import formataddr, parseaddr
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task
from huey.exceptions import RetryTask

from steward.core.bulk import insert_rows
from steward.mail.choices import ImapAuth, OutboundKind, OutboundStatus, Security
from steward.mail.models import EmailTemplate, InboundMessage, Mailbox, OutboundMessage

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# Seconds to wait after attempt n (1-based) before the next: 1 min, 5 min, 25 min, ~2 h.
RETRY_DELAYS = (60, 300, 1500, 7200)
# Past this many, References keeps the first id and the latest ones (RFC 5322 §3.6.4 allows trimming).
MAX_REFERENCES = 20

# Automatic messages carry Auto-Submitted, so well-behaved auto-responders stay quiet (RFC 3834).
AUTOMATIC_KINDS = frozenset(
    {
        OutboundKind.ACKNOWLEDGEMENT,
        OutboundKind.RESOLVED,
        OutboundKind.TECHNICIAN_REPLY,
        OutboundKind.TECHNICIAN_ASSIGNED,
    }
)

DEFAULT_TEMPLATES_DIR = Path(__file__).resolve().parent / "templates" / "mail"

# The placeholders a template may use. Only these are replaced, as plain text:
# user-edited template text never reaches a template engine.
PLACEHOLDERS = {
    "ticket.number": "The ticket number, e.g. 1042",
    "ticket.subject": "The ticket's subject",
    "ticket.status": "Its status, e.g. Resolved",
    "ticket.priority": "Its priority, e.g. P2",
    "ticket.portal_url": "Link to the request in the client portal",
    "ticket.url": "Link to the ticket for technicians",
    "requester.first_name": "The requester's first name",
    "requester.last_name": "The requester's last name",
    "requester.full_name": "The requester's full name",
    "client.name": "The client company's name",
    "technician.first_name": "The technician who replied, or was assigned",
    "technician.last_name": "Their last name",
    "technician.full_name": "Their full name",
    "actor.full_name": "Who made the change (e.g. who assigned the ticket)",
    "message.text": "The text of the reply",
    "message.author": "Who wrote the reply",
}
PLACEHOLDER_RE = re.compile(r"\{\{\s*([a-z_]+\.[a-z_]+)\s*\}\}")
MESSAGE_ID_RE = re.compile(r"<[^<>\s]+@[^<>\s]+>")


# --- Templates ------------------------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def default_template(kind: str) -> tuple[str, str]:
    """The (subject, body) Steward ships for ``kind``; the file's first line is 'Subject: …'."""
    text = (DEFAULT_TEMPLATES_DIR / f"{kind}.txt").read_text(encoding="utf-8")
    first, _, body = text.partition("\n")
    return first.removeprefix("Subject:").strip(), body.lstrip("\n")


# Inside ``templates_read_once()``: kind -> (subject, body), so a batch of emails reads each template once.
_templates: ContextVar[dict | None] = ContextVar("email_templates", default=None)


def template_for(kind: str) -> tuple[str, str]:
    """The (subject, body) in force: the provider's edited version, else the default."""
    cache = _templates.get()
    if cache is not None and kind in cache:
        return cache[kind]
    row = EmailTemplate.objects.filter(kind=kind).values_list("subject", "body").first()
    template = tuple(row) if row else default_template(kind)
    if cache is not None:
        cache[kind] = template
    return template


@contextmanager
def templates_read_once():
    """Read each template at most once in this block (a batch of inbound mail, in one transaction)."""
    token = _templates.set({})
    try:
        yield
    finally:
        _templates.reset(token)


def fill_placeholders(text: str, values: dict) -> str:
    """Replace known placeholders with their values; unknown ones are left as typed."""
    return PLACEHOLDER_RE.sub(lambda match: str(values.get(match[1], match[0])), text)


def _name(person) -> tuple[str, str, str]:
    if person is None:
        return "", "", ""
    full = getattr(person, "full_name", None) or getattr(person, "display_name", "") or ""
    return person.first_name or "", person.last_name or "", full


def placeholder_values(ticket, *, entry=None, technician=None, actor=None) -> dict:
    """The values of every placeholder for this ticket (and reply, technician, actor)."""
    requester = _name(ticket.requester)
    tech = _name(technician)
    author = entry.author_name if entry is not None else ""
    return {
        "ticket.number": str(ticket.number),
        "ticket.subject": ticket.subject,
        "ticket.status": ticket.get_status_display(),
        "ticket.priority": ticket.get_priority_display(),
        "ticket.portal_url": settings.SITE_URL + _ticket_path("portal:request_detail", ticket.number),
        "ticket.url": settings.SITE_URL + _ticket_path("desk:ticket_detail", ticket.number),
        "requester.first_name": requester[0] or "there",
        "requester.last_name": requester[1],
        "requester.full_name": requester[2],
        "client.name": ticket.client.name,
        "technician.first_name": tech[0],
        "technician.last_name": tech[1],
        "technician.full_name": tech[2],
        "actor.full_name": _name(actor)[2] or "Steward",
        "message.text": entry.body if entry is not None else "",
        "message.author": author,
    }


def _ticket_path(view: str, number: int) -> str:
    before, after = _numbered_path(view, get_script_prefix())
    return f"{before}{number}{after}"


@functools.lru_cache(maxsize=32)
def _numbered_path(view: str, prefix: str) -> tuple[str, str]:
    # Resolved once per view (a batch of mail acknowledges hundreds of tickets): the path around the number.
    marker = 918273645
    before, _, after = reverse(view, args=[marker]).partition(str(marker))
    return before, after


def render_text(kind: str, values: dict, *, number: int) -> tuple[str, str]:
    """(subject, text) of a ``kind`` email; the subject always carries [#number]."""
    subject_template, body_template = template_for(kind)
    subject = " ".join(fill_placeholders(subject_template, values).split())  # no line breaks in a header
    tag = f"[#{number}]"
    if tag not in subject:
        subject = f"{subject} {tag}".strip()
    return subject[:255], fill_placeholders(body_template, values)



def html_from_text(subject: str, text: str) -> str:
    """A simple HTML version of a plain-text email: escaped paragraphs, links made clickable."""
    paragraphs = [p.strip("\n") for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip()]
    return render_to_string("mail/layout.html", {"subject": subject, "paragraphs": paragraphs})


# --- Addresses ------------------------------------------------------------------------------


def default_mailbox() -> Mailbox | None:
    """The mailbox Steward sends as when a ticket did not come in by email: the oldest active one."""
    return Mailbox.objects.filter(is_active=True).order_by("pk").first()


def ticket_mailbox(ticket) -> Mailbox | None:
    """The mailbox a ticket's first email came to, so replies come from the address the customer wrote to."""
    return ticket_mailboxes([ticket])[ticket.pk]


def ticket_mailboxes(tickets) -> dict:
    """``ticket_mailbox`` of many tickets in one query: ticket pk -> mailbox."""
    pks = {ticket.pk for ticket in tickets}
    if not pks:
        return {}
    first = {}
    rows = (
        InboundMessage.objects.filter(ticket__in=pks, mailbox__isnull=False)
        .order_by("-received_at", "-pk")  # the oldest last, so it is the one kept
        .select_related("mailbox")
        .only("ticket_id", "received_at", "mailbox")
    )
    for inbound in rows:
        first[inbound.ticket_id] = inbound.mailbox
    fallback = default_mailbox() if pks - set(first) else None
    return {pk: first.get(pk, fallback) for pk in pks}


def own_addresses(mailbox_addresses=None) -> set[str]:
    """Steward's own addresses (every mailbox and the default sender): never a recipient, or mail loops.

    ``mailbox_addresses``: the mailboxes' addresses when the caller has just read them.
    """
    if mailbox_addresses is None:
        mailbox_addresses = Mailbox.objects.values_list("address", flat=True)
    addresses = {address.lower() for address in mailbox_addresses}
    addresses.add(parseaddr(settings.DEFAULT_FROM_EMAIL)[1].lower())
    return addresses


def contact_recipients(contacts) -> list[str]:
    """'Name <address>' of each contact Steward may write to: with an address, active, not bounced."""
    return [
        formataddr((contact.full_name, contact.email))
        for contact in contacts
        # A bounced address (flagged by inbound bounce processing) is not written to again until fixed.
        if contact is not None and contact.email and contact.is_active and contact.email_bounced_at is None
    ]


def user_recipients(users) -> list[str]:
    return [formataddr((user.display_name, user.email)) for user in users if user is not None and user.email and user.is_active]


def _clean_recipients(addresses, *, exclude=(), own=None) -> list[str]:
    own = own_addresses() if own is None else own
    seen = {parseaddr(address)[1].lower() for address in exclude}
    clean = []
    for address in addresses:
        plain = parseaddr(address)[1].lower()
        if not plain or plain in own or plain in seen:
            continue
        seen.add(plain)
        clean.append(address)
    return clean


# --- Message-ID and threading ---------------------------------------------------------------


def sender_address(mailbox: Mailbox | None) -> str:
    return mailbox.address if mailbox is not None else parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def new_message_id(ticket, *, mailbox: Mailbox | None, entry=None, kind: str = "") -> str:
    """A Message-ID that names the ticket and entry: <ticket-1042.entry-77.3f9a…@support.example>."""
    domain = sender_address(mailbox).rpartition("@")[2] or "steward.invalid"
    part = f"entry-{entry.pk}" if entry is not None else kind.replace("_", "-")
    return f"<ticket-{ticket.number}.{part}.{secrets.token_hex(8)}@{domain}>"


def normalize_message_id(value: str) -> str:
    """'<id@host>' from a stored id with or without angle brackets; '' when it is not one."""
    value = (value or "").strip()
    if value and not value.startswith("<"):
        value = f"<{value}>"
    return value if MESSAGE_ID_RE.fullmatch(value) else ""


def thread_headers(ticket, *, in_reply_to: str = "", new_ticket: bool = False) -> dict:
    """In-Reply-To and References from the ticket's earlier emails, in and out, oldest first.

    ``new_ticket``: the ticket was just opened by the message ``in_reply_to``; it has no other emails yet.
    """
    history = None if new_ticket else _email_history([ticket])[ticket.pk]
    return _thread_headers(history, in_reply_to)


# Inside ``messages_received()``: ticket pk -> [(received at, Message-ID)] of inbound mail written to the
# ticket in this transaction whose own rows do not say so yet (a batch marks its messages at the end).
_received: ContextVar[dict | None] = ContextVar("received_meanwhile", default=None)


@contextmanager
def messages_received():
    """Within: emails queued about a ticket thread under the messages ``note_received`` names too."""
    token = _received.set({})
    try:
        yield
    finally:
        _received.reset(token)


def note_received(ticket_pk: int, at, message_id: str) -> None:
    received = _received.get()
    if received is not None and message_id:
        received.setdefault(ticket_pk, []).append((at, message_id))


def _email_history(tickets) -> dict:
    """Ticket pk -> the (time, Message-ID, inbound?) of its emails in and out, in two queries."""
    pks = {ticket.pk for ticket in tickets}
    history = {pk: [] for pk in pks}
    if not pks:
        return history
    received = InboundMessage.objects.filter(ticket__in=pks).exclude(message_id="")
    meanwhile = _received.get() or {}
    for pk, at, mid in [
        *received.values_list("ticket_id", "received_at", "message_id"),
        *((pk, at, mid) for pk in pks for at, mid in meanwhile.get(pk, ())),
    ]:
        history[pk].append((at, normalize_message_id(mid), True))
    for pk, at, mid in OutboundMessage.objects.filter(ticket__in=pks).values_list("ticket_id", "created_at", "message_id"):
        history[pk].append((at, normalize_message_id(mid), False))
    return history


def _thread_headers(history, in_reply_to: str) -> dict:
    if history is None:  # a new ticket: the message that opened it is its only email
        parent = normalize_message_id(in_reply_to)
        return {"In-Reply-To": parent, "References": parent} if parent else {}
    latest_inbound = max(((at, mid) for at, mid, inbound in history if inbound), default=(None, ""))[1]
    ids = list(dict.fromkeys(mid for _, mid, _ in sorted(history, key=lambda row: row[0]) if mid))
    parent = normalize_message_id(in_reply_to) or latest_inbound or (ids[-1] if ids else "")
    if parent and parent in ids:
        ids.remove(parent)
    if parent:
        ids.append(parent)
    if len(ids) > MAX_REFERENCES:
        ids = ids[:1] + ids[-(MAX_REFERENCES - 1):]
    headers = {}
    if parent:
        headers["In-Reply-To"] = parent
        headers["References"] = " ".join(ids)
    return headers


# --- Queue and send -------------------------------------------------------------------------


@dataclass
class Email:
    """One email to queue (the arguments of ``queue_email``)."""

    ticket: object
    kind: str
    to: Sequence = ()
    cc: Sequence = ()
    entry: object = None
    values: dict | None = None
    mailbox: Mailbox | None = None
    in_reply_to: str = ""
    new_ticket: bool = False  # opened by the message ``in_reply_to``: no other emails to read


# Inside ``outbox_written_together()``: the rows queued so far, inserted together at ``write_outbox()``.
_outbox: ContextVar[list | None] = ContextVar("outbox", default=None)


@contextmanager
def outbox_written_together():
    """Queued emails are inserted in one statement at each ``write_outbox()`` (and at the end of the block).

    For a batch of inbound mail; the caller writes the outbox before anything reads it back,
    and the block must be inside the transaction the emails belong to.
    """
    token = _outbox.set([])
    try:
        yield
        write_outbox()
    finally:
        _outbox.reset(token)


def write_outbox() -> None:
    pending = _outbox.get()
    if pending:
        rows = list(pending)
        pending.clear()
        _insert(rows)


def _insert(rows) -> None:
    insert_rows(rows)
    ids = [row.pk for row in rows]
    transaction.on_commit(lambda: [send_outbound_task(pk) for pk in ids])


def queue_email(ticket, kind: str, *, own: set[str] | None = None, **fields) -> OutboundMessage | None:
    """Write the email to the outbox in the caller's transaction and send it after commit.

    Recipients that are Steward's own addresses or appear twice are dropped; with nobody
    left, nothing is queued and None is returned. The fields are those of ``Email``.
    """
    return queue_emails([Email(ticket, kind, **fields)], own=own)[0]


def queue_emails(emails: list[Email], *, own: set[str] | None = None) -> list[OutboundMessage | None]:
    """``queue_email`` of many: mailboxes and threading headers read for all tickets at once, one INSERT.

    Inside ``outbox_written_together()`` the rows wait for the block's next ``write_outbox()``.
    """
    own = own_addresses() if own is None else own
    wanted = []
    for email in emails:
        to = _clean_recipients(email.to, own=own)
        wanted.append((email, to, _clean_recipients(email.cc, exclude=to, own=own)) if to else None)
    queued = [item for item in wanted if item is not None]
    mailboxes = ticket_mailboxes([e.ticket for e, _, _ in queued if e.mailbox is None])
    histories = _email_history([e.ticket for e, _, _ in queued if not e.new_ticket])
    rows = []
    for email, to, cc in queued:
        ticket, kind, entry = email.ticket, email.kind, email.entry
        mailbox = email.mailbox if email.mailbox is not None else mailboxes[ticket.pk]
        values = email.values if email.values is not None else placeholder_values(ticket, entry=entry)
        subject, text = render_text(kind, values, number=ticket.number)
        headers = _thread_headers(None if email.new_ticket else histories[ticket.pk], email.in_reply_to)
        if kind in AUTOMATIC_KINDS:
            headers["Auto-Submitted"] = "auto-replied"
            # Exchange and Outlook: no out-of-office or read receipts in answer to an automatic message.
            headers["X-Auto-Response-Suppress"] = "All"
        rows.append(
            OutboundMessage(
                mailbox=mailbox,
                ticket=ticket,
                entry=entry,
                kind=kind,
                message_id=new_message_id(ticket, mailbox=mailbox, entry=entry, kind=kind),
                to=to,
                cc=cc,
                subject=subject,
                body=text,
                headers=headers,
            )
        )
    pending = _outbox.get()
    if pending is not None:
        pending.extend(rows)
    elif rows:
        _insert(rows)
    made = iter(rows)
    return [next(made) if item is not None else None for item in wanted]


class XOAuth2Backend(SMTPBackend):
    """Django's SMTP backend, logging in with SASL XOAUTH2 (an OAuth2 access token) instead of a password."""

    def __init__(self, *, xoauth2: bytes, **kwargs):
        super().__init__(**kwargs)
        self.xoauth2 = xoauth2

    def open(self):
        opened = super().open()  # connects (and STARTTLS); no password, so no LOGIN
        if opened:
            try:
                self.connection.ehlo_or_helo_if_needed()  # auth() does not greet first, unlike login()
                # The initial response carries the token; an error challenge (334) is answered empty, per the spec.
                self.connection.auth("XOAUTH2", lambda challenge=None: "" if challenge else self.xoauth2.decode())
            except Exception:
                self.close()
                raise
        return opened


def connection_for(mailbox: Mailbox | None):
    """The mailbox's own SMTP server when it has one, else Django's default EMAIL_* settings.

    An OAuth2 mailbox (Microsoft 365, Google Workspace) logs in to its SMTP server with the
    same refreshed access token it reads mail with.
    """
    if mailbox is None or not mailbox.smtp_host:
        return get_connection()
    options = {
        "host": mailbox.smtp_host,
        "port": mailbox.smtp_port,
        "use_tls": mailbox.smtp_security == Security.STARTTLS,
        "use_ssl": mailbox.smtp_security == Security.TLS,
        "timeout": settings.EMAIL_TIMEOUT,
    }
    if mailbox.imap_auth == ImapAuth.OAUTH2:
        from steward.mail.channels import imap  # its imports lead back to this module

        username = mailbox.smtp_username or mailbox.imap_username or mailbox.address
        return XOAuth2Backend(xoauth2=imap.xoauth2_string(username, imap.access_token(mailbox)), **options)
    return get_connection(
        "django.core.mail.backends.smtp.EmailBackend",
        username=mailbox.smtp_username or None,
        password=mailbox.smtp_password or None,
        **options,
    )


def build_email(message: OutboundMessage) -> EmailMultiAlternatives:
    """The email exactly as queued, with the entry's attachments."""
    mailbox = message.mailbox
    address = sender_address(mailbox)
    from_email = formataddr((mailbox.name, address)) if mailbox is not None else settings.DEFAULT_FROM_EMAIL
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body,
        from_email=from_email,
        to=message.to,
        cc=message.cc,
        reply_to=[from_email],
        headers={"Message-ID": message.message_id, **message.headers},
        connection=connection_for(mailbox),
    )
    # The HTML part follows from the subject and text alone, so it is made when sending, not in the
    # transaction that queued the email (rows queued with their HTML keep it).
    email.attach_alternative(message.html or html_from_text(message.subject, message.body), "text/html")
    if message.entry_id:
        for attachment in message.entry.attachments.all():
            with attachment.file.open("rb") as handle:
                email.attach(attachment.filename, handle.read(), attachment.content_type)
    return email


def deliver(message_id: int) -> str | None:
    """Make one attempt to send an outbox message; returns its status afterwards (None: another worker has it).

    The attempt is claimed with a conditional UPDATE, so two workers never send the same
    attempt twice. After MAX_ATTEMPTS failures the message is marked failed with the error.
    """
    message = OutboundMessage.objects.select_related("mailbox", "entry").filter(pk=message_id).first()
    if message is None or message.status != OutboundStatus.QUEUED:
        return message.status if message else OutboundStatus.FAILED
    claimed = OutboundMessage.objects.filter(
        pk=message.pk, status=OutboundStatus.QUEUED, attempts=message.attempts
    ).update(attempts=F("attempts") + 1)
    if not claimed:
        return None
    attempts = message.attempts + 1
    try:
        build_email(message).send()
    except Exception as exc:  # SMTP, DNS, TLS, file storage: all are reasons to retry
        error = f"Attempt {attempts} of {MAX_ATTEMPTS}: {type(exc).__name__}: {exc}"[:2000]
        logger.warning("Sending %s (%s) failed: %s", message.message_id, message.subject, error)
        status = OutboundStatus.FAILED if attempts >= MAX_ATTEMPTS else OutboundStatus.QUEUED
        OutboundMessage.objects.filter(pk=message.pk).update(status=status, last_error=error)
        return status
    OutboundMessage.objects.filter(pk=message.pk).update(status=OutboundStatus.SENT, sent_at=timezone.now(), last_error="")
    return OutboundStatus.SENT


def retry_delay(attempts: int) -> int:
    return RETRY_DELAYS[min(attempts, len(RETRY_DELAYS)) - 1]


@db_task(context=False)
def send_outbound_task(message_id: int):
    """Send one outbox message; on failure huey runs this again later, until MAX_ATTEMPTS are used."""
    if deliver(message_id) == OutboundStatus.QUEUED:
        attempts = OutboundMessage.objects.filter(pk=message_id).values_list("attempts", flat=True).first() or 1
        # The attempt count lives in the row, not in huey: a restarted worker keeps counting.
        raise RetryTask(delay=retry_delay(attempts))


def requeue(message: OutboundMessage) -> OutboundMessage:
    """Try a failed message again from the start (the admin's 'retry')."""
    OutboundMessage.objects.filter(pk=message.pk, status=OutboundStatus.FAILED).update(
        status=OutboundStatus.QUEUED, attempts=0
    )
    transaction.on_commit(lambda: send_outbound_task(message.pk))
    message.refresh_from_db()
    return message


# Longer than the whole retry schedule: a message still queued after this lost its task.
STALE_AFTER = timedelta(hours=6)


@db_periodic_task(crontab(minute="17"))
def resend_stale_outbound_task():
    """Re-enqueue messages whose task was lost (worker killed before enqueueing, queue storage wiped)."""
    cutoff = timezone.now() - STALE_AFTER
    for pk in OutboundMessage.objects.filter(status=OutboundStatus.QUEUED, created_at__lt=cutoff).values_list("pk", flat=True)[:500]:
        send_outbound_task(pk)


# --- Template preview -----------------------------------------------------------------------

SAMPLE_VALUES = {
    "ticket.number": "1042",
    "ticket.subject": "Printer on reception jams",
    "ticket.status": "Open",
    "ticket.priority": "P3",
    "ticket.portal_url": settings.SITE_URL + "/portal/requests/1042/",
    "ticket.url": settings.SITE_URL + "/tickets/1042/",
    "requester.first_name": "Bob",
    "requester.last_name": "Baker",
    "requester.full_name": "Bob Baker",
    "client.name": "Acme Dental",
    "technician.first_name": "Tom",
    "technician.last_name": "Tech",
    "technician.full_name": "Tom Tech",
    "actor.full_name": "Olivia Owner",
    "message.text": "Please try the other paper tray; I have ordered a new roller.",
    "message.author": "Tom Tech",
}


def preview_email(subject: str, body: str) -> dict:
    """How a template reads with example values: {"subject", "text", "html"}."""
    subject = " ".join(fill_placeholders(subject, SAMPLE_VALUES).split())
    if "[#1042]" not in subject:
        subject = f"{subject} [#1042]"
    text = fill_placeholders(body, SAMPLE_VALUES)
    return {"subject": subject, "text": text, "html": html_from_text(subject, text)}
