"""Threading: which ticket an inbound message belongs to, if any.

First the headers (In-Reply-To, References) against messages Steward sent or received,
then the ticket number in the subject (``[#1042]``), else none (a new ticket).
"""

import re
from dataclasses import dataclass

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


def find_thread(*, in_reply_to=(), references=(), subject: str = "", exclude_inbound=None) -> Thread | None:
    """The ticket a message replies to: by its headers, then by ``[#number]`` in the subject."""
    # In-Reply-To is the direct parent; References adds the ancestry when it was lost or points elsewhere.
    ids = [*references, *in_reply_to][-50:]  # a header bomb cannot make thousands of lookups
    ticket = ticket_for_message_ids(ids, exclude_inbound=exclude_inbound)
    if ticket is not None:
        return Thread(ticket, "headers")
    match = SUBJECT_NUMBER_RE.search(subject or "")
    if match:
        ticket = _current(Ticket.objects.filter(number=int(match.group(1))).first())
        if ticket is not None:
            return Thread(ticket, "subject")
    return None
