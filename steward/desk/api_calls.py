"""POST /api/v1/calls: call events from a phone system (3CX, Teams, a SIP PBX), matched to callers."""

import datetime as dt
from datetime import timedelta

from ninja import Field, Router, Schema, Status

from steward.accounts.models import User
from steward.clients.schemas import ClientRef, ContactRef
from steward.core.api import WRITE_ERRORS, aware, resolve_ref
from steward.core.exceptions import require_staff
from steward.desk import calls
from steward.desk.choices import CallDirection
from steward.desk.models import Ticket

router = Router(tags=["calls"])


class PhoneCallIn(Schema):
    caller_number: str = Field(
        min_length=1, max_length=40, description="The other party's number in any notation: +44 20 7946 0101, 0044…, 020…"
    )
    direction: CallDirection = CallDirection.INBOUND
    started_at: dt.datetime | None = Field(None, description="When the call started; without an offset it is read as UTC.")
    duration_seconds: int = Field(0, ge=0, le=24 * 3600, description="Talk time; 0 for a missed call (no time is logged).")
    recording_url: str | None = Field(None, max_length=500, description="Link to the recording, added to the timeline entry.")
    ticket: int | None = Field(None, description="Number of the ticket the call is about, when the phone system knows it.")
    note: str = Field("", max_length=10000, description="Text for the timeline entry (e.g. the agent's wrap-up note).")
    technician: int | None = Field(
        None, description="Id of the technician who took the call; the time is logged for them (default: the token's user)."
    )
    reuse_window_minutes: int | None = Field(
        None, ge=0, le=7 * 24 * 60, description="Join the caller's open ticket if it changed this recently (default 120)."
    )


class CallContactOut(ContactRef):
    client: ClientRef


class PhoneCallOut(Schema):
    matched: bool = Field(description="Whether the number belongs to a known contact.")
    contact: CallContactOut | None
    ticket: int = Field(description="Number of the ticket the call was added to.")
    created_ticket: bool
    entry_id: int = Field(description="Id of the call's timeline entry.")
    time_entry_id: int | None = Field(description="Id of the time entry; null for a call without talk time.")


@router.post(
    "/calls",
    response={201: PhoneCallOut, **WRITE_ERRORS},
    summary="Record a phone call from a phone system (staff)",
    description=(
        "Matches `caller_number` to a contact of any client, comparing the last 9 significant digits so "
        "`+44 20 7946 0101`, `0044 20 79460101` and `020 7946 0101` are the same line. The call becomes a "
        "timeline entry of kind `call` and, when `duration_seconds` > 0, a reactive time entry rounded up "
        "to whole minutes.\n\n"
        "Which ticket: `ticket` when given; else the caller's most recently updated open ticket if it "
        "changed within `reuse_window_minutes` (default 120); else a new ticket *Call from <name>* "
        "(source phone) for the caller's client.\n\n"
        "**Unknown numbers are never dropped**: the call opens (or, when the same number calls back within "
        "the window, joins) a ticket *Call from <number>* under the catch-all client `CATCHALL` "
        "(*Unknown callers and senders*, created on first use), and the response says `matched: false`. A technician "
        "then adds the caller as a contact and carries on from there.\n\n"
        "Needs a write token of a staff user; others get 403."
    ),
)
def record_call(request, payload: PhoneCallIn):
    require_staff(request.user, calls.STAFF_ONLY)
    ticket = resolve_ref(Ticket.objects, request.user, payload.ticket, field="ticket", label="ticket", lookup="number")
    technician = resolve_ref(
        User.objects.staff(), request.user, payload.technician, field="technician", label="technician"
    )
    window = None if payload.reuse_window_minutes is None else timedelta(minutes=payload.reuse_window_minutes)
    logged = calls.record_phone_system_call(
        request.user,
        caller_number=payload.caller_number.strip(),
        direction=payload.direction,
        started_at=aware(payload.started_at),
        duration_seconds=payload.duration_seconds,
        recording_url=payload.recording_url,
        ticket=ticket,
        note=payload.note,
        technician=technician,
        reuse_window=window,
    )
    return Status(
        201,
        {
            "matched": logged.contact is not None,
            "contact": logged.contact,
            "ticket": logged.ticket.number,
            "created_ticket": logged.created_ticket,
            "entry_id": logged.entry.pk,
            "time_entry_id": logged.time_entry.pk if logged.time_entry else None,
        },
    )
