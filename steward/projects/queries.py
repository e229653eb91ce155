"""Read path of projects: scoped lists with progress, the project page and the timeline schedule.

Progress comes from hours logged against estimates: a task's remaining work is the
assignee's re-estimate when given, else its estimate minus the hours logged (never below
zero), and nothing for a done task. A project's progress is logged / (logged + remaining).
"""

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from steward.projects.choices import TaskStatus
from steward.projects.models import (
    Forecast,
    Project,
    ProjectTemplate,
    ProjectTicket,
    Task,
    TemplateTask,
)
from steward.work.models import TimeEntry

# A technician's project day in the simple schedule of tasks that have no dates.
HOURS_PER_DAY = 6
INTERNAL = "internal"


def _logged_minutes():
    per_task = (
        TimeEntry.objects.filter(task=OuterRef("pk")).order_by().values("task").annotate(total=Sum("duration_minutes"))
    )
    return Coalesce(Subquery(per_task.values("total"), output_field=IntegerField()), Value(0))


def tasks_with_logged(queryset=None):
    """Tasks annotated with ``logged_minutes`` (one subquery, no per-row queries)."""
    return (queryset if queryset is not None else Task.objects.all()).annotate(logged_minutes=_logged_minutes())


def logged_hours(task) -> Decimal:
    return (Decimal(getattr(task, "logged_minutes", 0) or 0) / 60).quantize(Decimal("0.01"))


def remaining_hours(task) -> Decimal:
    if task.status == TaskStatus.DONE:
        return Decimal(0)
    if task.remaining_hours is not None:
        return task.remaining_hours
    return max((task.estimate_hours or Decimal(0)) - logged_hours(task), Decimal(0))


@dataclass
class Progress:
    logged: Decimal = Decimal(0)
    remaining: Decimal = Decimal(0)
    estimate: Decimal = Decimal(0)
    by_status: dict = field(default_factory=lambda: {status: 0 for status in TaskStatus.values})

    @property
    def percent(self) -> int:
        total = self.logged + self.remaining
        if not total:
            return 100 if self.tasks and self.by_status[TaskStatus.DONE] == self.tasks else 0
        return int(self.logged * 100 / total)

    @property
    def tasks(self) -> int:
        return sum(self.by_status.values())

    def add(self, task) -> None:
        self.logged += logged_hours(task)
        self.remaining += remaining_hours(task)
        self.estimate += task.estimate_hours or Decimal(0)
        self.by_status[task.status] += 1


def _latest_forecast(column):
    return Subquery(Forecast.objects.filter(project=OuterRef("pk")).order_by("-computed_at", "-id").values(column)[:1])


def projects_for(user, *, status=None, client=None, owner=None):
    """The projects ``user`` may see in portfolio order, with their latest forecast and link counts.

    ``client``: a client id or "internal"; ``status``: one status or a list. Call
    ``attach_progress`` on the rows shown to add their progress."""
    projects = Project.objects.visible_to(user).select_related("client", "owner")
    if status:
        projects = projects.filter(status__in=[status] if isinstance(status, str) else status)
    if client == INTERNAL:
        projects = projects.filter(client__isnull=True)
    elif client:
        projects = projects.filter(client_id=client)
    if owner:
        projects = projects.filter(owner_id=owner)
    return projects.annotate(
        probability_on_time=_latest_forecast("probability_on_time"),
        p50_date=_latest_forecast("p50_date"),
        p90_date=_latest_forecast("p90_date"),
        linked_tickets=Count("ticket_links", distinct=True),
    ).order_by("priority", "deadline", "id")


def attach_progress(projects) -> list:
    """Set ``project.progress`` on each project, from one query over their tasks."""
    projects = list(projects)
    by_id = {project.pk: project for project in projects}
    for project in projects:
        project.progress = Progress()
    tasks = tasks_with_logged(Task.objects.filter(project_id__in=by_id)).only(
        "project_id", "status", "estimate_hours", "remaining_hours"
    )
    for task in tasks:
        by_id[task.project_id].progress.add(task)
    return projects


def project_detail(user, project_id: int) -> Project | None:
    """A project with its phases, tasks (hours logged, dependencies, assignee) and linked tickets."""
    project = projects_for(user).filter(pk=project_id).first()
    if project is None:
        return None
    tasks = list(
        tasks_with_logged(project.tasks.select_related("assignee", "phase"))
        .prefetch_related(Prefetch("depends_on", queryset=Task.objects.only("id", "name", "project_id")))
        .order_by("position", "id")
    )
    project.progress = Progress()
    for task in tasks:
        task.logged_hours = logged_hours(task)
        task.remaining = remaining_hours(task)
        project.progress.add(task)
    phases = list(project.phases.order_by("position", "id"))
    for phase in phases:
        phase.task_list = [task for task in tasks if task.phase_id == phase.pk]
    project.phase_list = phases
    project.unphased_tasks = [task for task in tasks if task.phase_id is None]
    project.task_list = tasks
    project.ticket_list = list(
        ProjectTicket.objects.filter(project=project).select_related("ticket").order_by("ticket__number")
    )
    return project


def task_for(user, task_id: int) -> Task | None:
    task = tasks_with_logged(Task.objects.visible_to(user).select_related("assignee", "phase", "project")).filter(
        pk=task_id
    ).prefetch_related("depends_on").first()
    if task is not None:
        task.logged_hours = logged_hours(task)
        task.remaining = remaining_hours(task)
    return task


def templates_for(user):
    return ProjectTemplate.objects.visible_to(user).annotate(task_count=Count("tasks")).prefetch_related(
        Prefetch("tasks", queryset=TemplateTask.objects.prefetch_related("depends_on").order_by("position", "id"))
    )


# --- Timeline ------------------------------------------------------------------------------


def _working_days_after(day: dt.date, days: int) -> dt.date:
    """The day that ends ``days`` working days of work starting on ``day`` (Mon–Fri)."""
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    remaining = max(days, 1) - 1
    while remaining:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            remaining -= 1
    return day


def _next_working_day(day: dt.date) -> dt.date:
    day += dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


@dataclass
class Bar:
    task: Task
    start: dt.date
    end: dt.date
    planned: bool  # True when the dates were set on the task, False when scheduled here


def schedule(project: Project, tasks: list, today: dt.date | None = None) -> list[Bar]:
    """A bar per task: its own dates when set, else a simple schedule in dependency order,
    one task at a time per assignee, at ``HOURS_PER_DAY`` hours of work a day."""
    today = today or timezone.localdate()
    origin = project.starts_on or today
    by_id = {task.pk: task for task in tasks}
    bars: dict[int, Bar] = {}
    assignee_free: dict[int | None, dt.date] = {}
    visiting: set[int] = set()

    def place(task) -> Bar:
        if task.pk in bars:
            return bars[task.pk]
        visiting.add(task.pk)
        deps = [place(by_id[dep.pk]) for dep in task.depends_on.all() if dep.pk in by_id and dep.pk not in visiting]
        visiting.discard(task.pk)
        hours = task.estimate_hours if task.status == TaskStatus.DONE else remaining_hours(task)
        length = max(math.ceil((hours or 0) / HOURS_PER_DAY), 1)
        if task.starts_on and task.due_on:
            bar = Bar(task, task.starts_on, task.due_on, True)
        else:
            earliest = max([origin, *(_next_working_day(dep.end) for dep in deps)])
            if task.status != TaskStatus.DONE:
                earliest = max(earliest, today)
                if task.assignee_id:
                    earliest = max(earliest, assignee_free.get(task.assignee_id, earliest))
            start = task.starts_on or earliest
            if task.due_on and not task.starts_on:
                start = min(start, task.due_on)
            end = task.due_on or _working_days_after(start, length)
            bar = Bar(task, start, end, False)
        if task.assignee_id and task.status != TaskStatus.DONE:
            assignee_free[task.assignee_id] = max(assignee_free.get(task.assignee_id, bar.start), _next_working_day(bar.end))
        bars[task.pk] = bar
        return bar

    for task in tasks:
        place(task)
    return [bars[task.pk] for task in tasks]
