"""Phone calls: find the caller, then put the call on a ticket's timeline and on the timesheet.

The "Log call" form and ``POST /api/v1/calls`` (phone systems) both end in ``log_call``,
so a call always becomes the same two rows: a timeline entry of kind call and a
reactive time entry, in one transaction.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from steward.clients import queries as client_queries
from steward.clients import services as client_services
from steward.clients.models import Client, Contact
from steward.core.exceptions import require_staff
from steward.desk import services
from steward.desk.choices import OPEN_STATUSES, CallDirection, EntryKind, Impact, Source, TicketStatus, Urgency
from steward.desk.exceptions import DeskError
from steward.desk.models import Ticket, TicketEntry
from steward.work import services as work_services
from steward.work.choices import WorkType

STAFF_ONLY = "Only the service desk can log calls."
# A phone system's call lands on the caller's open ticket if someone touched it this recently.
DEFAULT_REUSE_WINDOW = timedelta(minutes=settings.CALLS_REUSE_WINDOW_MINUTES)


@dataclass(frozen=True)
class NewTicket:
    """What the technician fills in when a call opens a ticket."""

    subject: str
    description: str = ""
    category: object = None
    impact: int = Impact.LOW
    urgency: int = Urgency.MEDIUM


@dataclass(frozen=True)
class NewContact:
    """A caller not on file yet, added to a client while the call is logged."""

    first_name: str
    last_name: str = ""
    email: str = ""


@dataclass(frozen=True)
class LoggedCall:
    entry: TicketEntry
    ticket: Ticket
    contact: Contact | None
    time_entry: object  # work.TimeEntry, or None for a call that took no time (missed, 0 s)
    created_ticket: bool


def call_minutes(duration_seconds: int | None) -> int:
    """Whole minutes for the timesheet: rounded up, at least one for any call that happened."""
    if not duration_seconds or duration_seconds <= 0:
        return 0
    return max(1, math.ceil(duration_seconds / 60))


def find_callers(user, text: str) -> list[Contact]:
    """Contacts of every client that fit a typed number, name or email address (staff only)."""
    require_staff(user, STAFF_ONLY)
    client_services.backfill_phone_digits()
    return client_queries.callers_matching(user, text)


def match_caller(user, number: str) -> Contact | None:
    """The contact calling from ``number``: the one with the freshest open ticket, else the first match."""
    require_staff(user, STAFF_ONLY)
    client_services.backfill_phone_digits()
    candidates = list(client_queries.contacts_with_number(user, number)[:20])
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    # A shared line (reception, a family business): the caller is most likely the one with work going on.
    latest = (
        Ticket.objects.filter(requester__in=candidates, status__in=OPEN_STATUSES)
        .order_by("-updated_at", "-id")
        .values_list("requester_id", flat=True)
        .first()
    )
    return next((c for c in candidates if c.pk == latest), candidates[0])


def open_tickets_of(user, contact: Contact, *, limit: int = 10):
    """The caller's open tickets, most recently updated first."""
    return list(
        Ticket.objects.visible_to(user)
        .filter(requester=contact, status__in=OPEN_STATUSES)
        .select_related("assignee")
        .order_by("-updated_at", "-id")[:limit]
    )


def _describe(contact, caller_number) -> str:
    if contact is not None:
        return contact.full_name
    return caller_number or "an unknown number"


@transaction.atomic
def log_call(
    actor,
    *,
    caller_number: str = "",
    contact: Contact | None = None,
    client: Client | None = None,
    new_contact: NewContact | None = None,
    ticket: Ticket | None = None,
    new_ticket: NewTicket | None = None,
    direction: str = CallDirection.INBOUND,
    duration_seconds: int | None = None,
    notes: str = "",
    recording_url: str | None = None,
    started_at: datetime | None = None,
    technician=None,
    is_public: bool = True,
) -> LoggedCall:
    """Record a phone call on an existing ticket or a new one, and log its time.

    The caller is ``contact``, or ``new_contact`` added to ``client``, or nobody (a ticket
    for ``client`` without a requester). Exactly one of ``ticket`` and ``new_ticket``.
    """
    require_staff(actor, STAFF_ONLY)
    if (ticket is None) == (new_ticket is None):
        raise DeskError("Add the call to one of the caller's tickets, or open a new one.", field="ticket")
    if direction not in CallDirection.values:
        raise DeskError("Direction must be inbound or outbound.", field="direction")
    if duration_seconds is not None and not 0 <= duration_seconds <= 24 * 3600:
        raise DeskError("A call lasts between 0 seconds and 24 hours.", field="duration")
    if contact is not None and client is not None and contact.client_id != client.pk:
        raise DeskError(f"{contact.full_name} is a contact of another client.", field="contact")
    client = contact.client if contact is not None else client
    if ticket is not None:
        client = client or ticket.client
        if ticket.client_id != client.pk:
            raise DeskError(f"#{ticket.number} is a ticket of another client.", field="ticket")
        if ticket.status == TicketStatus.CLOSED or ticket.merged_into_id:
            raise DeskError(f"#{ticket.number} is closed; open a new ticket for this call.", field="ticket")
    if client is None:
        raise DeskError("Pick the caller, or the client to open the ticket for.", field="client")
    if new_contact is not None and contact is None:
        contact = client_services.create_contact(
            actor,
            client=client,
            first_name=new_contact.first_name,
            last_name=new_contact.last_name,
            email=new_contact.email,
            phone=caller_number,
        )

    now = timezone.now()
    started = started_at or now - timedelta(seconds=duration_seconds or 0)
    created = ticket is None
    if created:
        ticket = services.open_ticket(
            actor,
            client=client,
            requester=contact,
            subject=new_ticket.subject,
            description=new_ticket.description,
            category=new_ticket.category,
            impact=new_ticket.impact,
            urgency=new_ticket.urgency,
            source=Source.PHONE,
        )
    body = (notes or "").strip()
    if recording_url:
        body = f"{body}\n\nRecording: {recording_url}".strip()
    entry = services.add_message(
        ticket,
        actor,
        body=body,
        kind=EntryKind.CALL,
        is_public=is_public,
        call=services.CallDetails(direction=direction, caller_number=caller_number[:40], duration_seconds=duration_seconds),
    )
    minutes = call_minutes(duration_seconds)
    time_entry = None
    if minutes:
        label = "Call from" if direction == CallDirection.INBOUND else "Call to"
        time_entry = work_services.log_time(
            actor,
            technician=technician,
            ticket=ticket,
            duration_minutes=minutes,
            started_at=started,
            work_type=WorkType.REACTIVE,
            note=f"{label} {_describe(contact, caller_number)}",
        )
    return LoggedCall(entry=entry, ticket=ticket, contact=contact, time_entry=time_entry, created_ticket=created)


@transaction.atomic(durable=True)
def record_phone_system_call(
    actor,
    *,
    caller_number: str,
    direction: str = CallDirection.INBOUND,
    started_at: datetime | None = None,
    duration_seconds: int | None = None,
    recording_url: str | None = None,
    ticket: Ticket | None = None,
    note: str = "",
    technician=None,
    reuse_window: timedelta | None = None,
) -> LoggedCall:
    """A call reported by a phone system: match the caller and pick the ticket, then ``log_call``.

    The call joins the caller's most recently updated open ticket if it changed within
    ``reuse_window``; otherwise it opens "Call from …". Unknown numbers go to the catch-all client.
    """
    require_staff(actor, STAFF_ONLY)
    window = DEFAULT_REUSE_WINDOW if reuse_window is None else reuse_window
    contact = match_caller(actor, caller_number)
    if ticket is not None and contact is not None and contact.client_id != ticket.client_id:
        contact = None  # the number belongs to someone else; the ticket the phone system named wins
    client = None
    if ticket is None:
        now = timezone.now()
        if contact is not None:
            recent = Ticket.objects.filter(requester=contact, status__in=OPEN_STATUSES, merged_into__isnull=True)
        else:
            client = client_services.catchall_client()
            # The same unknown number calling back joins its own ticket, not another stranger's.
            recent = Ticket.objects.filter(
                client=client, status__in=OPEN_STATUSES, entries__caller_number=caller_number[:40]
            )
        ticket = recent.filter(updated_at__gte=now - window).order_by("-updated_at", "-id").first()
    new_ticket = None
    if ticket is None:
        verb = "Call from" if direction == CallDirection.INBOUND else "Call to"
        new_ticket = NewTicket(subject=f"{verb} {_describe(contact, caller_number)}")
    return log_call(
        actor,
        caller_number=caller_number,
        contact=contact,
        client=client,
        ticket=ticket,
        new_ticket=new_ticket,
        direction=direction,
        duration_seconds=duration_seconds,
        notes=note,
        recording_url=recording_url,
        started_at=started_at,
        technician=technician,
    )
