"""API schemas of projects: projects with their progress, tasks, ticket links and templates."""

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from steward.accounts.schemas import UserRef
from steward.clients.schemas import ClientRef
from steward.core.pagination import DEFAULT_LIMIT, MAX_LIMIT
from steward.projects.choices import ProjectStatus, TaskStatus

Hours = Decimal


class ProjectOut(Schema):
    id: int
    name: str
    description: str
    client: ClientRef | None = Field(description="Null for an internal project.")
    owner: UserRef | None
    status: ProjectStatus
    priority: int = Field(description="Portfolio order: 1 gets technicians' free hours first.")
    starts_on: dt.date | None
    deadline: dt.date | None
    completed_on: dt.date | None
    risk_threshold: int
    template_id: int | None
    logged_hours: Hours = Field(description="Hours logged on the project's tasks.")
    remaining_hours: Hours = Field(description="Re-estimates where given, else estimate minus logged; done tasks 0.")
    estimate_hours: Hours
    progress_percent: int = Field(description="logged / (logged + remaining), in percent.")
    tasks_todo: int
    tasks_in_progress: int
    tasks_done: int
    linked_tickets: int
    probability_on_time: float | None = Field(description="From the latest forecast, 0–1; null when there is none.")
    p50_date: dt.date | None
    p90_date: dt.date | None
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_logged_hours(obj):
        return obj.progress.logged

    @staticmethod
    def resolve_remaining_hours(obj):
        return obj.progress.remaining

    @staticmethod
    def resolve_estimate_hours(obj):
        return obj.progress.estimate

    @staticmethod
    def resolve_progress_percent(obj):
        return obj.progress.percent

    @staticmethod
    def resolve_tasks_todo(obj):
        return obj.progress.by_status[TaskStatus.TODO]

    @staticmethod
    def resolve_tasks_in_progress(obj):
        return obj.progress.by_status[TaskStatus.IN_PROGRESS]

    @staticmethod
    def resolve_tasks_done(obj):
        return obj.progress.by_status[TaskStatus.DONE]


class ProjectFilters(Schema):
    status: list[ProjectStatus] | None = Field(None, description="Repeat for several: status=planned&status=active.")
    client: str | None = Field(None, description="A client id, or 'internal'.")
    owner: int | None = None


class ProjectPageQuery(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Rows per page (at most {MAX_LIMIT}).")
    cursor: str | None = Field(None, description="The `next_cursor` of the previous page.")


class ProjectIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    description: str = ""
    client: int | None = Field(None, description="Client id; leave out for an internal project.")
    owner: int | None = Field(None, description="User id of a technician or admin.")
    status: ProjectStatus = ProjectStatus.PLANNED
    starts_on: dt.date | None = None
    deadline: dt.date | None = None
    risk_threshold: int = Field(70, ge=1, le=99)
    template: int | None = Field(None, description="Template id: copy its phases, tasks, estimates and dependencies.")
    assignee: int | None = Field(None, description="With a template: assign every copied task to this user.")


class ProjectPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = None
    client: int | None = None
    owner: int | None = None
    status: ProjectStatus | None = None
    starts_on: dt.date | None = None
    deadline: dt.date | None = None
    risk_threshold: int | None = Field(None, ge=1, le=99)


class TaskOut(Schema):
    id: int
    project_id: int
    phase: str | None
    phase_id: int | None
    name: str
    description: str
    estimate_hours: Hours | None
    logged_hours: Hours
    remaining_hours: Hours | None = Field(description="The assignee's re-estimate of the work left; null if none.")
    hours_to_do: Hours = Field(description="What is left: the re-estimate, else estimate minus logged; 0 when done.")
    assignee: UserRef | None
    status: TaskStatus
    starts_on: dt.date | None
    due_on: dt.date | None
    depends_on: list[int] = Field(description="Ids of the tasks that must be done before this one starts.")
    completed_at: dt.datetime | None

    @staticmethod
    def resolve_phase(obj):
        return obj.phase.name if obj.phase_id else None

    @staticmethod
    def resolve_hours_to_do(obj):
        return obj.remaining

    @staticmethod
    def resolve_depends_on(obj):
        return [task.pk for task in obj.depends_on.all()]


class TaskIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    description: str = ""
    phase: int | None = Field(None, description="Phase id within the project.")
    estimate_hours: Hours | None = Field(None, ge=0)
    assignee: int | None = None
    status: TaskStatus = TaskStatus.TODO
    starts_on: dt.date | None = None
    due_on: dt.date | None = None
    depends_on: list[int] = Field(default_factory=list, description="Task ids of the same project.")


class TaskPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = None
    phase: int | None = None
    estimate_hours: Hours | None = Field(None, ge=0)
    remaining_hours: Hours | None = Field(None, ge=0, description="Re-estimate the work left (assignee or admin).")
    assignee: int | None = None
    status: TaskStatus | None = None
    starts_on: dt.date | None = None
    due_on: dt.date | None = None
    depends_on: list[int] | None = Field(None, description="Replaces the task's dependencies.")


class TicketLinkIn(Schema):
    number: int = Field(description="The ticket's number (#1042 → 1042).")


class TicketLinkOut(Schema):
    number: int
    subject: str
    status: str
    linked_at: dt.datetime

    @staticmethod
    def resolve_number(obj):
        return obj.ticket.number

    @staticmethod
    def resolve_subject(obj):
        return obj.ticket.subject

    @staticmethod
    def resolve_status(obj):
        return obj.ticket.status


class TemplateTaskOut(Schema):
    id: int
    phase: str
    name: str
    estimate_hours: Hours
    position: int
    depends_on: list[int] = Field(description="Ids of template tasks that come first.")

    @staticmethod
    def resolve_depends_on(obj):
        return [task.pk for task in obj.depends_on.all()]


class TemplateOut(Schema):
    id: int
    name: str
    description: str
    tasks: list[TemplateTaskOut]

    @staticmethod
    def resolve_tasks(obj):
        return list(obj.tasks.all())


class TemplateTaskIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    phase: str = Field("", max_length=200)
    estimate_hours: Hours = Field(ge=0)
    depends_on: list[int] = Field(
        default_factory=list, description="Positions (from 0) of earlier tasks in this list that come first."
    )


class TemplateIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    description: str = ""
    tasks: list[TemplateTaskIn] = Field(min_length=1)
