"""Read path for time entries, timesheets, capacity and utilisation (staff only: time is internal)."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from steward.accounts.models import User
from steward.work import weeks
from steward.work.choices import EntryStatus, WorkType
from steward.work.models import Absence, Capacity, RunningTimer, TimeEntry

DEFAULT_WEEKLY_HOURS = 40.0
DEFAULT_WORK_DAYS = "12345"
DEFAULT_TARGET = 0.8


def time_entries_for(
    user,
    *,
    technician: int | None = None,
    client: int | None = None,
    ticket: int | None = None,
    work_type: str | None = None,
    started_after: dt.datetime | None = None,
    started_before: dt.datetime | None = None,
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


def technicians_for(user):
    """The provider's active staff, for pickers and the capacity page (nobody for client-side users)."""
    if user is None or not getattr(user, "is_staff_member", False):
        return User.objects.none()
    return User.objects.staff().order_by("first_name", "last_name", "username")


# --- The weekly timesheet -------------------------------------------------------------------


@dataclass
class TimesheetRow:
    key: str  # "ticket-<id>", "task-<id>" or "client-<id or 0>-<work type>": what a cell edit posts back
    label: str
    ticket: object = None
    task: object = None
    client: object = None
    work_type: str = ""
    billable: bool = True
    minutes: list[int] = field(default_factory=lambda: [0] * 7)
    entries: list = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.minutes)

    @property
    def work_type_label(self) -> str:
        return WorkType(self.work_type).label if self.work_type else ""


@dataclass
class Timesheet:
    technician: object
    week: str
    days: list[dt.date]
    rows: list[TimesheetRow]
    day_totals: list[int]
    week_total: int
    status: str
    absences: list
    expected_hours: float
    expected_by_day: list[float]
    return_reason: str = ""

    @property
    def locked(self) -> bool:
        return self.status != EntryStatus.DRAFT

    @property
    def status_label(self) -> str:
        return EntryStatus(self.status).label

    @property
    def expected_minutes(self) -> int:
        return round(self.expected_hours * 60)


def row_key(entry) -> str:
    if entry.ticket_id:
        return f"ticket-{entry.ticket_id}"
    if entry.task_id:
        return f"task-{entry.task_id}"
    return f"client-{entry.client_id or 0}-{entry.work_type}"


def row_label(*, ticket=None, task=None, client=None, work_type="") -> str:
    if ticket is not None:
        return f"#{ticket.number} {ticket.subject}"
    if task is not None:
        return f"{task.project.name}: {task.name}"
    kind = WorkType(work_type).label if work_type else ""
    return f"{client.name} · {kind}" if client is not None else f"{kind} (no client)"


def week_status(statuses) -> str:
    """A week is approved when all its entries are, submitted when none is a draft, otherwise draft."""
    statuses = set(statuses)
    if not statuses or EntryStatus.DRAFT in statuses:
        return EntryStatus.DRAFT
    return EntryStatus.APPROVED if statuses == {EntryStatus.APPROVED} else EntryStatus.SUBMITTED


def timesheet(technician, week: str) -> Timesheet:
    """One technician's week: a row per ticket, task or client+work type, minutes per day, totals, status."""
    days = weeks.week_days(week)
    start, end = weeks.week_range(week)
    entries = (
        TimeEntry.objects.filter(technician=technician, started_at__gte=start, started_at__lt=end)
        .select_related("ticket", "task__project", "client")
        .order_by("started_at", "id")
    )
    rows: dict[str, TimesheetRow] = {}
    for entry in entries:
        key = row_key(entry)
        row = rows.get(key)
        if row is None:
            row = rows[key] = TimesheetRow(
                key=key,
                label=row_label(ticket=entry.ticket, task=entry.task, client=entry.client, work_type=entry.work_type),
                ticket=entry.ticket, task=entry.task, client=entry.client, work_type=entry.work_type,
                billable=entry.billable,
            )
        row.minutes[(timezone.localdate(entry.started_at) - days[0]).days] += entry.duration_minutes
        row.billable = row.billable and entry.billable
        row.entries.append(entry)
    all_entries = [entry for row in rows.values() for entry in row.entries]
    day_totals = [sum(row.minutes[index] for row in rows.values()) for index in range(7)]
    available = available_hours([technician.pk], days[0], days[-1])[technician.pk]
    reasons = {entry.return_reason for entry in all_entries if entry.return_reason and entry.status == EntryStatus.DRAFT}
    return Timesheet(
        technician=technician,
        week=week,
        days=days,
        rows=sorted(rows.values(), key=lambda row: row.label.lower()),
        day_totals=day_totals,
        week_total=sum(day_totals),
        status=week_status(entry.status for entry in all_entries),
        absences=list(Absence.objects.filter(technician=technician, starts_on__lte=days[-1], ends_on__gte=days[0])),
        expected_hours=round(sum(available.values()), 2),
        expected_by_day=[available[day] for day in days],
        return_reason="; ".join(sorted(reasons)),
    )


# --- Capacity -------------------------------------------------------------------------------


def _day_hours(capacity) -> tuple[float, str]:
    if capacity is None:
        return DEFAULT_WEEKLY_HOURS / len(DEFAULT_WORK_DAYS), DEFAULT_WORK_DAYS
    days = capacity.work_days or ""
    return (float(capacity.weekly_hours) / len(days) if days else 0.0), days


def available_hours(technician_ids, start: dt.date, end: dt.date) -> dict[int, dict[dt.date, float]]:
    """Working hours per technician per day in [start, end]: the week spread over work days, minus absences.

    Technicians without a capacity work 40 hours Monday to Friday.
    """
    technician_ids = list(technician_ids)
    capacities = {capacity.technician_id: capacity for capacity in Capacity.objects.filter(technician_id__in=technician_ids)}
    absences = defaultdict(list)
    for absence in Absence.objects.filter(technician_id__in=technician_ids, starts_on__lte=end, ends_on__gte=start):
        absences[absence.technician_id].append(absence)
    result = {}
    span = [start + dt.timedelta(days=offset) for offset in range((end - start).days + 1)]
    for technician_id in technician_ids:
        per_day, work_days = _day_hours(capacities.get(technician_id))
        hours = {}
        for day in span:
            available = per_day if str(day.isoweekday()) in work_days else 0.0
            for absence in absences[technician_id]:
                if absence.starts_on <= day <= absence.ends_on:
                    away = available if absence.hours_per_day is None else float(absence.hours_per_day)
                    available = max(0.0, available - away)
            hours[day] = round(available, 4)
        result[technician_id] = hours
    return result


@dataclass
class Utilisation:
    logged_hours: float
    billable_hours: float
    available_hours: float
    target: float

    @property
    def rate(self) -> float | None:
        """Billable hours over available hours; None when nothing was available."""
        return self.billable_hours / self.available_hours if self.available_hours else None

    @property
    def below_target(self) -> bool:
        return self.rate is not None and self.rate < self.target


def utilisation(technician, start: dt.date, end: dt.date) -> Utilisation:
    """Billable share of a technician's available hours between two dates (inclusive)."""
    entries = TimeEntry.objects.filter(
        technician=technician,
        started_at__gte=weeks.day_start(start),
        started_at__lt=weeks.day_start(end + dt.timedelta(days=1)),
    ).values_list("duration_minutes", "billable")
    logged = billable = 0
    for minutes, is_billable in entries:
        logged += minutes
        billable += minutes if is_billable else 0
    capacity = Capacity.objects.filter(technician=technician).first()
    return Utilisation(
        logged_hours=logged / 60,
        billable_hours=billable / 60,
        available_hours=sum(available_hours([technician.pk], start, end)[technician.pk].values()),
        target=float(capacity.target_utilisation) if capacity else DEFAULT_TARGET,
    )


@dataclass
class CapacityLine:
    technician: object
    weekly_hours: float
    work_days: str
    target: float
    utilisation: Utilisation
    absences: list

    @property
    def work_day_names(self) -> str:
        names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        return ", ".join(names[int(day) - 1] for day in self.work_days)


def capacity_overview(user, today: dt.date | None = None) -> list[CapacityLine]:
    """Every technician's normal week, this month's utilisation against target and coming absences."""
    today = today or timezone.localdate()
    month_start = today.replace(day=1)
    capacities = {capacity.technician_id: capacity for capacity in Capacity.objects.visible_to(user)}
    upcoming = defaultdict(list)
    for absence in Absence.objects.visible_to(user).filter(ends_on__gte=today):
        upcoming[absence.technician_id].append(absence)
    lines = []
    for technician in technicians_for(user):
        capacity = capacities.get(technician.pk)
        lines.append(
            CapacityLine(
                technician=technician,
                weekly_hours=float(capacity.weekly_hours) if capacity else DEFAULT_WEEKLY_HOURS,
                work_days=capacity.work_days if capacity else DEFAULT_WORK_DAYS,
                target=float(capacity.target_utilisation) if capacity else DEFAULT_TARGET,
                utilisation=utilisation(technician, month_start, today),
                absences=upcoming[technician.pk],
            )
        )
    return lines


def absences_for(user, *, technician: int | None = None, ending_after: dt.date | None = None):
    """Absences the user may see (all staff see everyone's: planning needs them)."""
    absences = Absence.objects.visible_to(user).select_related("technician")
    if technician is not None:
        absences = absences.filter(technician_id=technician)
    if ending_after is not None:
        absences = absences.filter(ends_on__gte=ending_after)
    return absences


# --- Approval -------------------------------------------------------------------------------


@dataclass
class WeekAwaiting:
    technician: object
    week: str
    total_minutes: int
    minutes_by_work_type: dict[str, int]

    @property
    def by_work_type(self) -> list[tuple[str, int]]:
        return [(WorkType(kind).label, self.minutes_by_work_type.get(kind, 0)) for kind in WorkType.values]


def weeks_awaiting_approval() -> list[WeekAwaiting]:
    """Submitted weeks, oldest first, with totals per work type."""
    grouped: dict[tuple[int, str], WeekAwaiting] = {}
    entries = (
        TimeEntry.objects.filter(status=EntryStatus.SUBMITTED)
        .select_related("technician")
        .order_by("started_at")
        .only("technician", "started_at", "duration_minutes", "work_type")
    )
    for entry in entries:
        key = (entry.technician_id, weeks.week_of(timezone.localdate(entry.started_at)))
        item = grouped.get(key)
        if item is None:
            item = grouped[key] = WeekAwaiting(entry.technician, key[1], 0, defaultdict(int))
        item.total_minutes += entry.duration_minutes
        item.minutes_by_work_type[entry.work_type] += entry.duration_minutes
    return list(grouped.values())


def running_timer(user):
    """The user's running timer with what it times, or None."""
    if user is None or not getattr(user, "is_staff_member", False):
        return None
    return RunningTimer.objects.filter(technician=user).select_related("ticket", "task__project", "client").first()
