from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from steward.clients.models import Client
from steward.core.decorators import staff_required
from steward.core.exceptions import DomainError
from steward.core.htmx import is_partial
from steward.desk.models import Ticket
from steward.projects.choices import ProjectStatus, TaskStatus
from steward.projects.models import Task
from steward.work import forms, queries, services, weeks
from steward.work.models import Absence


def _week(week: str) -> str:
    try:
        weeks.parse_week(week)
    except ValueError:
        raise Http404 from None
    return week


def _back(request, fallback: str):
    target = request.POST.get("next") or request.META.get("HTTP_REFERER") or fallback
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = fallback
    return redirect(target)


def _require_admin(request):
    if not request.user.is_admin:
        raise Http404


def _row_objects(request, key: str) -> dict:
    """The ticket, task or client (+ work type) a timesheet row stands for, as the user may see them."""
    kind, _, rest = key.partition("-")
    if kind == "ticket":
        return {"ticket": get_object_or_404(Ticket.objects.visible_to(request.user), pk=int(rest))}
    if kind == "task":
        return {"task": get_object_or_404(Task.objects.visible_to(request.user).select_related("project"), pk=int(rest))}
    client_id, _, work_type = rest.partition("-")
    client = get_object_or_404(Client.objects.visible_to(request.user), pk=int(client_id)) if client_id != "0" else None
    return {"client": client, "work_type": work_type}


def _grid_context(request, technician, week, *, editable=True, extra_rows=(), cell_error=None, row_form=None):
    sheet = queries.timesheet(technician, week)
    keys = {row.key for row in sheet.rows}
    sheet.rows += [row for row in extra_rows if row.key not in keys]
    own = technician.pk == request.user.pk
    return {
        "nav": "time",
        "sheet": sheet,
        "week": week,
        "previous_week": weeks.shift_week(week, -1),
        "next_week": weeks.shift_week(week, 1),
        "this_week": weeks.current_week(),
        "editable": own and editable and not sheet.locked,
        "own": own,
        "cell_error": cell_error,
        "row_form": row_form or forms.AddRowForm(auto_id="row_%s"),
        "task_choices": _open_tasks(request.user, technician) if own else [],
        "sheet_user_id": technician.pk,
        "client_choices": Client.objects.visible_to(request.user).order_by("name").only("pk", "name") if own else [],
        "return_form": forms.ReturnForm(auto_id="return_%s"),
        "hours_help": forms.HOURS_HELP,
    }


def _open_tasks(user, technician):
    """Open project tasks to log time on: the technician's own first, then the rest, by project."""
    tasks = (
        Task.objects.visible_to(user)
        .exclude(status=TaskStatus.DONE)
        .exclude(project__status__in=[ProjectStatus.DONE, ProjectStatus.CANCELLED])
        .select_related("project")
        .only("pk", "name", "assignee_id", "project__name")
    )
    return sorted(tasks, key=lambda task: (task.assignee_id != technician.pk, task.project.name, task.name))


def _render_grid(request, context, status=200):
    template = "work/partials/_timesheet.html" if is_partial(request) else "work/timesheet.html"
    return render(request, template, context, status=status)


# --- My week --------------------------------------------------------------------------------


@staff_required
@require_GET
def my_week(request):
    return _render_grid(request, _grid_context(request, request.user, weeks.current_week()))


@staff_required
@require_GET
def week_detail(request, week):
    return _render_grid(request, _grid_context(request, request.user, _week(week)))


def _cell_error(request, week, message):
    """The grid again with the typed value kept in its cell, even on a row that has no time yet."""
    key = request.POST.get("row", "")
    error = {"row": key, "day": request.POST.get("day"), "value": request.POST.get("hours", ""), "message": message}
    extra = []
    if forms.CellForm.base_fields["row"].regex.match(key):
        objects = _row_objects(request, key)
        extra.append(_pending_row(objects, objects.get("work_type") or request.POST.get("work_type") or ""))
    return _render_grid(request, _grid_context(request, request.user, week, cell_error=error, extra_rows=extra), status=422)


@staff_required
@require_POST
def cell_update(request, week):
    week = _week(week)
    form = forms.CellForm(request.POST)
    if not form.is_valid():
        return _cell_error(request, week, " ".join(message for errors in form.errors.values() for message in errors))
    data = form.cleaned_data
    if weeks.week_of(data["day"]) != week:
        raise Http404
    row = _row_objects(request, data["row"])
    if "work_type" not in row:
        row["work_type"] = data["work_type"] or None
    try:
        services.set_day_minutes(request.user, request.user, data["day"], data["hours"], billable=data["billable"], **row)
    except DomainError as exc:
        return _cell_error(request, week, exc.message)
    if not is_partial(request):
        return redirect("work:week", week)
    return _render_grid(request, _grid_context(request, request.user, week))


@staff_required
@require_POST
def row_add(request, week):
    week = _week(week)
    form = forms.AddRowForm(request.POST, auto_id="row_%s")
    extra = []
    if form.is_valid():
        data = form.cleaned_data
        objects = {}
        if data["ticket"]:
            objects["ticket"] = Ticket.objects.visible_to(request.user).filter(number=data["ticket"]).first()
            if objects["ticket"] is None:
                form.add_error("ticket", f"There is no ticket #{data['ticket']}.")
        elif data["task"]:
            objects["task"] = Task.objects.visible_to(request.user).select_related("project").filter(pk=data["task"]).first()
            if objects["task"] is None:
                form.add_error("task", "There is no such task.")
        elif data["client"]:
            objects["client"] = Client.objects.visible_to(request.user).filter(pk=data["client"]).first()
            if objects["client"] is None:
                form.add_error("client", "There is no such client.")
        if not form.errors:
            work_type = data["work_type"] or services.default_work_type(objects.get("ticket"), objects.get("task"))
            extra.append(_pending_row(objects, work_type))
            form = None
    return _render_grid(request, _grid_context(request, request.user, week, extra_rows=extra, row_form=form))


def _pending_row(objects, work_type) -> queries.TimesheetRow:
    ticket, task, client = objects.get("ticket"), objects.get("task"), objects.get("client")
    if ticket is not None:
        key = f"ticket-{ticket.pk}"
    elif task is not None:
        key = f"task-{task.pk}"
    else:
        key = f"client-{client.pk if client else 0}-{work_type}"
    label = queries.row_label(ticket=ticket, task=task, client=client, work_type=work_type)
    return queries.TimesheetRow(key=key, label=label, ticket=ticket, task=task, client=client, work_type=work_type)


@staff_required
@require_POST
def row_billable(request, week):
    week = _week(week)
    form = forms.BillableForm(request.POST)
    if not form.is_valid():
        raise Http404
    key = form.cleaned_data["row"]
    _row_objects(request, key)  # 404 for a row the user may not see
    rows = [row for row in queries.timesheet(request.user, week).rows if row.key == key]
    error = None
    try:
        services.set_billable(request.user, rows[0].entries if rows else [], form.cleaned_data["billable"])
    except DomainError as exc:
        error = {"row": key, "day": "", "value": "", "message": exc.message}
    if not is_partial(request):
        return redirect("work:week", week)
    return _render_grid(request, _grid_context(request, request.user, week, cell_error=error))


@staff_required
@require_POST
def week_copy(request, week):
    week = _week(week)
    try:
        copied = services.copy_last_week(request.user, week, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if copied:
            messages.success(request, f"Copied {copied} entr{'y' if copied == 1 else 'ies'} from last week.")
        else:
            messages.info(request, "Nothing to copy: last week has no project, proactive or admin time on free days.")
    return redirect("work:week", week)


@staff_required
@require_POST
def week_submit(request, week):
    week = _week(week)
    try:
        services.submit_week(request.user, week, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Week {week} submitted for approval.")
    return redirect("work:week", week)


# --- Managers -------------------------------------------------------------------------------


def _technician(request, technician_id):
    return get_object_or_404(queries.technicians_for(request.user), pk=technician_id)


@staff_required
@require_GET
def technician_week(request, technician_id, week):
    week = _week(week)
    technician = _technician(request, technician_id)
    if technician.pk == request.user.pk:
        return redirect("work:week", week)
    _require_admin(request)
    return _render_grid(request, _grid_context(request, technician, week, editable=False))


@staff_required
@require_POST
def week_approve(request, technician_id, week):
    week = _week(week)
    technician = _technician(request, technician_id)
    _require_admin(request)
    try:
        services.approve_week(request.user, technician, week)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Approved {week} of {technician.display_name}.")
    return _back(request, reverse("work:approvals"))


@staff_required
@require_POST
def week_return(request, technician_id, week):
    week = _week(week)
    technician = _technician(request, technician_id)
    _require_admin(request)
    form = forms.ReturnForm(request.POST)
    try:
        services.return_week(request.user, technician, week, form.data.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Returned {week} to {technician.display_name}.")
    return _back(request, reverse("work:approvals"))


@staff_required
@require_GET
def approvals(request):
    _require_admin(request)
    return render(
        request, "work/approvals.html",
        {"nav": "time", "awaiting": queries.weeks_awaiting_approval(), "return_form": forms.ReturnForm(auto_id="return_%s")},
    )


# --- Capacity and absences ------------------------------------------------------------------


def _capacity_page(request, *, absence_form=None, capacity_errors=None, status=200):
    lines = queries.capacity_overview(request.user)
    return render(
        request, "work/capacity.html",
        {
            "nav": "time",
            "lines": lines,
            "absence_form": absence_form or forms.AbsenceForm(auto_id="absence_%s"),
            "capacity_errors": capacity_errors or {},
            "technicians": [line.technician for line in lines],
            "this_week": weeks.current_week(),
        },
        status=status,
    )


@staff_required
@require_GET
def capacity(request):
    return _capacity_page(request)


@staff_required
@require_POST
def capacity_edit(request, technician_id):
    technician = _technician(request, technician_id)
    _require_admin(request)
    form = forms.CapacityForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.set_capacity(
                technician, data["weekly_hours"], "".join(data["work_days"]), data["target_percent"] / 100, actor=request.user
            )
        except DomainError as exc:
            forms.add_domain_error(form, exc)
        else:
            messages.success(request, f"Capacity of {technician.display_name} saved.")
            return redirect("work:capacity")
    errors = " ".join(message for errors in form.errors.values() for message in errors)
    return _capacity_page(request, capacity_errors={technician.pk: errors}, status=422)


@staff_required
@require_POST
def absence_add(request):
    form = forms.AbsenceForm(request.POST, auto_id="absence_%s")
    if form.is_valid():
        data = form.cleaned_data
        technician = request.user
        if data["technician"]:
            technician = queries.technicians_for(request.user).filter(pk=data["technician"]).first()
        if technician is None:
            form.add_error(None, "Pick a technician.")
        else:
            try:
                services.add_absence(
                    technician, kind=data["kind"], starts_on=data["starts_on"], ends_on=data["ends_on"],
                    hours_per_day=data["hours_per_day"], note=data["note"], actor=request.user,
                )
            except DomainError as exc:
                forms.add_domain_error(form, exc)
            else:
                messages.success(request, f"Absence of {technician.display_name} recorded.")
                return redirect("work:capacity")
    return _capacity_page(request, absence_form=form, status=422)


@staff_required
@require_POST
def absence_delete(request, absence_id):
    absence = get_object_or_404(Absence.objects.visible_to(request.user).select_related("technician"), pk=absence_id)
    try:
        services.remove_absence(absence, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Absence of {absence.technician.display_name} removed.")
    return _back(request, reverse("work:capacity"))


# --- Timer ----------------------------------------------------------------------------------


@staff_required
@require_POST
def timer_start(request):
    form = forms.TimerStartForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The timer could not start: " + " ".join(str(e) for errors in form.errors.values() for e in errors))
        return _back(request, reverse("work:my_week"))
    data = form.cleaned_data
    ticket = task = client = None
    if data["ticket"]:
        ticket = get_object_or_404(Ticket.objects.visible_to(request.user).select_related("client"), number=data["ticket"])
    if data["task"]:
        task = get_object_or_404(Task.objects.visible_to(request.user).select_related("project__client"), pk=data["task"])
    if data["client"]:
        client = get_object_or_404(Client.objects.visible_to(request.user), pk=data["client"])
    try:
        services.start_timer(request.user, ticket=ticket, task=task, client=client, work_type=data["work_type"] or None, note=data["note"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Timer started{f' on #{ticket.number}' if ticket else ''}.")
    return _back(request, reverse("work:my_week"))


@staff_required
@require_POST
def timer_stop(request):
    try:
        entry = services.stop_timer(request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        where = f" on #{entry.ticket.number}" if entry.ticket_id else ""
        messages.success(request, f"Logged {forms.format_minutes(entry.duration_minutes)} h{where}.")
    return _back(request, reverse("work:my_week"))


@staff_required
@require_POST
def timer_discard(request):
    try:
        services.discard_timer(request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.info(request, "Timer discarded; nothing was logged.")
    return _back(request, reverse("work:my_week"))

