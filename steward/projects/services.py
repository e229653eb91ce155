"""Write path of projects: the plan (projects, phases, tasks, dependencies), templates and ticket links.

Every change to the plan announces ``ProjectEvent.PLAN_CHANGED`` inside its transaction,
so the forecast of the project can be recomputed.
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from steward.core import events
from steward.core.exceptions import Conflict, DomainError, NotPermitted, require_staff
from steward.projects.choices import ProjectEvent, ProjectStatus, TaskStatus
from steward.projects.models import (
    Phase,
    Project,
    ProjectTemplate,
    ProjectTicket,
    Task,
    TemplateTask,
)

PROJECT_FIELDS = ("name", "description", "client", "owner", "status", "starts_on", "deadline", "risk_threshold")
TASK_FIELDS = ("name", "description", "phase", "estimate_hours", "remaining_hours", "assignee", "status", "starts_on", "due_on")


class ProjectError(DomainError):
    """A change to a project the plan refuses; the message tells the user what to do."""


class DependencyCycle(ProjectError):
    pass


class TicketAlreadyLinked(ProjectError, Conflict):
    pass


def _plan_changed(project_id: int) -> None:
    events.publish(ProjectEvent.PLAN_CHANGED, project_id=project_id)


def _check_dates(starts_on, ends_on, *, field: str, label: str) -> None:
    if starts_on and ends_on and ends_on < starts_on:
        raise ProjectError(f"The {label} cannot be before the start date.", field=field)


def _check_staff(user, field: str, label: str) -> None:
    if user is not None and not user.is_staff_member:
        raise ProjectError(f"The {label} must be a technician or admin.", field=field)


def _check_hours(value, field: str, label: str) -> Decimal | None:
    if value is None:
        return None
    value = Decimal(str(value))
    if value < 0:
        raise ProjectError(f"The {label} cannot be negative.", field=field)
    return value


# --- Projects --------------------------------------------------------------------------------


@transaction.atomic
def create_project(actor, *, name: str, client=None, owner=None, status=ProjectStatus.PLANNED, **fields) -> Project:
    require_staff(actor, "Only the provider's staff can plan projects.")
    if not (name or "").strip():
        raise ProjectError("Give the project a name.", field="name")
    _check_staff(owner, "owner", "owner")
    _check_dates(fields.get("starts_on"), fields.get("deadline"), field="deadline", label="deadline")
    project = Project(name=name.strip(), client=client, owner=owner, status=status, **fields)
    if status == ProjectStatus.DONE:
        project.completed_on = timezone.localdate()
    project.priority = (Project.objects.aggregate(last=Max("priority"))["last"] or 0) + 1
    project.save()
    _plan_changed(project.pk)
    return project


@transaction.atomic
def update_project(project: Project, actor, changes: dict) -> Project:
    """Change a project; "done" records the day it was completed and reopening clears it.

    A deadline in the past is allowed: the forecast explains what that means."""
    require_staff(actor, "Only the provider's staff can plan projects.")
    unknown = set(changes) - set(PROJECT_FIELDS)
    if unknown:
        raise ProjectError(f"{', '.join(sorted(unknown))} cannot be changed here.", field=min(unknown))
    if "name" in changes and not (changes["name"] or "").strip():
        raise ProjectError("Give the project a name.", field="name")
    if "owner" in changes:
        _check_staff(changes["owner"], "owner", "owner")
    if "client" in changes and changes["client"] != project.client and project.ticket_links.exists():
        raise ProjectError("Unlink the project's tickets before moving it to another client.", field="client")
    _check_dates(changes.get("starts_on", project.starts_on), changes.get("deadline", project.deadline),
                 field="deadline", label="deadline")
    old_status = project.status
    for field, value in changes.items():
        setattr(project, field, value)
    if project.status != old_status:
        if project.status == ProjectStatus.DONE:
            project.completed_on = timezone.localdate()
        elif old_status == ProjectStatus.DONE:
            project.completed_on = None
    project.save()
    _plan_changed(project.pk)
    return project


@transaction.atomic
def set_priority_order(actor, project_ids: list[int]) -> None:
    """Number the given projects 1, 2, 3… in this order; others keep their place after them."""
    require_staff(actor, "Only the provider's staff can order projects.")
    ids = list(dict.fromkeys(project_ids))
    projects = {p.pk: p for p in Project.objects.filter(pk__in=ids)}
    missing = [pk for pk in ids if pk not in projects]
    if missing:
        raise ProjectError(f"There is no project with id {', '.join(map(str, missing))}.", field="project_ids")
    for position, pk in enumerate(ids, start=1):
        projects[pk].priority = position
    Project.objects.bulk_update(projects.values(), ["priority"])
    # Projects not named keep their relative order, after the named ones.
    rest = list(Project.objects.exclude(pk__in=ids).order_by("priority", "deadline", "id"))
    for position, project in enumerate(rest, start=len(ids) + 1):
        project.priority = position
    Project.objects.bulk_update(rest, ["priority"])
    for pk in ids:
        _plan_changed(pk)


def move_project(actor, project: Project, offset: int) -> None:
    """Move a project up (-1) or down (+1) in the portfolio order."""
    ids = list(Project.objects.order_by("priority", "deadline", "id").values_list("pk", flat=True))
    index = ids.index(project.pk)
    target = min(max(index + offset, 0), len(ids) - 1)
    ids.insert(target, ids.pop(index))
    set_priority_order(actor, ids)


# --- Phases ----------------------------------------------------------------------------------


@transaction.atomic
def add_phase(project: Project, actor, *, name: str) -> Phase:
    require_staff(actor, "Only the provider's staff can plan projects.")
    if not (name or "").strip():
        raise ProjectError("Give the phase a name.", field="name")
    last = project.phases.aggregate(last=Max("position"))["last"]
    phase = Phase.objects.create(project=project, name=name.strip(), position=(last or 0) + 1)
    _plan_changed(project.pk)
    return phase


@transaction.atomic
def rename_phase(phase: Phase, actor, *, name: str) -> Phase:
    require_staff(actor, "Only the provider's staff can plan projects.")
    if not (name or "").strip():
        raise ProjectError("Give the phase a name.", field="name")
    phase.name = name.strip()
    phase.save(update_fields=["name"])
    _plan_changed(phase.project_id)
    return phase


@transaction.atomic
def reorder_phases(project: Project, actor, phase_ids: list[int]) -> None:
    require_staff(actor, "Only the provider's staff can plan projects.")
    phases = {phase.pk: phase for phase in project.phases.all()}
    if sorted(phase_ids) != sorted(phases):
        raise ProjectError("List every phase of the project exactly once.", field="phase_ids")
    for position, pk in enumerate(phase_ids, start=1):
        phases[pk].position = position
    Phase.objects.bulk_update(phases.values(), ["position"])
    _plan_changed(project.pk)


# --- Tasks -----------------------------------------------------------------------------------


def _find_cycle(task: Task, depends_on: list[Task]) -> list[Task] | None:
    """The chain task → … → task that these dependencies would close, or None."""
    edges: dict[int, list[int]] = {}
    for from_id, to_id in Task.depends_on.through.objects.filter(from_task__project_id=task.project_id).values_list(
        "from_task_id", "to_task_id"
    ):
        edges.setdefault(from_id, []).append(to_id)
    edges[task.pk] = [dep.pk for dep in depends_on]
    path: list[int] = []
    done: set[int] = set()

    def visit(node: int) -> bool:
        if node in path:
            path.append(node)
            return True
        if node in done:
            return False
        path.append(node)
        for nxt in edges.get(node, ()):
            if visit(nxt):
                return True
        path.pop()
        done.add(node)
        return False

    if not visit(task.pk):
        return None
    names = dict(Task.objects.filter(pk__in=path).values_list("pk", "name"))
    start = path.index(path[-1])
    return [names[pk] for pk in path[start:]]


def _set_dependencies(task: Task, depends_on) -> None:
    depends_on = list(dict.fromkeys(depends_on))
    for dependency in depends_on:
        if dependency.project_id != task.project_id:
            raise ProjectError(
                f"“{dependency.name}” belongs to another project; a task can only depend on tasks of its own project.",
                field="depends_on",
            )
        if dependency.pk == task.pk:
            raise DependencyCycle(f"“{task.name}” cannot depend on itself.", field="depends_on")
    cycle = _find_cycle(task, depends_on)
    if cycle:
        raise DependencyCycle(
            "These dependencies would go round in a circle: " + " → ".join(f"“{name}”" for name in cycle)
            + ". Remove one of them.",
            field="depends_on",
        )
    task.depends_on.set(depends_on)


def _validate_task_fields(project: Project, fields: dict) -> dict:
    if "name" in fields and not (fields["name"] or "").strip():
        raise ProjectError("Give the task a name.", field="name")
    if "name" in fields:
        fields["name"] = fields["name"].strip()
    for field, label in (("estimate_hours", "estimate"), ("remaining_hours", "remaining work")):
        if field in fields:
            fields[field] = _check_hours(fields[field], field, label)
    if "assignee" in fields:
        _check_staff(fields["assignee"], "assignee", "assignee")
    if fields.get("phase") is not None and fields["phase"].project_id != project.pk:
        raise ProjectError("Pick a phase of this project.", field="phase")
    if "status" in fields and fields["status"] not in TaskStatus.values:
        raise ProjectError("Pick a status: to do, in progress or done.", field="status")
    return fields


def _apply_status(task: Task, status: str) -> None:
    if status == TaskStatus.DONE and task.status != TaskStatus.DONE:
        task.completed_at = timezone.now()
        task.remaining_hours = Decimal(0)
    elif status != TaskStatus.DONE and task.status == TaskStatus.DONE:
        task.completed_at = None
        task.remaining_hours = None
    task.status = status


@transaction.atomic
def add_task(project: Project, actor, *, name: str, depends_on=(), status=TaskStatus.TODO, **fields) -> Task:
    require_staff(actor, "Only the provider's staff can plan projects.")
    fields = _validate_task_fields(project, {"name": name, **fields})
    _check_dates(fields.get("starts_on"), fields.get("due_on"), field="due_on", label="due date")
    last = project.tasks.aggregate(last=Max("position"))["last"]
    task = Task(project=project, position=(last or 0) + 1, **fields)
    _apply_status(task, status)
    task.save()
    if depends_on:
        _set_dependencies(task, depends_on)
    _plan_changed(project.pk)
    return task


@transaction.atomic
def update_task(task: Task, actor, changes: dict) -> Task:
    """Change a task; ``depends_on`` (a list of tasks) replaces its dependencies."""
    require_staff(actor, "Only the provider's staff can plan projects.")
    changes = dict(changes)
    depends_on = changes.pop("depends_on", None)
    unknown = set(changes) - set(TASK_FIELDS)
    if unknown:
        raise ProjectError(f"{', '.join(sorted(unknown))} cannot be changed here.", field=min(unknown))
    changes = _validate_task_fields(task.project, changes)
    _check_dates(changes.get("starts_on", task.starts_on), changes.get("due_on", task.due_on),
                 field="due_on", label="due date")
    status = changes.pop("status", None)
    for field, value in changes.items():
        setattr(task, field, value)
    if status is not None:
        _apply_status(task, status)
    task.save()
    if depends_on is not None:
        _set_dependencies(task, depends_on)
    _plan_changed(task.project_id)
    return task


@transaction.atomic
def delete_task(task: Task, actor) -> None:
    require_staff(actor, "Only the provider's staff can plan projects.")
    project_id = task.project_id
    task.delete()
    _plan_changed(project_id)


def complete_task(task: Task, actor) -> Task:
    return update_task(task, actor, {"status": TaskStatus.DONE})


def reopen_task(task: Task, actor) -> Task:
    return update_task(task, actor, {"status": TaskStatus.IN_PROGRESS})


@transaction.atomic
def re_estimate(task: Task, remaining_hours, actor) -> Task:
    """The assignee's (or an admin's) new estimate of the hours still to do."""
    if actor is None or not (actor.is_admin or (task.assignee_id and task.assignee_id == actor.pk)):
        raise NotPermitted("Only the task's assignee or an admin can re-estimate the remaining work.",
                           field="remaining_hours")
    if remaining_hours is None:
        raise ProjectError("Say how many hours are still to do.", field="remaining_hours")
    task.remaining_hours = _check_hours(remaining_hours, "remaining_hours", "remaining work")
    task.save(update_fields=["remaining_hours"])
    _plan_changed(task.project_id)
    return task


# --- Tickets ---------------------------------------------------------------------------------


@transaction.atomic
def link_ticket(project: Project, ticket, actor) -> ProjectTicket:
    """Make ``ticket`` part of ``project``; a ticket belongs to at most one project."""
    require_staff(actor, "Only the provider's staff can link tickets to projects.")
    if project.client_id is not None and ticket.client_id != project.client_id:
        raise ProjectError(
            f"Ticket #{ticket.number} belongs to another client; link tickets of {project.client} only.", field="number"
        )
    existing = ProjectTicket.objects.select_related("project").filter(ticket=ticket).first()
    if existing is not None:
        if existing.project_id == project.pk:
            return existing
        raise TicketAlreadyLinked(
            f"Ticket #{ticket.number} is already part of “{existing.project.name}”; unlink it there first.",
            field="number",
        )
    link = ProjectTicket.objects.create(project=project, ticket=ticket)
    _plan_changed(project.pk)
    return link


@transaction.atomic
def unlink_ticket(project: Project, ticket, actor) -> None:
    require_staff(actor, "Only the provider's staff can link tickets to projects.")
    deleted, _ = ProjectTicket.objects.filter(project=project, ticket=ticket).delete()
    if not deleted:
        raise ProjectError(f"Ticket #{ticket.number} is not linked to this project.", field="number")
    _plan_changed(project.pk)


# --- Templates -------------------------------------------------------------------------------


@transaction.atomic
def save_template(actor, *, name: str, description: str = "", tasks: list[dict], template=None) -> ProjectTemplate:
    """Create (or replace the tasks of) a template. ``tasks``: dicts with name, phase,
    estimate_hours and depends_on (positions in the list, counted from 0)."""
    if actor is None or not actor.is_admin:
        raise NotPermitted("Only an admin can change project templates.")
    if not (name or "").strip():
        raise ProjectError("Give the template a name.", field="name")
    clash = ProjectTemplate.objects.filter(name=name.strip())
    if template is not None:
        clash = clash.exclude(pk=template.pk)
    if clash.exists():
        raise ProjectError(f"There is already a template called “{name.strip()}”.", field="name")
    if not tasks:
        raise ProjectError("Add at least one task.", field="tasks")
    if template is None:
        template = ProjectTemplate(name=name.strip(), description=description)
    template.name, template.description = name.strip(), description
    template.save()
    template.tasks.all().delete()
    rows = []
    for position, spec in enumerate(tasks, start=1):
        if not (spec.get("name") or "").strip():
            raise ProjectError(f"Task {position} needs a name.", field="tasks")
        hours = _check_hours(spec.get("estimate_hours") or 0, "tasks", f"estimate of “{spec['name']}”")
        rows.append(TemplateTask.objects.create(
            template=template, phase=spec.get("phase", ""), name=spec["name"].strip(),
            estimate_hours=hours, position=position,
        ))
    for row, spec in zip(rows, tasks):
        deps = spec.get("depends_on") or []
        if any(not 0 <= index < rows.index(row) for index in deps):
            raise ProjectError(f"“{row.name}” can only depend on tasks listed before it.", field="tasks")
        row.depends_on.set([rows[index] for index in deps])
    return template


@transaction.atomic
def create_from_template(
    template: ProjectTemplate, *, actor, name: str, client, owner, starts_on, deadline, assignee=None, **fields
) -> Project:
    """A new project with the template's phases, tasks, estimates and dependencies, in one step.

    ``fields``: further project fields (status, description, risk_threshold)."""
    fields.setdefault("description", template.description)
    project = create_project(
        actor, name=name, client=client, owner=owner, starts_on=starts_on, deadline=deadline, template=template, **fields
    )
    _check_staff(assignee, "assignee", "assignee")
    template_tasks = list(template.tasks.prefetch_related("depends_on").order_by("position", "id"))
    phases: dict[str, Phase] = {}
    copies: dict[int, Task] = {}
    for position, row in enumerate(template_tasks, start=1):
        phase = None
        if row.phase:
            if row.phase not in phases:
                phases[row.phase] = Phase.objects.create(project=project, name=row.phase, position=len(phases) + 1)
            phase = phases[row.phase]
        copies[row.pk] = Task.objects.create(
            project=project, phase=phase, name=row.name, estimate_hours=row.estimate_hours,
            assignee=assignee, position=position,
        )
    links = [
        Task.depends_on.through(from_task_id=copies[row.pk].pk, to_task_id=copies[dep.pk].pk)
        for row in template_tasks
        for dep in row.depends_on.all()
        if dep.pk in copies
    ]
    Task.depends_on.through.objects.bulk_create(links)
    _plan_changed(project.pk)
    return project
