"""Processing: a stored inbound message becomes a ticket or a timeline entry, exactly once.

A worker claims a batch of messages with one short committed statement that also counts
the attempt (PostgreSQL: ``UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED)``; SQLite,
one writer: a conditional UPDATE, healthchecks' sendalerts), reads and parses them, then does
all their writes in one transaction: the batch's new tickets and timeline entries together
(``desk.open_tickets``, ``desk.add_messages``), and every message marked done at the end, only
if its claim still holds. If anything raises, the batch rolls back and runs again one message
per savepoint, so the failing ones fail alone with their error. A killed worker leaves a
claim that goes stale after ``MAIL_CLAIM_TIMEOUT_SECONDS``; the recovery sweep queues the
message again, and because its attempt was counted it then runs alone, so a message that
kills the worker (out of memory, a crash in a parser) stops no other message and, after
``MAIL_MAX_ATTEMPTS``, is left failed for a human.
"""

import logging
import traceback
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import mail_admins
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from steward.clients import services as client_services
from steward.core.bulk import update_rows
from steward.desk import services as desk
from steward.desk.choices import EntryKind, Source, TicketStatus
from steward.desk.exceptions import AttachmentRejected
from steward.desk.models import Ticket
from steward.mail import ingest, notifications, outbound, senders, tasks
from steward.mail import threading as mail_threading
from steward.mail.choices import InboundStatus
from steward.mail.models import InboundMessage, OutboundMessage
from steward.mail.parsing import parse_message

log = logging.getLogger(__name__)

# The recovery sweep retries a failed message after this long, up to MAIL_MAX_ATTEMPTS; after that a human retries it.
RETRY_AFTER = timedelta(minutes=5)
# A pending message this old lost its queued task (worker killed, queue down): queue it again.
PENDING_GRACE = timedelta(minutes=1)
RATE_LIMITED = "rate limited"
# The advisory locks by which workers' batches take turns, processing and claiming (any constants of our own).
BATCH_LOCK = 0x5354_4D41_494C
CLAIM_LOCK = BATCH_LOCK + 1
NOTE_EXCERPT_CHARS = 2000


class LostClaim(Exception):
    """Another worker took the message over (our claim went stale); our writes are rolled back."""


@dataclass
class Outcome:
    status: str
    outcome: str
    ticket: Ticket | None = None
    entry: object = None


def _now():
    return timezone.now()


def claim(message_id: int):
    """Take a message for processing; returns the claim's timestamp (its token), or None if not ours to take."""
    now = _now()
    stale = now - timedelta(seconds=settings.MAIL_CLAIM_TIMEOUT_SECONDS)
    taken = (
        InboundMessage.objects.filter(pk=message_id)
        .filter(
            Q(status__in=(InboundStatus.PENDING, InboundStatus.FAILED))
            | Q(status=InboundStatus.PROCESSING, claimed_at__lt=stale)
        )
        .update(status=InboundStatus.PROCESSING, attempts=F("attempts") + 1, claimed_at=now)
    )
    return now if taken else None


def process_inbound(message_id: int) -> InboundMessage | None:
    """Process one stored message: ticket or timeline entry, or ignored with the reason; failures keep the error.

    Returns the message, or None if it was not ours to take (done, or another worker has it).
    """
    done = process_batch(message_id, limit=1, alone=True)
    return done[0] if done else None


def process_batch(first_id: int | None = None, *, limit: int | None = None, alone: bool = False) -> list[InboundMessage]:
    """Claim up to ``limit`` messages (``first_id`` first; ``alone``: no others) and process them in one transaction.

    A message that raises is marked failed with its error and the others go on. A worker
    that loses the database rolls back the whole batch; its claims stay (they were
    committed) and go stale, and the recovery sweep queues the messages again. A message
    attempted before runs in a transaction of its own.
    """
    limit = limit or settings.MAIL_BATCH_SIZE
    done = []
    try:
        with _taking_turns() as my_turn:
            token = _now()
            claimed = _claim_batch(first_id, 1 if alone else limit, token)
            give_up = {pk: attempts - 1 for pk, attempts, abandoned in claimed if abandoned and attempts > settings.MAIL_MAX_ATTEMPTS}
            # Read and parsed before our turn, while the batch before ours is still being processed.
            messages, parsed, early = _load([pk for pk, _, _ in claimed if pk not in give_up])
            my_turn()
            for pk, stopped in give_up.items():
                done += _give_up(pk, stopped, token)
            attempts = {pk: attempts for pk, attempts, _ in claimed}
            fresh = [m for m in messages if attempts[m.pk] == 1]
            for message in messages:
                if attempts[message.pk] > 1:
                    # It failed or stopped the worker before: alone, it can only stop itself.
                    with transaction.atomic(durable=True):
                        done += _process_claimed([message], parsed, token, early)
            if fresh:
                with transaction.atomic(durable=True):
                    done += _process_claimed(fresh, parsed, token, early)
    except Exception:
        # The database itself failed (a message's own error is kept in its savepoint): the
        # transaction rolled back, and the recovery sweep queues its messages again.
        log.exception("Processing a batch of inbound messages failed; it rolled back")
    return done


@contextmanager
def _taking_turns():
    """Claim holding one lock, then process holding another (PostgreSQL); yields the call that waits for our turn.

    Every new ticket takes the ticket-number row until commit, so concurrent batches would
    only wait for each other there, or deadlock on it and a ticket row. Batches are
    processed in the order they were claimed, so arrival order holds: a reply is never
    processed before the message it answers, and finds the ticket that message opened.
    The next batch is claimed and parsed while this one is processed: its worker holds the
    claim lock until it gets the processing lock. Session locks, as the claim commits
    before the processing transaction; a dead worker's session takes them along.
    """
    if connection.vendor != "postgresql":
        yield lambda: None
        return
    held = []

    def lock(key):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [key])
        held.append(key)

    def my_turn():
        lock(BATCH_LOCK)
        _unlock(held, CLAIM_LOCK)

    lock(CLAIM_LOCK)
    try:
        yield my_turn
    finally:
        try:
            for key in list(held):
                _unlock(held, key)
        except DatabaseError:
            log.warning("The database connection is gone, and the batch locks with it")


def _unlock(held, key) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
    held.remove(key)


def _claimable(now) -> Q:
    stale = now - timedelta(seconds=settings.MAIL_CLAIM_TIMEOUT_SECONDS)
    return Q(status__in=(InboundStatus.PENDING, InboundStatus.FAILED)) | Q(
        status=InboundStatus.PROCESSING, claimed_at__lt=stale
    )


def _claim_batch(first_id, limit, token) -> list[tuple[int, int, bool]]:
    """Claim and count an attempt, committed at once: [(id, attempts, abandoned by a stopped worker)] in arrival order."""
    if connection.vendor == "postgresql":
        return _lock_and_claim(first_id, limit, token)
    # SQLite has one writer at a time: a conditional UPDATE claims the batch, and commits.
    candidates = dict(InboundMessage.objects.filter(pk=first_id).values_list("pk", "status")) if first_id else {}
    if limit > len(candidates):
        pending = InboundMessage.objects.filter(status=InboundStatus.PENDING).exclude(pk=first_id)
        for pk in pending.order_by("received_at", "id").values_list("pk", flat=True)[: limit - len(candidates)]:
            candidates[pk] = InboundStatus.PENDING
    if not candidates:
        return []
    InboundMessage.objects.filter(_claimable(token), pk__in=candidates).update(
        status=InboundStatus.PROCESSING, attempts=F("attempts") + 1, claimed_at=token
    )
    mine = InboundMessage.objects.filter(pk__in=candidates, status=InboundStatus.PROCESSING, claimed_at=token)
    return [
        (pk, attempts, candidates[pk] == InboundStatus.PROCESSING)
        for pk, attempts in mine.order_by("received_at", "id").values_list("pk", "attempts")
    ]


def _lock_and_claim(first_id, limit, token) -> list[tuple[int, int, bool]]:
    # Rows another worker is claiming are skipped; ``first_id`` (when claimable) comes first. The
    # pending ones are read in the order of inbound_status_received_id, so the claim stops after
    # ``limit`` rows instead of sorting the whole backlog.
    table = connection.ops.quote_name(InboundMessage._meta.db_table)
    stale = token - timedelta(seconds=settings.MAIL_CLAIM_TIMEOUT_SECONDS)
    parts, params = [], []
    if first_id is not None:
        parts.append(
            f"SELECT id, status FROM {table} WHERE id = %s AND (status IN (%s, %s) OR (status = %s AND claimed_at < %s)) "
            "FOR UPDATE SKIP LOCKED"
        )
        params += [first_id, InboundStatus.PENDING, InboundStatus.FAILED, InboundStatus.PROCESSING, stale]
    others = limit - len(parts)
    if others > 0:
        parts.append(
            f"SELECT id, status FROM {table} WHERE status = %s AND id <> %s "
            "ORDER BY received_at, id LIMIT %s FOR UPDATE SKIP LOCKED"
        )
        params += [InboundStatus.PENDING, first_id or 0, others]
    ctes = ", ".join(f"part{i} AS ({sql})" for i, sql in enumerate(parts))
    picked = " UNION ALL ".join(f"SELECT id, status FROM part{i}" for i in range(len(parts)))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""WITH {ctes}, picked AS ({picked})
                UPDATE {table} AS m SET status = %s, attempts = m.attempts + 1, claimed_at = %s
                FROM picked WHERE m.id = picked.id
                RETURNING m.id, m.attempts, picked.status = %s, m.received_at""",
            [*params, InboundStatus.PROCESSING, token, InboundStatus.PROCESSING],
        )
        rows = cursor.fetchall()
    rows.sort(key=lambda row: (row[0] != first_id, row[3], row[0]))
    return [row[:3] for row in rows]


def _give_up(pk, stopped, token) -> list[InboundMessage]:
    """Leave a message that stopped the worker every time for a human (Mail → Messages: retry or download)."""
    error = (
        f"The worker stopped while processing this message {stopped} times (out of memory, or a crash while "
        "reading it), so it is no longer tried automatically. Download it to look at it, or retry it."
    )
    log.error("Inbound message %s stopped the worker %s times; it is left failed", pk, stopped)
    mine = InboundMessage.objects.filter(pk=pk, status=InboundStatus.PROCESSING, claimed_at=token)
    if not mine.update(status=InboundStatus.FAILED, error=error, processed_at=_now()):
        return []
    return [InboundMessage.objects.get(pk=pk)]


def _load(ids):
    """The claimed messages in arrival order, each one parsed (or the error that stopped its parsing), and their ``EarlyReads``."""
    messages = list(
        InboundMessage.objects.filter(pk__in=ids).select_related("mailbox__default_queue").order_by("received_at", "id")
    )
    parsed = {}
    for message in messages:
        try:
            parsed[message.pk] = _parse(message)
        except Exception as exc:  # noqa: BLE001
            parsed[message.pk] = exc
    return messages, parsed, EarlyReads(messages, parsed)


def _process_claimed(messages, parsed, token, early: "EarlyReads") -> list[InboundMessage]:
    with outbound.templates_read_once(), outbound.messages_received():
        try:
            with transaction.atomic(), outbound.outbox_written_together():
                return _process_together(messages, parsed, token, early)
        except LostClaim:
            log.warning("A message of a batch was taken over by another worker; processing them one by one")
        except Exception:
            log.exception("A batch of %s inbound messages failed; processing them one by one", len(messages))
        # Rolled back: each message again in a savepoint of its own, so the failing ones fail alone.
        batch = Batch(messages, parsed, early)
        return [message for message in messages if _process_one(message, parsed[message.pk], token, batch)]


def _parse(message):
    return parse_message(ingest.read_raw(message), max_attachment_bytes=settings.ATTACHMENT_MAX_BYTES)


def _process_together(messages, parsed, token, early: "EarlyReads") -> list[InboundMessage]:
    """The whole batch without a savepoint per message: tickets and entries written in bulk, rows updated at once.

    Anything that raises rolls the batch back to the caller, which goes through it one by one.
    """
    batch = Batch(messages, parsed, early)
    results = {}
    for message in messages:
        readable = parsed[message.pk]
        if isinstance(readable, Exception):
            log.warning("Inbound message %s cannot be parsed: %s", message.pk, readable)
            results[message.pk] = {"status": InboundStatus.FAILED, "error": _error_text(readable), "processed_at": _now()}
            continue
        if batch.staged.names_staged(message, readable):
            batch.staged.flush()  # a reply or copy of a staged message finds its ticket written
        results[message.pk] = result = _handle(message, readable, batch)
        if isinstance(result, Outcome):
            batch.processed(message, result)
    batch.staged.flush()
    for message in messages:
        result = results[message.pk]
        final = result if isinstance(result, dict) else _final(result.outcome if isinstance(result, Deferred) else result)
        for field, value in final.items():
            setattr(message, field, value)
    fields = ["status", "outcome", "ticket", "entry", "error", "processed_at"]
    # Only rows our claim still holds are written: fewer means another worker took one over.
    if update_rows(messages, fields, only_where={"status": InboundStatus.PROCESSING, "claimed_at": token}) != len(messages):
        raise LostClaim("a message of the batch was claimed again by another worker")
    return messages


def _final(result: Outcome) -> dict:
    return {
        "status": result.status,
        "outcome": result.outcome[:255],
        "ticket": result.ticket,
        "entry": result.entry,
        "error": "",
        "processed_at": _now(),
    }


def _process_one(message: InboundMessage, parsed, token, batch: "Batch") -> bool:
    """Process one claimed message in a savepoint; True when its row now says what happened."""
    mine = InboundMessage.objects.filter(pk=message.pk, status=InboundStatus.PROCESSING, claimed_at=token)
    try:
        with transaction.atomic():
            if isinstance(parsed, Exception):
                raise parsed
            result = _handle(message, parsed, batch)
            if isinstance(result, Deferred):
                batch.staged.flush()
                result = result.outcome
            else:
                batch.processed(message, result)
            final = _final(result)
            if not mine.update(**final):
                raise LostClaim(f"inbound message {message.pk} was claimed again by another worker")
    except LostClaim:
        log.warning("Inbound message %s was taken over by another worker; this attempt rolled back", message.pk)
        batch.forget()
        return False
    except Exception as exc:
        log.exception("Processing inbound message %s failed", message.pk)
        batch.forget()
        # Raises in turn when the database itself is gone, which ends (and rolls back) the batch.
        final = {"status": InboundStatus.FAILED, "error": _error_text(exc), "processed_at": _now()}
        if not mine.update(**final):
            return False
    # The row now holds what was loaded after the claim plus these fields: no need to read it back.
    for field, value in final.items():
        setattr(message, field, value)
    return True


def _error_text(exc: BaseException) -> str:
    # The last frames say where it broke; the whole traceback is in the worker's log.
    return "".join(traceback.format_exception(exc, limit=-6))[-4000:]


@transaction.atomic(durable=True)
def retry_inbound(message: InboundMessage) -> InboundMessage:
    """Process a failed or ignored message again (the admin view's "retry")."""
    InboundMessage.objects.filter(pk=message.pk).exclude(status=InboundStatus.PROCESSED).exclude(
        status=InboundStatus.PROCESSING, claimed_at__gte=_now() - timedelta(seconds=settings.MAIL_CLAIM_TIMEOUT_SECONDS)
    ).update(status=InboundStatus.PENDING, error="")
    transaction.on_commit(lambda: tasks.process_inbound_task(message.pk))
    message.refresh_from_db()
    return message


def messages_to_recover(*, limit: int = 500) -> list[int]:
    """Messages whose processing was lost (queue, worker or database trouble) and should be queued again."""
    now = _now()
    return list(
        InboundMessage.objects.filter(
            Q(status=InboundStatus.PENDING, received_at__lt=now - PENDING_GRACE)
            | Q(status=InboundStatus.PROCESSING, claimed_at__lt=now - timedelta(seconds=settings.MAIL_CLAIM_TIMEOUT_SECONDS))
            | Q(status=InboundStatus.FAILED, attempts__lt=settings.MAIL_MAX_ATTEMPTS, claimed_at__lt=now - RETRY_AFTER)
        )
        .order_by("received_at", "id")
        .values_list("pk", flat=True)[:limit]
    )


class EarlyReads:
    """What a batch reads before its turn, while the batch before it is written: nothing that batch does changes it.

    Steward's own addresses, the tickets of the emails Steward sent that the messages answer,
    the senders with more messages in the rate window than the limit (stored rows: only
    later ones arrive meanwhile, and they do not count for ours), and the contacts of the
    senders and recipients with the clients of the unknown senders' domains, brought up to
    date in the turn with the contacts made since (``Directory.catch_up``).
    """

    def __init__(self, messages, parsed):
        readable = [p for p in parsed.values() if not isinstance(p, Exception)]
        self.own = senders.own_addresses()
        self.sending_own = outbound.own_addresses(self.own)  # and the default sender: never a recipient
        self.sent = mail_threading.sent_tickets([(p.in_reply_to or [], p.references or []) for p in readable])
        self.busy = _busy_senders(messages)
        # A contact made before this moment by a batch still being written is read by catch_up; the
        # margin covers that batch's whole turn (a turn longer than the claim timeout loses its claim) and clock skew.
        self.contacts_since = _now() - timedelta(seconds=settings.MAIL_CLAIM_TIMEOUT_SECONDS + 60)
        self._directory = senders.Directory()
        # Senders and recipients in one read (cc_contacts looks at no more than 200 of a message's;
        # past 5,000 in a batch of huge CC lists, the rest are read when needed).
        recipients = list(dict.fromkeys(a.lower() for p in readable for a in _recipients(p)[:200] if a))[:5000]
        from_addresses = [*(m.from_address for m in messages), *(p.from_address for p in readable)]
        self._directory.preload(recipients, senders=[a for a in from_addresses if a])
        self._caught_up = False

    def directory(self) -> senders.Directory:
        """The early directory, caught up with the contacts made since, as a copy for the batch to add to."""
        if not self._caught_up:
            self._directory.catch_up(self.contacts_since)
            self._caught_up = True
        return self._directory.copy()


def _busy_senders(messages) -> set[str]:
    """The senders with more stored messages than the limit in the widest rate window of the batch.

    No other sender can be over the limit for any message of the batch, and most are such.
    """
    addresses = {m.from_address for m in messages if m.from_address}
    if not addresses:
        return set()
    window = InboundMessage.objects.filter(from_address__in=addresses, received_at__gt=_rate_window_start(messages))
    busy = window.values("from_address").annotate(n=Count("id")).filter(n__gt=settings.MAIL_RATE_LIMIT)
    return {row["from_address"] for row in busy}


def _rate_window_start(messages):
    # The widest rate window of the batch: its first message's.
    return min(m.received_at for m in messages) - timedelta(seconds=settings.MAIL_RATE_WINDOW_SECONDS)


class Batch:
    """What a batch reads once for all its messages in its turn (duplicates, rate rows, threads), with its ``EarlyReads``.

    Messages of the batch are processed in order and update it, so a later message sees
    what an earlier one did (a reply to a message in the same batch finds its ticket).
    """

    def __init__(self, messages, parsed, early: "EarlyReads"):
        self.early = early
        self.own, self.sending_own = early.own, early.sending_own
        readable = [p for p in parsed.values() if not isinstance(p, Exception)]
        self.threads = mail_threading.ThreadIndex(
            [(p.in_reply_to or [], p.references or []) for p in readable], [p.subject for p in readable], sent=early.sent
        )
        ids = {m.message_id for m in messages if m.message_id}
        self.same_id = {}  # Message-ID -> [(pk, status)] of every stored copy
        # The batch's own rows are ours, claimed (processing); only other copies are read (usually none).
        others = InboundMessage.objects.filter(message_id__in=ids).exclude(pk__in=[m.pk for m in messages])
        mine = [(m.pk, m.message_id, InboundStatus.PROCESSING) for m in messages if m.message_id]
        rows = [*others.values_list("pk", "message_id", "status"), *mine]
        for pk, message_id, status in sorted(rows):
            self.same_id.setdefault(message_id, []).append((pk, status))
        self.recent = self._recent(messages, early.busy)
        self.directory = early.directory()
        self.tickets = {}  # message of the batch -> the ticket it landed on
        self.staged = Staged(self)

    def duplicate_of(self, message) -> int | None:
        # The same Message-ID arriving again (another mailbox, a resend by the server): the first copy wins.
        for pk, status in sorted(self.same_id.get(message.message_id, ()) if message.message_id else ()):
            if pk == message.pk:
                continue
            if status == InboundStatus.PROCESSED or (pk < message.pk and status != InboundStatus.IGNORED):
                return pk
        return None

    @staticmethod
    def _recent(messages, busy) -> dict:
        """sender -> [[pk, received_at, rate limited]] within the window, for the busy senders (``EarlyReads.busy``)."""
        if not busy:
            return {}
        recent = {}
        rows = InboundMessage.objects.filter(from_address__in=busy, received_at__gt=_rate_window_start(messages))
        for pk, address, at, outcome in rows.values_list("pk", "from_address", "received_at", "outcome"):
            recent.setdefault(address, []).append([pk, at, outcome.startswith(RATE_LIMITED)])
        return recent

    def rate_limited(self, message) -> bool:
        if message.from_address not in self.recent:
            return False
        since = message.received_at - timedelta(seconds=settings.MAIL_RATE_WINDOW_SECONDS)
        recent = [row for row in self.recent.get(message.from_address, ()) if row[1] > since]
        if sum(1 for row in recent if row[0] <= message.pk) <= settings.MAIL_RATE_LIMIT:
            return False
        # Tell a human once per burst: the first message over the limit alerts, the rest are only stored.
        if not any(row[2] for row in recent if row[0] != message.pk):
            address = message.from_address
            transaction.on_commit(lambda: _alert_rate_limit(address))
        return True

    def processed(self, message, result: Outcome) -> None:
        """Note what a message of the batch came to, for the messages after it."""
        if message.message_id:
            copies = [(pk, status) for pk, status in self.same_id.get(message.message_id, ()) if pk != message.pk]
            self.same_id[message.message_id] = [*copies, (message.pk, result.status)]
        for row in self.recent.get(message.from_address, ()):
            if row[0] == message.pk:
                row[2] = result.outcome.startswith(RATE_LIMITED)
        self.tickets[message.pk] = result.ticket
        if message.message_id and result.ticket is not None:
            self.threads.add(message.message_id, result.ticket)

    def ticket_of(self, pk: int) -> Ticket | None:
        """The ticket a message landed on (this batch's messages are not written back yet)."""
        if pk in self.tickets:
            return self.tickets[pk]
        first = InboundMessage.objects.filter(pk=pk).select_related("ticket").first()
        return first.ticket if first else None

    def forget(self) -> None:
        # Contacts made inside a rolled-back savepoint are gone again, and tickets it changed are not: read them afresh.
        self.directory = self.early.directory()
        self.threads.forget_tickets()
        self.staged = Staged(self)


@dataclass
class Deferred:
    """A message whose ticket or entry is written with the batch's others; ``then`` finishes it after that."""

    message: InboundMessage
    then: Callable
    outcome: Outcome | None = None


class Staged:
    """New tickets and timeline entries of a batch, written together (``desk.open_tickets``, ``desk.add_messages``)."""

    def __init__(self, batch: Batch):
        self.batch = batch
        self.opens, self.adds = [], []
        self.notes = []  # internal notes the finished messages leave, added together after them
        self.ccs = []  # (ticket, contacts) the finished messages add to CC lists
        self.attachments = []  # their files, stored; the rows are written together
        self.forms = set()  # Message-IDs (every spelling) of the staged messages
        self.tickets = set()  # tickets with a staged entry

    def open(self, message, request: desk.NewTicket, then) -> Deferred:
        return self._stage(self.opens, message, request, then)

    def add(self, message, request: desk.NewMessage, then) -> Deferred:
        if request.ticket.pk in self.tickets:
            # The next entry builds on the ticket as the staged one leaves it.
            self.flush()
            request.ticket.refresh_from_db()
        self.tickets.add(request.ticket.pk)
        return self._stage(self.adds, message, request, then)

    def _stage(self, staged, message, request, then) -> Deferred:
        deferred = Deferred(message, then)
        staged.append((request, deferred))
        self.forms.update(ingest.message_id_forms([message.message_id] if message.message_id else []))
        return deferred

    def cc(self, ticket, contacts) -> None:
        """People to add to a ticket of this flush's CC list, added together at its end (before its notes)."""
        self.ccs.append((ticket, contacts))

    def note(self, ticket, body: str) -> None:
        """An internal note on a ticket of this flush (who joined, what was refused), written at its end."""
        self.notes.append(desk.NewMessage(ticket, kind=EntryKind.NOTE, body=body))

    def names_staged(self, message, parsed) -> bool:
        """Whether the message is a copy of, or answers, a staged one."""
        if not self.forms:
            return False
        ids = [message.message_id, *(parsed.in_reply_to or []), *(parsed.references or [])[-50:]]
        return not self.forms.isdisjoint(ingest.message_id_forms([i for i in ids if i]))

    def flush(self) -> None:
        """Write what is staged, then finish each message (attachments, notes, acknowledgement) in order."""
        opens, adds = self.opens, self.adds
        self.opens, self.adds, self.forms, self.tickets = [], [], set(), set()
        made = []
        self.batch.directory.save_new()  # new requesters, CC'd colleagues and participants first
        if opens:
            made += zip([d for _, d in opens], desk.open_tickets(None, [r for r, _ in opens]))
        if adds:
            for request, deferred in adds:  # so the technicians' notices thread under these messages
                outbound.note_received(request.ticket.pk, deferred.message.received_at, deferred.message.message_id)
            made += zip([d for _, d in adds], desk.add_messages(None, [r for r, _ in adds]))
        for deferred, ticket_or_entry in made:
            deferred.outcome = deferred.then(ticket_or_entry)
            self.batch.processed(deferred.message, deferred.outcome)
        attachments, self.attachments = self.attachments, []
        desk.save_attachments(attachments)
        ccs, self.ccs = self.ccs, []
        desk.add_to_cc(ccs)
        notes, self.notes = self.notes, []
        if notes:
            desk.add_messages(None, notes)
        outbound.write_outbox()  # the staged messages' emails, in one statement


# --- Deciding what a message is ----------------------------------------------------


def _address(item) -> str:
    """An address from the parser's lists, whether a string, a (name, address) pair or an object."""
    if isinstance(item, str):
        return item
    if isinstance(item, (tuple, list)) and item:
        return item[-1] or ""
    return getattr(item, "address", "") or ""


def _handle(message: InboundMessage, parsed, batch: Batch) -> Outcome | Deferred:
    sender = (parsed.from_address or _address((parsed.reply_to or [""])[0]) or message.from_address).strip()
    if not sender:
        return Outcome(InboundStatus.IGNORED, "no sender address (From: missing); nobody to answer")
    own = batch.own
    if sender.lower() in own:
        return Outcome(InboundStatus.IGNORED, "sent from Steward's own address (mail loop)")
    duplicate = batch.duplicate_of(message)
    if duplicate is not None:
        return Outcome(InboundStatus.IGNORED, f"duplicate of message {duplicate}", ticket=batch.ticket_of(duplicate))
    if batch.rate_limited(message):
        return Outcome(InboundStatus.IGNORED, f"{RATE_LIMITED}: over {settings.MAIL_RATE_LIMIT} messages from {message.from_address}")
    if parsed.is_bounce:
        # Written to its ticket at once (rare): the ticket must not have a staged entry still to come.
        batch.staged.flush()
        return _handle_bounce(message, parsed)

    thread = mail_threading.find_thread(
        in_reply_to=parsed.in_reply_to or [],
        references=parsed.references or [],
        subject=parsed.subject or "",
        index=batch.threads,
    )
    if parsed.is_auto_reply or parsed.is_list:
        what = "automatic reply" if parsed.is_auto_reply else "mailing-list message"
        if thread is None:
            # Never a ticket, so never an acknowledgement: that is how loops start.
            return Outcome(InboundStatus.IGNORED, f"{what} that belongs to no ticket")
        ticket = thread.ticket
        note = desk.NewMessage(ticket, kind=EntryKind.NOTE, body=f"{what.capitalize()} from {sender}:\n\n{_excerpt(parsed)}")
        return batch.staged.add(
            message, note, lambda entry: Outcome(InboundStatus.PROCESSED, f"{what} noted on #{ticket.number}", ticket, entry)
        )

    files = _attachments(parsed)
    if thread is not None and thread.ticket.status != TicketStatus.CLOSED:
        author, reason = _participant(thread.ticket, sender, parsed.from_name or "", batch.directory)
        if author is not None:
            return _add_to_ticket(message, parsed, thread.ticket, author, reason, files, own | {sender.lower()}, batch)
    return _open_ticket(message, parsed, sender, files, batch, earlier=thread.ticket if thread else None)


def _alert_rate_limit(address: str) -> None:
    text = (
        f"More than {settings.MAIL_RATE_LIMIT} messages arrived from {address} within "
        f"{settings.MAIL_RATE_WINDOW_SECONDS // 60} minutes, which looks like a mail loop (another help desk "
        "or an auto-responder answering Steward). Further messages from it are stored but not turned into "
        "tickets; see the failed and ignored messages in the mail admin."
    )
    log.warning("Mail rate limit hit by %s", address)
    mail_admins(f"Mail from {address} is being rate limited", text, fail_silently=True)


def _excerpt(parsed) -> str:
    text = (parsed.text or "").strip()
    return text[:NOTE_EXCERPT_CHARS] + ("\n…" if len(text) > NOTE_EXCERPT_CHARS else "") or "(no text)"


def _handle_bounce(message: InboundMessage, parsed) -> Outcome:
    outbound = None
    if parsed.bounced_message_id:
        forms = ingest.message_id_forms([parsed.bounced_message_id])
        outbound = OutboundMessage.objects.filter(message_id__in=forms).select_related("ticket").first()
    ticket = outbound.ticket if outbound is not None else None
    if ticket is None:
        thread = mail_threading.find_thread(in_reply_to=parsed.in_reply_to or [], references=parsed.references or [])
        ticket = thread.ticket if thread else None
    recipients = [r for r in (_address(r) for r in parsed.bounced_recipients or []) if r][:20]
    if not recipients and outbound is not None:
        recipients = list(outbound.to or [])[:20]
    flagged = client_services.mark_email_bounced(recipients)
    if ticket is None:
        return Outcome(InboundStatus.IGNORED, f"bounce of a message Steward did not send ({flagged} contact(s) flagged)")
    who = ", ".join(recipients) or "a recipient"
    entry = desk.add_message(
        ticket, None, kind=EntryKind.NOTE, body=f"Delivery failed: the email to {who} bounced.\n\n{_excerpt(parsed)}"
    )
    return Outcome(InboundStatus.PROCESSED, f"bounce noted on #{ticket.number}", ticket, entry)


def _was_addressed(ticket: Ticket, address: str) -> bool:
    """Whether ``address`` got mail of this ticket's conversation (CC'd by Steward or by the customer)."""
    address = address.lower()
    for to, cc in OutboundMessage.objects.filter(ticket=ticket).values_list("to", "cc")[:200]:
        if address in {a.lower() for a in [*(to or []), *(cc or [])] if isinstance(a, str)}:
            return True
    for inbound in InboundMessage.objects.filter(ticket=ticket).order_by("-id")[:20]:
        if address in ingest.recipients_of(inbound):
            return True
    return False


def _participant(ticket: Ticket, address: str, name: str, directory: senders.Directory):
    """(contact, reason) if this sender may add to the ticket; reason says why someone new joined.

    New contacts are made in ``directory`` (saved with the batch's tickets and entries).
    """
    contact = directory.contact_of(ticket.client, address)
    # (A contact made earlier in this batch has no pk yet, and is on no ticket.)
    if contact is not None and contact.pk is not None and (
        contact.pk == ticket.requester_id or ticket.cc.filter(pk=contact.pk).exists()
    ):
        return contact, ""
    if contact is not None:
        return contact, f"a contact of {ticket.client.name}"
    if senders.domain_of(address) in (ticket.client.email_domains or ()):
        contact, _ = directory.contact_for_address(ticket.client, address, name=name, notes="Added when their email arrived.")
        return contact, f"from {ticket.client.name}'s domain"
    if _was_addressed(ticket, address):
        contact = directory.known_contact(address)
        if contact is None:
            contact, _ = directory.contact_for_address(
                ticket.client, address, name=name, notes=f"CC'd on #{ticket.number}; not of {ticket.client.name}'s domains."
            )
        return contact, "CC'd on the conversation"
    return None, ""


def _body(parsed, *, has_files: bool) -> str:
    """The new part of the email; the quoted history and signature are folded away (``_quoted_text``)."""
    text = (parsed.reply_text or parsed.text or "").strip()
    return text or ("(attachments only)" if has_files else "(no text)")


def _quoted_text(parsed) -> str:
    """What the timeline folds under the new part: the quoted history and signature (all the text if it cannot tell)."""
    full, new = (parsed.text or "").strip(), (parsed.reply_text or "").strip()
    if not new or full == new:
        return ""
    return full[len(new):].strip() if full.startswith(new) else full


def _add_to_ticket(message, parsed, ticket, author, reason, files, skip, batch) -> Deferred:
    request = desk.NewMessage(
        ticket, kind=EntryKind.EMAIL, author_contact=author, body=_body(parsed, has_files=bool(files)),
        quoted_text=_quoted_text(parsed),
    )

    def then(entry) -> Outcome:
        refused = _store_files(ticket, entry, files, batch) + _refused(parsed)
        cc = senders.cc_contacts(ticket.client, _recipients(parsed), exclude=skip, directory=batch.directory)
        batch.directory.save_new()  # colleagues CC'd for the first time
        new_cc = [c for c in cc if c.pk != ticket.requester_id]
        if reason and author.client_id == ticket.client_id and author.pk != ticket.requester_id:
            new_cc.append(author)
        batch.staged.cc(ticket, new_cc)
        if reason:
            batch.staged.note(
                ticket,
                f"{author.full_name} <{author.email}> is not on this ticket; their email was added because they are {reason}.",
            )
        _note_refused(batch, ticket, refused)
        outcome = f"added to #{ticket.number}" + (f" (new participant: {reason})" if reason else "")
        return Outcome(InboundStatus.PROCESSED, outcome, ticket, entry)

    return batch.staged.add(message, request, then)


def _open_ticket(message, parsed, sender_address, files, batch, *, earlier: Ticket | None) -> Deferred:
    own = batch.own
    directory = batch.directory
    sender = senders.resolve_sender(sender_address, parsed.from_name or "", mailbox=message.mailbox, directory=directory)
    mailbox = message.mailbox
    queue = directory.triage_queue() if sender.triage else (mailbox.default_queue if mailbox else None)
    cc = senders.cc_contacts(sender.client, _recipients(parsed), exclude=own | {sender_address.lower()}, directory=directory)
    request = desk.NewTicket(
        client=sender.client,
        requester=sender.contact,
        subject=" ".join((parsed.subject or "").split()) or "(no subject)",
        description=_body(parsed, has_files=bool(files)),
        quoted_text=_quoted_text(parsed),
        cc=[c for c in cc if c is not sender.contact],  # one object per contact in the directory, saved or not
        source=Source.EMAIL,
        queue=queue,
    )

    def then(ticket) -> Outcome:
        refused = _store_files(ticket, None, files, batch) + _refused(parsed)
        notes = []
        if earlier is not None:
            notes.append(
                f"This email answered #{earlier.number} – {earlier.subject}, which is "
                + ("closed, so it opened this new ticket." if earlier.status == TicketStatus.CLOSED else
                   f"a ticket {sender_address} is not on, so it opened this new ticket.")
            )
        if sender.triage:
            notes.append(f"Nobody knows {sender_address} or its domain: move the ticket to the right client.")
        if notes:
            batch.staged.note(ticket, "\n\n".join(notes))
        _note_refused(batch, ticket, refused)
        if not sender.triage:  # a stranger's mail may be spam: no acknowledgement to a forged address
            notifications.acknowledge_ticket(ticket, inbound=message, own=batch.sending_own)
        outcome = f"new ticket #{ticket.number}" + (f" (follow-up to #{earlier.number})" if earlier else "")
        return Outcome(InboundStatus.PROCESSED, outcome, ticket, None)

    return batch.staged.open(message, request, then)


def _recipients(parsed) -> list[str]:
    return [_address(a) for a in [*(parsed.to or []), *(parsed.cc or [])]]


def _attachments(parsed) -> list[ContentFile]:
    files = []
    for attachment in parsed.attachments or []:
        upload = ContentFile(attachment.content or b"", name=attachment.filename or "attachment")
        upload.content_type = attachment.content_type
        upload.content_id = attachment.content_id if attachment.inline else ""
        files.append(upload)
    return files


def _store_files(ticket, entry, files, batch) -> list[str]:
    refused = []
    for upload in files:
        try:
            batch.staged.attachments.append(desk.prepare_attachment(ticket, upload, entry=entry))
        except AttachmentRejected as exc:
            refused.append(exc.message)
    return refused


def _size_text(size: int) -> str:
    if size >= 1048576:
        return f"{size / 1048576:.0f} MB"
    return f"{size / 1024:.0f} KB" if size >= 1024 else f"{size} bytes"


def _refused(parsed) -> list[str]:
    limit = _size_text(settings.ATTACHMENT_MAX_BYTES)
    return [f"{name} ({_size_text(size)}, limit {limit})" for name, size in parsed.refused or []]


def _note_refused(batch, ticket, refused) -> None:
    if refused:
        batch.staged.note(
            ticket, "Attachments refused (the rest of the email was imported):\n" + "\n".join(f"- {r}" for r in refused)
        )
