"""Write path for time entries, weekly timesheets, timers, capacity and absences."""

import datetime as dt
import math
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from steward.core.events import publish
from steward.core.exceptions import Conflict, DomainError, NotPermitted
from steward.work import weeks
from steward.work.choices import AbsenceKind, EntryStatus, WorkEvent, WorkType
from steward.work.days import local_day, refresh_days
from steward.work.models import Absence, Capacity, RunningTimer, TimeEntry

MAX_MINUTES = 24 * 60
# Ticket types whose work is planned rather than a reaction to a fault.
PROACTIVE_TICKET_TYPES = {"change"}


class TimeEntryError(DomainError):
    pass


class TimerError(DomainError):
    pass


class CapacityError(DomainError):
    pass


def default_work_type(ticket=None, task=None) -> str:
    """The work type an entry gets when nobody chose one: project for tasks, proactive for changes."""
    if task is not None:
        return WorkType.PROJECT
    if ticket is not None:
        return WorkType.PROACTIVE if ticket.type in PROACTIVE_TICKET_TYPES else WorkType.REACTIVE
    return WorkType.ADMIN


def _time_changed(technician_id, task_ids=(None,)):
    for task_id in dict.fromkeys(task_ids) or (None,):
        publish(WorkEvent.TIME_CHANGED, technician_id=technician_id, task_id=task_id)


def _week_locked(technician, week: str) -> bool:
    start, end = weeks.week_range(week)
    return (
        TimeEntry.objects.filter(technician=technician, started_at__gte=start, started_at__lt=end)
        .exclude(status=EntryStatus.DRAFT)
        .exists()
    )


def _refuse_locked_week(actor, technician, started_at):
    if actor is not None and actor.is_admin:
        return
    week = weeks.week_of(timezone.localdate(started_at))
    if _week_locked(technician, week):
        raise TimeEntryError(
            f"The week {week} is already submitted; ask a manager to return it before adding time.", field="started_at"
        )


def _refuse_locked_entry(actor, entry):
    # Submitted hours are what the manager reviews: only an admin may still change them.
    if entry.status != EntryStatus.DRAFT and not (actor is not None and actor.is_admin):
        raise NotPermitted(
            f"This entry is {entry.get_status_display().lower()}; ask a manager to return the week before changing it."
        )


@transaction.atomic
def log_time(
    actor,
    *,
    duration_minutes: int,
    technician=None,
    ticket=None,
    task=None,
    client=None,
    started_at: dt.datetime | None = None,
    work_type: str | None = None,
    billable: bool = True,
    note: str = "",
) -> TimeEntry:
    """Log time for a technician (the actor by default), against a ticket, a project task or a client."""
    technician = technician or actor
    if technician is None or not technician.is_staff_member:
        raise TimeEntryError("Time can only be logged for a technician.", field="technician")
    if not 1 <= int(duration_minutes) <= MAX_MINUTES:
        raise TimeEntryError("Duration must be between 1 minute and 24 hours.", field="duration_minutes")
    work_type = work_type or default_work_type(ticket=ticket, task=task)
    if work_type not in WorkType.values:
        raise TimeEntryError(f"Work type must be one of: {', '.join(WorkType.values)}.", field="work_type")
    if ticket is not None and task is not None:
        raise TimeEntryError("Log time against a ticket or a project task, not both.", field="task")
    owner_id = ticket.client_id if ticket is not None else task.project.client_id if task is not None else None
    if owner_id is not None:
        if client is not None and client.pk != owner_id:
            label = "ticket" if ticket is not None else "task's project"
            raise TimeEntryError(f"The {label} belongs to another client.", field="client")
        client_id = owner_id
    else:
        client_id = client.pk if client else None
    started = started_at or timezone.now() - dt.timedelta(minutes=int(duration_minutes))
    _refuse_locked_week(actor, technician, started)
    entry = TimeEntry.objects.create(
        technician=technician,
        ticket=ticket,
        task=task,
        client_id=client_id,
        started_at=started,
        duration_minutes=int(duration_minutes),
        work_type=work_type,
        billable=billable,
        note=note or "",
    )
    refresh_days(technician.pk, [local_day(started)])
    _time_changed(technician.pk, [entry.task_id])
    return entry


@transaction.atomic
def update_time_entry(entry: TimeEntry, changes: dict, *, actor=None) -> TimeEntry:
    """Correct a logged entry (duration, start, type, billable, note); submitted weeks only by an admin."""
    allowed = {"started_at", "duration_minutes", "work_type", "billable", "note"}
    unknown = set(changes) - allowed
    if unknown:
        raise TimeEntryError(f"Cannot change {', '.join(sorted(unknown))}.", field=sorted(unknown)[0])
    if "duration_minutes" in changes and not 1 <= int(changes["duration_minutes"]) <= MAX_MINUTES:
        raise TimeEntryError("Duration must be between 1 minute and 24 hours.", field="duration_minutes")
    if "work_type" in changes and changes["work_type"] not in WorkType.values:
        raise TimeEntryError(f"Work type must be one of: {', '.join(WorkType.values)}.", field="work_type")
    _refuse_locked_entry(actor, entry)
    if "started_at" in changes:
        _refuse_locked_week(actor, entry.technician, changes["started_at"])
    old_day = local_day(entry.started_at)
    for field, value in changes.items():
        setattr(entry, field, value)
    entry.save(update_fields=sorted(changes))
    refresh_days(entry.technician_id, [old_day, local_day(entry.started_at)])
    _time_changed(entry.technician_id, [entry.task_id])
    return entry


@transaction.atomic
def delete_time_entry(actor, entry: TimeEntry) -> None:
    """Remove a logged entry; submitted or approved ones only by an admin."""
    _refuse_locked_entry(actor, entry)
    technician_id, task_id = entry.technician_id, entry.task_id
    day = local_day(entry.started_at)
    entry.delete()
    refresh_days(technician_id, [day])
    _time_changed(technician_id, [task_id])


@transaction.atomic
def set_day_minutes(
    actor, technician, day: dt.date, minutes: int, *, ticket=None, task=None, client=None, work_type=None, billable=True
) -> TimeEntry | None:
    """The timesheet cell: make a row's time on ``day`` total ``minutes`` (0 deletes it)."""
    entries = list(_row_day_entries(technician, day, ticket=ticket, task=task, client=client, work_type=work_type))
    for entry in entries:
        _refuse_locked_entry(actor, entry)
    if not minutes:
        for entry in entries:
            delete_time_entry(actor, entry)
        return None
    if not entries:
        started = weeks.day_start(day) + dt.timedelta(hours=9)
        return log_time(
            actor, technician=technician, duration_minutes=minutes, ticket=ticket, task=task, client=client,
            started_at=started, work_type=work_type, billable=billable,
        )
    # Several entries on one day (two timer runs, say) become one with the new total and all their notes.
    kept, *merged = entries
    notes = [entry.note for entry in entries if entry.note]
    for entry in merged:
        entry.delete()
    # Same day as the kept entry: updating it refreshes the day's summary.
    return update_time_entry(kept, {"duration_minutes": minutes, "note": "\n".join(notes)}, actor=actor)


def _row_day_entries(technician, day, *, ticket, task, client, work_type):
    start = weeks.day_start(day)
    entries = TimeEntry.objects.filter(
        technician=technician, started_at__gte=start, started_at__lt=weeks.day_start(day + dt.timedelta(days=1))
    )
    if ticket is not None:
        entries = entries.filter(ticket=ticket)
    elif task is not None:
        entries = entries.filter(task=task)
    else:
        entries = entries.filter(ticket__isnull=True, task__isnull=True, client=client, work_type=work_type)
    return entries.order_by("started_at", "id")


@transaction.atomic
def set_billable(actor, entries, billable: bool) -> int:
    """Mark a timesheet row's entries billable or not; returns how many changed."""
    changed = 0
    for entry in entries:
        if entry.billable != billable:
            update_time_entry(entry, {"billable": billable}, actor=actor)
            changed += 1
    return changed


# --- The week: submit, approve, return, copy ------------------------------------------------


def _week_entries(technician, week):
    try:
        start, end = weeks.week_range(week)
    except ValueError as exc:
        raise TimeEntryError(str(exc), field="week") from None
    return TimeEntry.objects.filter(technician=technician, started_at__gte=start, started_at__lt=end)


def _require_admin(manager, what):
    if manager is None or not manager.is_admin:
        raise NotPermitted(f"Only an administrator can {what}.")


def _publish_week(technician, entries):
    _time_changed(technician.pk, [entry.task_id for entry in entries])


@transaction.atomic
def submit_week(technician, week: str, *, actor=None) -> int:
    """Hand a week's draft entries to the manager; returns how many were submitted."""
    if actor is not None and actor.pk != technician.pk and not actor.is_admin:
        raise NotPermitted("You can only submit your own timesheet.")
    drafts = list(_week_entries(technician, week).filter(status=EntryStatus.DRAFT))
    if not drafts:
        raise Conflict(f"There is no draft time in {week} to submit.", field="week")
    TimeEntry.objects.filter(pk__in=[entry.pk for entry in drafts]).update(
        status=EntryStatus.SUBMITTED, return_reason=""
    )
    _publish_week(technician, drafts)
    return len(drafts)


@transaction.atomic
def approve_week(manager, technician, week: str) -> int:
    """Approve a technician's submitted week; returns how many entries were approved."""
    _require_admin(manager, "approve timesheets")
    submitted = list(_week_entries(technician, week).filter(status=EntryStatus.SUBMITTED))
    if not submitted:
        raise Conflict(f"{technician.display_name} has not submitted {week}.", field="week")
    if _week_entries(technician, week).filter(status=EntryStatus.DRAFT).exists():
        raise Conflict(f"{week} still has draft entries; return it or wait for the technician to submit.", field="week")
    TimeEntry.objects.filter(pk__in=[entry.pk for entry in submitted]).update(
        status=EntryStatus.APPROVED, approved_by=manager, approved_at=timezone.now()
    )
    _publish_week(technician, submitted)
    return len(submitted)


@transaction.atomic
def return_week(manager, technician, week: str, reason: str) -> int:
    """Send a submitted (or approved) week back to draft with the manager's reason."""
    _require_admin(manager, "return timesheets")
    reason = (reason or "").strip()
    if not reason:
        raise TimeEntryError("Say what the technician should correct.", field="reason")
    locked = list(_week_entries(technician, week).exclude(status=EntryStatus.DRAFT))
    if not locked:
        raise Conflict(f"{week} of {technician.display_name} is not submitted.", field="week")
    TimeEntry.objects.filter(pk__in=[entry.pk for entry in locked]).update(
        status=EntryStatus.DRAFT, approved_by=None, approved_at=None, return_reason=reason[:500]
    )
    _publish_week(technician, locked)
    return len(locked)


@transaction.atomic
def copy_last_week(technician, week: str, *, actor=None) -> int:
    """Copy last week's non-ticket entries onto the same weekdays as drafts; returns how many."""
    actor = actor or technician
    if _week_locked(technician, week) and not actor.is_admin:
        raise Conflict(f"{week} is already submitted.", field="week")
    days = weeks.week_days(week)
    filled = {timezone.localdate(started) for started in _week_entries(technician, week).values_list("started_at", flat=True)}
    away = _absence_days(technician, days[0], days[-1])
    copied = 0
    for entry in _week_entries(technician, weeks.shift_week(week, -1)).filter(ticket__isnull=True).order_by("started_at"):
        started = entry.started_at + dt.timedelta(days=7)
        day = timezone.localdate(started)
        if day in filled or day in away:
            continue
        log_time(
            actor, technician=technician, task=entry.task, client=entry.client if entry.task is None else None,
            duration_minutes=entry.duration_minutes, started_at=started, work_type=entry.work_type,
            billable=entry.billable, note=entry.note,
        )
        copied += 1
    return copied


def _absence_days(technician, first: dt.date, last: dt.date) -> set[dt.date]:
    days = set()
    for absence in Absence.objects.filter(technician=technician, starts_on__lte=last, ends_on__gte=first):
        day = max(absence.starts_on, first)
        while day <= min(absence.ends_on, last):
            days.add(day)
            day += dt.timedelta(days=1)
    return days


# --- Timer ----------------------------------------------------------------------------------


@transaction.atomic
def start_timer(technician, ticket=None, task=None, client=None, work_type=None, note="") -> RunningTimer:
    """Start the technician's stopwatch; a timer already running is stopped and logged first."""
    if technician is None or not technician.is_staff_member:
        raise TimerError("Only technicians run timers.", field="technician")
    if ticket is not None and task is not None:
        raise TimerError("Time a ticket or a project task, not both.", field="task")
    if work_type and work_type not in WorkType.values:
        raise TimerError(f"Work type must be one of: {', '.join(WorkType.values)}.", field="work_type")
    if RunningTimer.objects.filter(technician=technician).exists():
        stop_timer(technician)
    if ticket is not None:
        client = ticket.client
    elif task is not None:
        client = task.project.client
    return RunningTimer.objects.create(
        technician=technician, started_at=timezone.now(), ticket=ticket, task=task, client=client,
        work_type=work_type or "", note=note or "",
    )


@transaction.atomic
def stop_timer(technician) -> TimeEntry:
    """Stop the running timer and log its time, rounded up to whole minutes."""
    timer = RunningTimer.objects.filter(technician=technician).select_related("ticket", "task__project").first()
    if timer is None:
        raise TimerError("No timer is running.")
    seconds = (timezone.now() - timer.started_at).total_seconds()
    minutes = max(1, math.ceil(seconds / 60))
    if minutes > MAX_MINUTES:
        raise TimerError(
            f"The timer ran since {timezone.localtime(timer.started_at):%a %d %b %H:%M}, over 24 hours: "
            "discard it and log the real time by hand."
        )
    entry = log_time(
        technician, duration_minutes=minutes, ticket=timer.ticket, task=timer.task,
        client=timer.client if timer.ticket is None and timer.task is None else None,
        started_at=timer.started_at, work_type=timer.work_type or None, note=timer.note,
    )
    timer.delete()
    return entry


@transaction.atomic
def discard_timer(technician) -> None:
    """Throw the running timer away without logging anything."""
    deleted, _ = RunningTimer.objects.filter(technician=technician).delete()
    if not deleted:
        raise TimerError("No timer is running.")


# --- Capacity and absences ------------------------------------------------------------------


def _decimal(value, field, label) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise CapacityError(f"{label} must be a number.", field=field) from None


@transaction.atomic
def set_capacity(technician, weekly_hours, work_days, target_utilisation, *, actor=None) -> Capacity:
    """Set a technician's normal week: hours, ISO weekdays worked ("12345") and billable target (0–1)."""
    if actor is not None:
        _require_admin(actor, "change capacity")
    if technician is None or not technician.is_staff_member:
        raise CapacityError("Capacity is set for technicians only.", field="technician")
    hours = _decimal(weekly_hours, "weekly_hours", "Weekly hours")
    if not 0 <= hours <= 80:
        raise CapacityError("Weekly hours must be between 0 and 80.", field="weekly_hours")
    days = "".join(sorted(set(str(work_days or ""))))
    if not days or any(day not in "1234567" for day in days):
        raise CapacityError("Work days are ISO weekdays 1 (Monday) to 7 (Sunday), e.g. 12345.", field="work_days")
    target = _decimal(target_utilisation, "target_utilisation", "Target utilisation")
    if not 0 <= target <= 1:
        raise CapacityError("Target utilisation must be between 0 and 100 %.", field="target_utilisation")
    capacity, _ = Capacity.objects.update_or_create(
        technician=technician, defaults={"weekly_hours": hours, "work_days": days, "target_utilisation": target}
    )
    publish(WorkEvent.CAPACITY_CHANGED, technician_id=technician.pk)
    return capacity


def _may_plan_for(actor, technician):
    if actor is not None and actor.pk != technician.pk and not actor.is_admin:
        raise NotPermitted("Only an administrator can record another technician's absence.")


@transaction.atomic
def add_absence(
    technician, *, starts_on: dt.date, ends_on: dt.date, kind: str = AbsenceKind.LEAVE, hours_per_day=None,
    note: str = "", actor=None,
) -> Absence:
    """Record days a technician is away; overlapping an existing absence is refused."""
    _may_plan_for(actor, technician)
    if technician is None or not technician.is_staff_member:
        raise CapacityError("Absences are recorded for technicians only.", field="technician")
    if kind not in AbsenceKind.values:
        raise CapacityError(f"Kind must be one of: {', '.join(AbsenceKind.values)}.", field="kind")
    if starts_on is None:
        raise CapacityError("Give the first day away.", field="starts_on")
    ends_on = ends_on or starts_on
    if ends_on < starts_on:
        raise CapacityError("The last day cannot be before the first.", field="ends_on")
    if (ends_on - starts_on).days > 366:
        raise CapacityError("An absence can last at most a year; split longer ones.", field="ends_on")
    if hours_per_day not in (None, ""):
        hours_per_day = _decimal(hours_per_day, "hours_per_day", "Hours per day")
        if not 0 < hours_per_day <= 24:
            raise CapacityError("Hours per day must be more than 0 and at most 24 (empty: whole days).", field="hours_per_day")
    else:
        hours_per_day = None
    clash = Absence.objects.filter(technician=technician, starts_on__lte=ends_on, ends_on__gte=starts_on).first()
    if clash is not None:
        raise Conflict(
            f"{technician.display_name} is already away ({clash.get_kind_display().lower()}) "
            f"{clash.starts_on:%d %b}–{clash.ends_on:%d %b %Y}.",
            field="starts_on",
        )
    absence = Absence.objects.create(
        technician=technician, kind=kind, starts_on=starts_on, ends_on=ends_on, hours_per_day=hours_per_day,
        note=(note or "")[:200],
    )
    publish(WorkEvent.CAPACITY_CHANGED, technician_id=technician.pk)
    return absence


@transaction.atomic
def remove_absence(absence: Absence, *, actor=None) -> None:
    """Delete a recorded absence."""
    _may_plan_for(actor, absence.technician)
    technician_id = absence.technician_id
    absence.delete()
    publish(WorkEvent.CAPACITY_CHANGED, technician_id=technician_id)
