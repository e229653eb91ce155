"""Threading: which ticket an inbound message belongs to, if any.

First the headers (In-Reply-To, References) against messages Steward sent or received,
then the ticket number in the subject (``[#1042]``), else none (a new ticket).
"""

import re
from dataclasses import dataclass

from django.db.models import Q

from steward.desk.models import Ticket
from steward.mail import ingest
from steward.mail.models import InboundMessage, OutboundMessage

SUBJECT_NUMBER_RE = re.compile(r"\[#(\d{1,12})\]")


@dataclass(frozen=True)
class Thread:
    ticket: Ticket
    how: str  # "headers" or "subject"


def _current(ticket: Ticket | None) -> Ticket | None:
    # A merged ticket lives on in the one it was merged into.
    seen = set()
    while ticket is not None and ticket.merged_into_id and ticket.pk not in seen:
        seen.add(ticket.pk)
        ticket = ticket.merged_into
    return ticket


def ticket_for_message_ids(ids, *, exclude_inbound=None) -> Ticket | None:
    """The ticket of the most recent of ``ids`` that Steward sent or received."""
    for message_id in reversed(list(ids)):  # References run oldest to newest; the newest is the best match
        forms = ingest.message_id_forms([message_id])
        if not forms:
            continue
        outbound = OutboundMessage.objects.filter(message_id__in=forms).select_related("ticket").first()
        if outbound is not None:
            return _current(outbound.ticket)
        inbound = (
            InboundMessage.objects.filter(message_id__in=forms, ticket__isnull=False)
            .exclude(pk=exclude_inbound)
            .select_related("ticket")
            .order_by("id")
            .first()
        )
        if inbound is not None:
            return _current(inbound.ticket)
    return None


def sent_tickets(id_lists) -> dict:
    """Message-ID -> ticket of the emails Steward sent that these (In-Reply-To, References) name.

    Safe to read before a batch's turn: a message can only answer an email already sent, and
    an email is sent after the transaction that wrote it committed.
    """
    forms = {form for ids in id_lists for form in ingest.message_id_forms(_header_ids(*ids))}
    return dict(OutboundMessage.objects.filter(message_id__in=forms).values_list("message_id", "ticket_id"))


class ThreadIndex:
    """The tickets of many Message-IDs read at once (a batch of inbound mail), same answers as ``ticket_for_message_ids``."""

    def __init__(self, id_lists, subjects=(), *, sent: dict | None = None):
        """``sent``: ``sent_tickets(id_lists)``, when read already (before the batch's turn)."""
        forms = {form for ids in id_lists for form in ingest.message_id_forms(_header_ids(*ids))}
        self.sent = sent_tickets(id_lists) if sent is None else sent
        # Newest first, so the dict keeps the first message received with an id.
        received = InboundMessage.objects.filter(message_id__in=forms, ticket__isnull=False).order_by("-id")
        self.received = dict(received.values_list("message_id", "ticket_id"))
        # One object per ticket, shared by the batch's messages, so each sees what the others did to it.
        wanted = {*self.sent.values(), *self.received.values()}
        numbers = {int(match.group(1)) for subject in subjects for match in [SUBJECT_NUMBER_RE.search(subject or "")] if match}
        self.tickets = {}
        self.numbered = {}  # [#number] in a subject -> its ticket
        if wanted or numbers:
            rows = Ticket.objects.select_related("client").filter(Q(pk__in=wanted) | Q(number__in=numbers))
            for ticket in rows:
                self.tickets[ticket.pk] = ticket
                self.numbered[ticket.number] = ticket

    def ticket_numbered(self, number: int) -> Ticket | None:
        if number not in self.numbered:
            ticket = Ticket.objects.select_related("client").filter(number=number).first()
            self.numbered[number] = self.tickets.setdefault(ticket.pk, ticket) if ticket else None
        return self.numbered[number]

    def ticket_for(self, ids) -> Ticket | None:
        for message_id in reversed(list(ids)):
            forms = ingest.message_id_forms([message_id])
            for known in (self.sent, self.received):
                ticket_id = next((known[form] for form in forms if form in known), None)
                if ticket_id is not None:
                    if ticket_id not in self.tickets:
                        self.tickets[ticket_id] = Ticket.objects.select_related("client").filter(pk=ticket_id).first()
                    return _current(self.tickets[ticket_id])
        return None

    def add(self, message_id: str, ticket: Ticket) -> None:
        """A message of the batch landed on a ticket: later messages answering it follow."""
        self.tickets.setdefault(ticket.pk, ticket)
        for form in ingest.message_id_forms([message_id]):
            self.received.setdefault(form, ticket.pk)

    def forget_tickets(self) -> None:
        """Read the tickets afresh (what a rolled-back savepoint changed on them is gone again)."""
        self.tickets = {}
        self.numbered = {}


def _header_ids(in_reply_to=(), references=()) -> list[str]:
    # In-Reply-To is the direct parent; References adds the ancestry when it was lost or points elsewhere.
    return [*references, *in_reply_to][-50:]  # a header bomb cannot make thousands of lookups


def find_thread(
    *, in_reply_to=(), references=(), subject: str = "", exclude_inbound=None, index: ThreadIndex | None = None
) -> Thread | None:
    """The ticket a message replies to: by its headers, then by ``[#number]`` in the subject."""
    ids = _header_ids(in_reply_to, references)
    if index is not None:
        ticket = index.ticket_for(ids)
    else:
        ticket = ticket_for_message_ids(ids, exclude_inbound=exclude_inbound)
    if ticket is not None:
        return Thread(ticket, "headers")
    match = SUBJECT_NUMBER_RE.search(subject or "")
    if match:
        number = int(match.group(1))
        if index is not None:
            ticket = _current(index.ticket_numbered(number))
        else:
            ticket = _current(Ticket.objects.select_related("client").filter(number=number).first())
        if ticket is not None:
            return Thread(ticket, "subject")
    return None
