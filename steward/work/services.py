"""Write path for time entries."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from steward.core.exceptions import DomainError
from steward.work.choices import WorkType
from steward.work.models import TimeEntry


class TimeEntryError(DomainError):
    pass


@transaction.atomic
def log_time(
    actor,
    *,
    duration_minutes: int,
    technician=None,
    ticket=None,
    client=None,
    started_at: datetime | None = None,
    work_type: str = WorkType.REACTIVE,
    billable: bool = True,
    note: str = "",
) -> TimeEntry:
    """Log time for a technician (the actor by default), against a ticket or a client."""
    technician = technician or actor
    if technician is None or not technician.is_staff_member:
        raise TimeEntryError("Time can only be logged for a technician.", field="technician")
    if not 1 <= int(duration_minutes) <= 24 * 60:
        raise TimeEntryError("Duration must be between 1 minute and 24 hours.", field="duration_minutes")
    if work_type not in WorkType.values:
        raise TimeEntryError(f"Work type must be one of: {', '.join(WorkType.values)}.", field="work_type")
    if ticket is not None:
        if client is not None and client.pk != ticket.client_id:
            raise TimeEntryError("The ticket belongs to another client.", field="client")
        client_id = ticket.client_id
    else:
        client_id = client.pk if client else None
    started = started_at or timezone.now() - timedelta(minutes=int(duration_minutes))
    return TimeEntry.objects.create(
        technician=technician,
        ticket=ticket,
        client_id=client_id,
        started_at=started,
        duration_minutes=int(duration_minutes),
        work_type=work_type,
        billable=billable,
        note=note or "",
    )


@transaction.atomic
def update_time_entry(entry: TimeEntry, changes: dict) -> TimeEntry:
    """Correct a logged entry (duration, start, type, billable, note)."""
    allowed = {"started_at", "duration_minutes", "work_type", "billable", "note"}
    unknown = set(changes) - allowed
    if unknown:
        raise TimeEntryError(f"Cannot change {', '.join(sorted(unknown))}.", field=sorted(unknown)[0])
    if "duration_minutes" in changes and not 1 <= int(changes["duration_minutes"]) <= 24 * 60:
        raise TimeEntryError("Duration must be between 1 minute and 24 hours.", field="duration_minutes")
    if "work_type" in changes and changes["work_type"] not in WorkType.values:
        raise TimeEntryError(f"Work type must be one of: {', '.join(WorkType.values)}.", field="work_type")
    for field, value in changes.items():
        setattr(entry, field, value)
    entry.save(update_fields=sorted(changes))
    return entry
