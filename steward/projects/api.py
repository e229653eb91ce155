"""REST endpoints of projects: projects with their progress, tasks, linked tickets and templates.

Staff only: a client's people get empty lists and 404 for any project, as for every
piece of internal planning data.
"""

from django.http import Http404
from ninja import Query, Router, Status

from steward.accounts.models import User
from steward.clients.models import Client
from steward.core.api import (
    READ_ERRORS,
    WRITE_ERRORS,
    ErrorOut,
    PageOut,
    get_visible_or_404,
    resolve_ref,
    resolve_refs,
)
from steward.core.exceptions import DomainError, require_staff
from steward.core.pagination import keyset_page
from steward.desk.models import Ticket
from steward.projects import queries, services
from steward.projects.models import Project, ProjectTemplate, Task
from steward.projects.schemas import (
    ProjectFilters,
    ProjectIn,
    ProjectOut,
    ProjectPageQuery,
    ProjectPatch,
    TaskIn,
    TaskOut,
    TaskPatch,
    TemplateIn,
    TemplateOut,
    TicketLinkIn,
    TicketLinkOut,
)

router = Router(tags=["projects"])
STAFF_ONLY = "Only the provider's staff plan projects."


def _project_out(request, project_id: int) -> Project:
    project = queries.projects_for(request.user).filter(pk=project_id).first()
    if project is None:
        raise Http404
    return queries.attach_progress([project])[0]


def _task_out(request, task_id: int) -> Task:
    task = queries.task_for(request.user, task_id)
    if task is None:
        raise Http404
    return task


def _refs(user, data: dict, project: Project | None = None) -> dict:
    """Swap ids in a payload for rows the user may see (unknown → 422 naming the field)."""
    if "client" in data:
        data["client"] = resolve_ref(Client.objects, user, data["client"], field="client", label="client")
    for field in ("owner", "assignee"):
        if field in data:
            data[field] = resolve_ref(User.objects, user, data[field], field=field, label="user")
    if project is not None and "phase" in data:
        data["phase"] = resolve_ref(project.phases, user, data["phase"], field="phase", label="phase in this project")
    if project is not None and data.get("depends_on") is not None:
        data["depends_on"] = resolve_refs(project.tasks, user, data["depends_on"], field="depends_on", label="task in this project")
    return data


# --- Projects ---------------------------------------------------------------------------------


@router.get(
    "/projects",
    response={200: PageOut[ProjectOut], **READ_ERRORS},
    summary="List projects, most recently changed first",
    description="Keyset-paginated: follow `next_cursor` until it is null. Each project carries its progress "
    "and its latest forecast.",
)
def list_projects(request, filters: Query[ProjectFilters], page: Query[ProjectPageQuery]):
    criteria = filters.dict()
    if criteria["client"] not in (None, queries.INTERNAL) and not criteria["client"].isdigit():
        raise DomainError("Give a client id, or 'internal'.", field="client")
    projects = queries.projects_for(request.user, **criteria)
    result = keyset_page(projects, key="updated_at", cursor=page.cursor, limit=page.limit)
    result.items = queries.attach_progress(result.items)
    return result


@router.post(
    "/projects",
    response={201: ProjectOut, **WRITE_ERRORS},
    summary="Create a project (staff)",
    description="Pass `template` to copy a template's phases, tasks, estimates and dependencies in one step.",
)
def create_project(request, payload: ProjectIn):
    user = request.user
    require_staff(user, STAFF_ONLY)
    data = _refs(user, payload.dict())
    template = resolve_ref(ProjectTemplate.objects, user, data.pop("template"), field="template", label="template")
    assignee = data.pop("assignee")
    if template is not None:
        if "description" not in payload.model_fields_set:
            del data["description"]
        project = services.create_from_template(template, actor=user, assignee=assignee, **data)
    else:
        project = services.create_project(user, **data)
    return Status(201, _project_out(request, project.pk))


@router.get("/projects/{project_id}", response={200: ProjectOut, **READ_ERRORS}, summary="Show a project")
def show_project(request, project_id: int):
    return _project_out(request, project_id)


@router.patch(
    "/projects/{project_id}",
    response={200: ProjectOut, **WRITE_ERRORS},
    summary="Change a project (staff)",
    description='Status "done" records the completion day; reopening clears it. A deadline in the past is accepted.',
)
def update_project(request, project_id: int, payload: ProjectPatch):
    project = get_visible_or_404(Project.objects, request.user, pk=project_id)
    require_staff(request.user, STAFF_ONLY)
    services.update_project(project, request.user, _refs(request.user, payload.dict(exclude_unset=True)))
    return _project_out(request, project_id)


# --- Tasks ------------------------------------------------------------------------------------


@router.get("/projects/{project_id}/tasks", response={200: list[TaskOut], **READ_ERRORS}, summary="List a project's tasks")
def list_tasks(request, project_id: int):
    project = queries.project_detail(request.user, project_id)
    if project is None:
        raise Http404
    return project.task_list


@router.post("/projects/{project_id}/tasks", response={201: TaskOut, **WRITE_ERRORS}, summary="Add a task (staff)")
def add_task(request, project_id: int, payload: TaskIn):
    project = get_visible_or_404(Project.objects, request.user, pk=project_id)
    require_staff(request.user, STAFF_ONLY)
    task = services.add_task(project, request.user, **_refs(request.user, payload.dict(), project))
    return Status(201, _task_out(request, task.pk))


@router.get("/tasks/{task_id}", response={200: TaskOut, **READ_ERRORS}, summary="Show a task")
def show_task(request, task_id: int):
    return _task_out(request, task_id)


@router.patch(
    "/tasks/{task_id}",
    response={200: TaskOut, **WRITE_ERRORS},
    summary="Change a task (staff)",
    description="`depends_on` replaces the dependencies (a cycle is refused, naming its tasks); "
    "`remaining_hours` re-estimates the work left and is for the assignee or an admin.",
)
def update_task(request, task_id: int, payload: TaskPatch):
    task = get_visible_or_404(Task.objects.select_related("project"), request.user, pk=task_id)
    require_staff(request.user, STAFF_ONLY)
    changes = _refs(request.user, payload.dict(exclude_unset=True), task.project)
    remaining = changes.pop("remaining_hours", None)
    if changes:
        services.update_task(task, request.user, changes)
    if remaining is not None:
        services.re_estimate(task, remaining, request.user)
    return _task_out(request, task_id)


@router.delete("/tasks/{task_id}", response={204: None, **WRITE_ERRORS}, summary="Delete a task (staff)")
def remove_task(request, task_id: int):
    task = get_visible_or_404(Task.objects, request.user, pk=task_id)
    require_staff(request.user, STAFF_ONLY)
    services.delete_task(task, request.user)
    return Status(204, None)


# --- Linked tickets ---------------------------------------------------------------------------


@router.post(
    "/projects/{project_id}/tickets",
    response={201: TicketLinkOut, 409: ErrorOut, **WRITE_ERRORS},
    summary="Link a ticket to a project (staff)",
    description="A ticket belongs to at most one project, and to a project of its own client (or an internal one).",
)
def link_ticket(request, project_id: int, payload: TicketLinkIn):
    project = get_visible_or_404(Project.objects, request.user, pk=project_id)
    require_staff(request.user, STAFF_ONLY)
    ticket = resolve_ref(Ticket.objects, request.user, payload.number, field="number", label="ticket", lookup="number")
    return Status(201, services.link_ticket(project, ticket, request.user))


@router.delete(
    "/projects/{project_id}/tickets/{number}",
    response={204: None, **WRITE_ERRORS},
    summary="Unlink a ticket from a project (staff)",
)
def unlink_ticket(request, project_id: int, number: int):
    project = get_visible_or_404(Project.objects, request.user, pk=project_id)
    ticket = get_visible_or_404(Ticket.objects, request.user, number=number)
    require_staff(request.user, STAFF_ONLY)
    services.unlink_ticket(project, ticket, request.user)
    return Status(204, None)


# --- Templates --------------------------------------------------------------------------------


@router.get("/project-templates", response={200: list[TemplateOut], **READ_ERRORS}, summary="List project templates")
def list_project_templates(request):
    return list(queries.templates_for(request.user))


@router.post("/project-templates", response={201: TemplateOut, **WRITE_ERRORS}, summary="Create a project template (admin)")
def create_project_template(request, payload: TemplateIn):
    data = payload.dict()
    template = services.save_template(request.user, name=data["name"], description=data["description"], tasks=data["tasks"])
    return Status(201, get_visible_or_404(queries.templates_for(request.user), request.user, pk=template.pk))


@router.get("/project-templates/{template_id}", response={200: TemplateOut, **READ_ERRORS}, summary="Show a project template")
def show_project_template(request, template_id: int):
    return get_visible_or_404(queries.templates_for(request.user), request.user, pk=template_id)


@router.put(
    "/project-templates/{template_id}",
    response={200: TemplateOut, **WRITE_ERRORS},
    summary="Replace a project template's name and tasks (admin)",
    description="Projects already created from it keep their own copy of the tasks.",
)
def replace_project_template(request, template_id: int, payload: TemplateIn):
    template = get_visible_or_404(ProjectTemplate.objects, request.user, pk=template_id)
    data = payload.dict()
    services.save_template(
        request.user, name=data["name"], description=data["description"], tasks=data["tasks"], template=template
    )
    return get_visible_or_404(queries.templates_for(request.user), request.user, pk=template_id)

