"""Staff pages of projects: the portfolio list, a project's plan, its board and its timeline."""

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import retarget

from steward.core.decorators import staff_required
from steward.core.exceptions import DomainError
from steward.core.htmx import is_partial
from steward.desk.models import Ticket
from steward.projects import queries, services
from steward.projects.choices import OPEN_PROJECT_STATUSES, TaskStatus
from steward.projects.forms import (
    LinkTicketForm,
    PhaseForm,
    ProjectFilterForm,
    ProjectForm,
    ReEstimateForm,
    TaskForm,
)
from steward.projects.models import Phase, Project, Task

NAV = {"nav": "projects"}


def _form_error(form, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _project(request, project_id) -> Project:
    return get_object_or_404(Project.objects.visible_to(request.user), pk=project_id)


def _task(request, task_id) -> Task:
    return get_object_or_404(Task.objects.visible_to(request.user).select_related("project"), pk=task_id)


def _detail(request, project_id):
    project = queries.project_detail(request.user, project_id)
    if project is None:
        raise Http404
    return project


# --- Portfolio -------------------------------------------------------------------------------


@staff_required
def project_list(request):
    form = ProjectFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    status = filters.get("status") or sorted(OPEN_PROJECT_STATUSES)
    projects = queries.projects_for(
        request.user,
        status=None if status == "all" else status,
        client=filters.get("client"),
        owner=filters.get("owner") and filters["owner"].pk,
    )
    context = {"form": form, "projects": queries.attach_progress(projects), "filtered": bool(request.GET), **NAV}
    return render(request, "projects/list.html", context)


@staff_required
@require_POST
def project_move(request, project_id):
    project = _project(request, project_id)
    services.move_project(request.user, project, -1 if request.POST.get("direction") == "up" else 1)
    return redirect(f"{reverse('projects:list')}#project-{project.pk}")


@staff_required
@require_http_methods(["GET", "POST"])
def project_new(request):
    initial = {"template": request.GET.get("template"), "owner": request.user.pk}
    form = ProjectForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        template, assignee = data.pop("template"), data.pop("assignee")
        try:
            if template is not None:
                if not data["description"]:
                    del data["description"]
                project = services.create_from_template(template, actor=request.user, assignee=assignee, **data)
            else:
                project = services.create_project(request.user, **data)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, f"Project “{project.name}” created.")
            return redirect("projects:detail", project_id=project.pk)
    return render(request, "projects/project_form.html", {"form": form, **NAV})


@staff_required
@require_http_methods(["GET", "POST"])
def project_edit(request, project_id):
    project = _project(request, project_id)
    fields = ("name", "client", "owner", "status", "starts_on", "deadline", "risk_threshold", "description")
    initial = {name: getattr(project, name) for name in fields}
    form = ProjectForm(request.POST or None, user=request.user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_project(project, request.user, form.cleaned_data)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "Project saved.")
            return redirect("projects:detail", project_id=project.pk)
    return render(request, "projects/project_form.html", {"form": form, "project": project, **NAV})


# --- A project's plan ------------------------------------------------------------------------


def _plan_context(request, project, **forms):
    return {
        "project": project,
        "task_form": forms.get("task_form") or TaskForm(project=project),
        "phase_form": forms.get("phase_form") or PhaseForm(),
        "ticket_form": forms.get("ticket_form") or LinkTicketForm(),
        "statuses": TaskStatus,
        "refresh_progress": forms.get("refresh_progress", False),
        **NAV,
    }


def _render_plan(request, project_id, status=200, **forms):
    """The plan section alone for htmx, else the whole project page."""
    project = _detail(request, project_id)
    template = "projects/partials/_plan.html" if is_partial(request) else "projects/detail.html"
    if is_partial(request):
        # htmx swaps only 2xx answers: a refused form comes back as 200 with its errors.
        # The header's progress changes with the plan: sent along out of band.
        context = _plan_context(request, project, refresh_progress=True, **forms)
        return retarget(render(request, template, context), "#plan")
    return render(request, template, _plan_context(request, project, **forms), status=status)


@staff_required
def project_detail(request, project_id):
    return render(request, "projects/detail.html", _plan_context(request, _detail(request, project_id)))


@staff_required
@require_POST
def task_add(request, project_id):
    project = _project(request, project_id)
    form = TaskForm(request.POST, project=project)
    if form.is_valid():
        try:
            task = services.add_task(project, request.user, **form.cleaned_data)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            if not is_partial(request):
                messages.success(request, f"Task “{task.name}” added.")
                return redirect("projects:detail", project_id=project.pk)
            return _render_plan(request, project.pk)
    return _render_plan(request, project.pk, status=422, task_form=form)


@staff_required
@require_http_methods(["GET", "POST"])
def task_edit(request, task_id):
    task = _task(request, task_id)
    initial = {name: getattr(task, name) for name in services.TASK_FIELDS if name != "remaining_hours"}
    initial["depends_on"] = list(task.depends_on.all())
    form = TaskForm(request.POST or None, project=task.project, task=task, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_task(task, request.user, form.cleaned_data)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            if is_partial(request):
                return _render_plan(request, task.project_id)
            messages.success(request, f"Task “{task.name}” saved.")
            return redirect("projects:detail", project_id=task.project_id)
    template = "projects/partials/_task_edit_row.html" if is_partial(request) else "projects/task_form.html"
    status = 422 if request.method == "POST" and not is_partial(request) else 200
    return render(request, template, {"form": form, "task": task, "project": task.project, **NAV}, status=status)


@staff_required
def task_row(request, task_id):
    """One task's row again (cancelling an inline edit)."""
    task = queries.task_for(request.user, task_id)
    if task is None:
        raise Http404
    return render(request, "projects/partials/_task_row.html", {"task": task, "project": task.project, "statuses": TaskStatus})


@staff_required
@require_POST
def task_delete(request, task_id):
    task = _task(request, task_id)
    services.delete_task(task, request.user)
    messages.success(request, f"Task “{task.name}” deleted.")
    return redirect("projects:detail", project_id=task.project_id)


@staff_required
@require_POST
def task_status(request, task_id):
    """Move a task to another status (complete, reopen, or a column of the board)."""
    task = _task(request, task_id)
    status = request.POST.get("status")
    try:
        services.update_task(task, request.user, {"status": status})
    except DomainError as exc:
        messages.error(request, exc.message)
    on_board = request.POST.get("view") == "board"
    if on_board and is_partial(request):
        return render(request, "projects/partials/_board.html", _board_context(request, task.project_id))
    return redirect("projects:board" if on_board else "projects:detail", project_id=task.project_id)


@staff_required
@require_POST
def task_re_estimate(request, task_id):
    task = _task(request, task_id)
    form = ReEstimateForm(request.POST)
    if form.is_valid():
        try:
            services.re_estimate(task, form.cleaned_data["remaining_hours"], request.user)
            messages.success(request, f"“{task.name}”: {form.cleaned_data['remaining_hours']} h still to do.")
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, "Enter the hours still to do as a number of 0 or more.")
    return redirect("projects:detail", project_id=task.project_id)


@staff_required
@require_POST
def phase_add(request, project_id):
    project = _project(request, project_id)
    form = PhaseForm(request.POST)
    if form.is_valid():
        try:
            services.add_phase(project, request.user, name=form.cleaned_data["name"])
            return redirect("projects:detail", project_id=project.pk)
        except DomainError as exc:
            _form_error(form, exc)
    return _render_plan(request, project.pk, status=422, phase_form=form)


@staff_required
@require_POST
def phase_rename(request, phase_id):
    phase = get_object_or_404(Phase.objects.visible_to(request.user), pk=phase_id)
    form = PhaseForm(request.POST)
    if form.is_valid():
        services.rename_phase(phase, request.user, name=form.cleaned_data["name"])
    else:
        messages.error(request, "Give the phase a name.")
    return redirect("projects:detail", project_id=phase.project_id)


@staff_required
@require_POST
def ticket_link(request, project_id):
    project = _project(request, project_id)
    form = LinkTicketForm(request.POST)
    if form.is_valid():
        ticket = Ticket.objects.visible_to(request.user).filter(number=form.cleaned_data["number"]).first()
        try:
            if ticket is None:
                raise DomainError(f"There is no ticket #{form.cleaned_data['number']}.", field="number")
            services.link_ticket(project, ticket, request.user)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, f"Ticket #{ticket.number} linked.")
            return redirect(f"{reverse('projects:detail', args=[project.pk])}#tickets")
    return _render_plan(request, project.pk, status=422, ticket_form=form)


@staff_required
@require_POST
def ticket_unlink(request, project_id, number):
    project = _project(request, project_id)
    ticket = get_object_or_404(Ticket.objects.visible_to(request.user), number=number)
    try:
        services.unlink_ticket(project, ticket, request.user)
        messages.success(request, f"Ticket #{ticket.number} unlinked.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(f"{reverse('projects:detail', args=[project.pk])}#tickets")


# --- Board and timeline ----------------------------------------------------------------------


def _board_context(request, project_id):
    project = _detail(request, project_id)
    columns = [
        {"status": value, "label": label, "tasks": [task for task in project.task_list if task.status == value]}
        for value, label in TaskStatus.choices
    ]
    return {"project": project, "columns": columns, "statuses": TaskStatus, **NAV}


@staff_required
def project_board(request, project_id):
    return render(request, "projects/board.html", _board_context(request, project_id))


# Timeline drawing: pixels per row and for the task names on the left.
ROW_HEIGHT = 22
LABEL_WIDTH = 260
CHART_WIDTH = 760


@dataclass
class TimelineRow:
    kind: str  # "phase" or "task"
    label: str
    y: int
    bar: queries.Bar | None = None
    x: float = 0
    width: float = 0


def _timeline(project, today):
    bars = {bar.task.pk: bar for bar in queries.schedule(project, project.task_list, today)}
    days = [today] + [d for bar in bars.values() for d in (bar.start, bar.end)]
    if project.deadline:
        days.append(project.deadline)
    first, last = min(days), max(days) + dt.timedelta(days=1)
    scale = CHART_WIDTH / max((last - first).days, 1)

    def x(day):
        return LABEL_WIDTH + (day - first).days * scale

    groups = [(phase.name, phase.task_list) for phase in project.phase_list]
    if project.unphased_tasks:
        groups.append(("No phase", project.unphased_tasks))
    rows, y = [], 24
    for name, tasks in groups:
        rows.append(TimelineRow("phase", name, y))
        y += ROW_HEIGHT
        for task in tasks:
            bar = bars[task.pk]
            rows.append(TimelineRow("task", task.name, y, bar, x(bar.start), max((bar.end - bar.start).days + 1, 1) * scale))
            y += ROW_HEIGHT
    by_task = {row.bar.task.pk: row for row in rows if row.bar}
    arrows = [
        {"x1": by_task[dep.pk].x + by_task[dep.pk].width, "y1": by_task[dep.pk].y + 10, "x2": row.x, "y2": row.y + 10}
        for row in rows if row.bar for dep in row.bar.task.depends_on.all() if dep.pk in by_task
    ]
    month_ticks = []
    day = first.replace(day=1)
    while day <= last:
        if day >= first:
            month_ticks.append({"x": x(day), "label": day.strftime("%b %Y")})
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return {
        "rows": rows, "arrows": arrows, "months": month_ticks, "height": y + 8, "width": LABEL_WIDTH + CHART_WIDTH + 10,
        "today_x": x(today), "deadline_x": x(project.deadline) if project.deadline else None,
        "first": first, "last": last,
    }


@staff_required
def project_timeline(request, project_id):
    project = _detail(request, project_id)
    today = timezone.localdate()
    context = {"project": project, "chart": _timeline(project, today), "today": today, **NAV}
    return render(request, "projects/timeline.html", context)


@staff_required
def template_list(request):
    return render(request, "projects/templates.html", {"templates": queries.templates_for(request.user), **NAV})


@staff_required
def template_detail(request, template_id):
    template = get_object_or_404(queries.templates_for(request.user), pk=template_id)
    return render(request, "projects/templates.html", {"templates": [template], "single": True, **NAV})
