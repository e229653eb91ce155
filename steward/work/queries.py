"""Read path for time entries, scoped to the user (staff only: time is internal)."""

from datetime import datetime

from steward.work.models import TimeEntry


def time_entries_for(
    user,
    *,
    technician: int | None = None,
    client: int | None = None,
    ticket: int | None = None,
    work_type: str | None = None,
    started_after: datetime | None = None,
    started_before: datetime | None = None,
):
    """Time entries the user may see with who, which ticket and which client; ``ticket`` is a number."""
    entries = TimeEntry.objects.visible_to(user).select_related("technician", "ticket", "client")
    if technician is not None:
        entries = entries.filter(technician_id=technician)
    if client is not None:
        entries = entries.filter(client_id=client)
    if ticket is not None:
        entries = entries.filter(ticket__number=ticket)
    if work_type:
        entries = entries.filter(work_type=work_type)
    if started_after is not None:
        entries = entries.filter(started_at__gte=started_after)
    if started_before is not None:
        entries = entries.filter(started_at__lt=started_before)
    return entries
