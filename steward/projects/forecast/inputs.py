"""The forecaster's inputs read from the database, as they were known on a given day.

``as_of`` today reads the live plan. An earlier ``as_of`` (the backtest) reads only what was
known then: projects and tasks created by that day and not yet finished, hours logged before
it, absences entered by then, estimate accuracy of tasks finished before it. What cannot be
replayed: deadlines, estimates and assignees as they are now (their history is not kept).
Every table is read with one query; time entries are summed per day in SQL.
"""

import datetime as dt
from collections import defaultdict

import numpy as np
from django.db.models import Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from steward.accounts.choices import Role
from steward.accounts.models import User
from steward.projects.choices import OPEN_PROJECT_STATUSES, ProjectStatus, TaskStatus
from steward.projects.forecast.engine import (
    PortfolioInput,
    ProjectInput,
    TaskInput,
    TechnicianInput,
)
from steward.projects.models import ForecastSettings, Project, Task
from steward.work.choices import WorkType
from steward.work.models import Absence, Capacity, TimeEntry

PERIOD_DAYS = 7
HORIZON_PERIODS = 105  # two years of weeks
DEFAULT_WEEKLY_HOURS = 40.0
DEFAULT_WORK_DAYS = "12345"
RATIO_YEARS = 2
# Work that is neither reactive nor project work still takes hours from projects.
OTHER_WORK_TYPES = (WorkType.PROACTIVE, WorkType.ADMIN)
NO_HISTORY = (np.zeros(0), np.zeros(0))
# An open task that already overran its estimate still has work left: assume a tenth of it.
OVERRUN_REMAINING_SHARE = 0.1


def build_portfolio(as_of: dt.date | None = None) -> PortfolioInput:
    """Every project open on ``as_of`` (default today), competing for the technicians' hours."""
    today = timezone.localdate()
    as_of = as_of or today
    historical = as_of < today
    settings = ForecastSettings.current()
    cutoff = _start_of(as_of)
    explanations: dict[int, list[str]] = defaultdict(list)

    projects = list(_open_projects(as_of, historical))
    tasks = list(_open_tasks(projects, as_of, historical))
    logged = _hours_logged(tasks, cutoff)
    dependencies = _dependencies(tasks)
    technicians = _technicians(tasks)
    capacity = _capacity(technicians, as_of, historical)
    history = _load_history(technicians, as_of, settings.history_weeks)

    tasks_by_project: dict[int, list[TaskInput]] = defaultdict(list)
    for task in tasks:
        assignee_id = task.assignee_id
        if assignee_id is not None and assignee_id not in technicians:
            explanations[task.project_id].append(
                f"“{task.name}” is assigned to {task.assignee}, who is not an active technician; "
                "it is planned for someone else until it is reassigned."
            )
            assignee_id = None
        tasks_by_project[task.project_id].append(TaskInput(
            id=task.pk,
            project_id=task.project_id,
            name=task.name,
            assignee_id=assignee_id,
            remaining_hours=_remaining(task, logged.get(task.pk, 0.0), historical),
            depends_on=tuple(dependencies.get(task.pk, ())),
            spent_hours=_spent(task, logged.get(task.pk, 0.0), historical),
        ))
    return PortfolioInput(
        as_of=as_of,
        period_days=PERIOD_DAYS,
        technicians=[
            TechnicianInput(
                id=user.pk,
                name=user.display_name,
                capacity_hours=capacity[user.pk],
                reactive_history=history.get(user.pk, NO_HISTORY)[0],
                default_reactive_share=settings.default_reactive_share,
                other_history=history.get(user.pk, NO_HISTORY)[1],
            )
            for user in technicians.values()
        ],
        projects=[
            ProjectInput(p.pk, p.name, p.priority, p.deadline, tasks_by_project.get(p.pk, [])) for p in projects
        ],
        estimate_ratios=_estimate_ratios(cutoff),
        explanations=dict(explanations),
    )


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _open_projects(as_of, historical):
    if not historical:
        return Project.objects.filter(status__in=OPEN_PROJECT_STATUSES).order_by("priority", "deadline", "pk")
    # Then: created by that day, and not finished before it (cancelled ones have no known end).
    return (
        Project.objects.filter(created_at__date__lte=as_of)
        .exclude(status=ProjectStatus.CANCELLED)
        .filter(Q(completed_on__gte=as_of) | Q(completed_on__isnull=True, status__in=OPEN_PROJECT_STATUSES))
        .order_by("priority", "deadline", "pk")
    )


def _open_tasks(projects, as_of, historical):
    tasks = Task.objects.filter(project__in=[p.pk for p in projects]).select_related("assignee")
    if not historical:
        return tasks.exclude(status=TaskStatus.DONE).order_by("project", "position", "pk")
    return (
        tasks.filter(created_at__date__lte=as_of)
        .filter(Q(completed_at__date__gte=as_of) | Q(completed_at__isnull=True) & ~Q(status=TaskStatus.DONE))
        .order_by("project", "position", "pk")
    )


def _hours_logged(tasks, cutoff) -> dict[int, float]:
    rows = (
        TimeEntry.objects.filter(task__in=[t.pk for t in tasks], started_at__lt=cutoff)
        .values("task")
        .annotate(minutes=Sum("duration_minutes"))
    )
    return {row["task"]: row["minutes"] / 60 for row in rows}


def _remaining(task, logged_hours, historical) -> float | None:
    if not historical and task.remaining_hours is not None:
        return float(task.remaining_hours)
    if task.estimate_hours is None:
        return None
    estimate = float(task.estimate_hours)
    return max(estimate - logged_hours, estimate * OVERRUN_REMAINING_SHARE)


def _spent(task, logged_hours, historical) -> float:
    """Hours logged on a task whose remaining work is derived from its estimate (not re-estimated)."""
    if (not historical and task.remaining_hours is not None) or task.estimate_hours is None:
        return 0.0
    return logged_hours


def _dependencies(tasks) -> dict[int, list[int]]:
    through = Task.depends_on.through
    pairs = through.objects.filter(from_task__in=[t.pk for t in tasks]).values_list("from_task_id", "to_task_id")
    result: dict[int, list[int]] = defaultdict(list)
    for task_id, required_id in pairs:
        result[task_id].append(required_id)
    return result


def _technicians(tasks) -> dict[int, User]:
    assignees = {t.assignee_id for t in tasks if t.assignee_id is not None}
    users = (
        User.objects.staff()
        .filter(Q(role=Role.TECHNICIAN) | Q(pk__in=assignees) | Q(capacity__isnull=False))
        .distinct()
        .order_by("pk")
    )
    return {user.pk: user for user in users}


def _capacity(technicians, as_of, historical) -> dict[int, np.ndarray]:
    """Hours per future week: the weekly hours spread over the work days, minus absences."""
    days = HORIZON_PERIODS * PERIOD_DAYS
    last_day = as_of + dt.timedelta(days=days - 1)
    weekdays = (as_of.isoweekday() - 1 + np.arange(days)) % 7 + 1
    capacities = {c.technician_id: c for c in Capacity.objects.filter(technician__in=list(technicians))}
    absences = Absence.objects.filter(technician__in=list(technicians), ends_on__gte=as_of, starts_on__lte=last_day)
    if historical:
        absences = absences.filter(created_at__date__lte=as_of)
    daily = {}
    for tech_id in technicians:
        row = capacities.get(tech_id)
        weekly = float(row.weekly_hours) if row else DEFAULT_WEEKLY_HOURS
        work_days = [int(d) for d in (row.work_days if row else DEFAULT_WORK_DAYS) if d.isdigit()]
        per_day = weekly / len(work_days) if work_days else 0.0
        daily[tech_id] = np.where(np.isin(weekdays, work_days), per_day, 0.0)
    for absence in absences:
        hours = daily[absence.technician_id]
        first = max((absence.starts_on - as_of).days, 0)
        last = min((absence.ends_on - as_of).days, days - 1)
        away = hours[first:last + 1]
        off = away if absence.hours_per_day is None else np.minimum(float(absence.hours_per_day), away)
        hours[first:last + 1] = away - off
    return {tech_id: hours.reshape(HORIZON_PERIODS, PERIOD_DAYS).sum(axis=1) for tech_id, hours in daily.items()}


def _load_history(technicians, as_of, history_weeks) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """(reactive, other non-project) hours per past week, from the first week the technician logged time."""
    first_day = as_of - dt.timedelta(days=history_weeks * PERIOD_DAYS)
    rows = (
        TimeEntry.objects.filter(
            technician__in=list(technicians), started_at__gte=_start_of(first_day), started_at__lt=_start_of(as_of)
        )
        .annotate(day=TruncDate("started_at"))
        .values("technician", "day")
        .annotate(
            reactive=Sum("duration_minutes", filter=Q(work_type=WorkType.REACTIVE)),
            other=Sum("duration_minutes", filter=Q(work_type__in=OTHER_WORK_TYPES)),
        )
    )
    weekly: dict[int, np.ndarray] = {}
    first_week: dict[int, int] = {}
    for row in rows:
        week = min(max((row["day"] - first_day).days // PERIOD_DAYS, 0), history_weeks - 1)
        hours = weekly.setdefault(row["technician"], np.zeros((2, history_weeks)))
        hours[0, week] += (row["reactive"] or 0) / 60
        hours[1, week] += (row["other"] or 0) / 60
        first_week[row["technician"]] = min(first_week.get(row["technician"], week), week)
    # Weeks before someone's first logged hour are unknown, not quiet.
    return {tech_id: (hours[0, first_week[tech_id]:], hours[1, first_week[tech_id]:]) for tech_id, hours in weekly.items()}


def _estimate_ratios(cutoff) -> np.ndarray:
    rows = (
        Task.objects.filter(
            status=TaskStatus.DONE,
            completed_at__lt=cutoff,
            completed_at__gte=cutoff - dt.timedelta(days=365 * RATIO_YEARS),
            estimate_hours__gt=0,
        )
        .annotate(minutes=Sum("time_entries__duration_minutes", filter=Q(time_entries__started_at__lt=cutoff)))
        .filter(minutes__gt=0)
        .values_list("estimate_hours", "minutes")
    )
    return np.array([minutes / 60 / float(estimate) for estimate, minutes in rows], dtype=float)
