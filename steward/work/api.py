"""REST endpoints for time entries, timesheets, capacity, absences and the timer (staff only)."""

from django.http import Http404
from django.utils import timezone
from ninja import Query, Router, Status

from steward.accounts.models import User
from steward.clients.models import Client
from steward.core.api import (
    READ_ERRORS,
    WRITE_ERRORS,
    ErrorOut,
    PageOut,
    PageQuery,
    aware,
    get_visible_or_404,
    resolve_ref,
)
from steward.core.exceptions import NotPermitted, require_staff
from steward.core.pagination import keyset_page
from steward.desk.models import Ticket
from steward.projects.models import Task
from steward.work import queries, services, weeks
from steward.work.models import Absence, TimeEntry
from steward.work.schemas import (
    AbsenceFilters,
    AbsenceIn,
    AbsenceOut,
    CapacityIn,
    CapacityOut,
    ReturnIn,
    TimeEntryFilters,
    TimeEntryIn,
    TimeEntryOut,
    TimeEntryPatch,
    TimerOut,
    TimerStartIn,
    TimesheetOut,
    WeekChangeOut,
)

router = Router(tags=["time"])
STAFF_ONLY = "Only the provider's staff log time."
ENTRY_RELATED = ("technician", "ticket", "client")


@router.get(
    "/time-entries",
    response={200: PageOut[TimeEntryOut], **READ_ERRORS},
    summary="List time entries, latest first",
    description="Keyset-paginated by start time: follow `next_cursor` until it is null.",
)
def list_time_entries(request, filters: Query[TimeEntryFilters], page: Query[PageQuery]):
    criteria = filters.dict()
    criteria["started_after"] = aware(criteria["started_after"])
    criteria["started_before"] = aware(criteria["started_before"])
    entries = queries.time_entries_for(request.user, **criteria)
    return keyset_page(entries, key="started_at", cursor=page.cursor, limit=page.limit)


@router.post("/time-entries", response={201: TimeEntryOut, **WRITE_ERRORS}, summary="Log time (staff)")
def log_time(request, payload: TimeEntryIn):
    user = request.user
    require_staff(user, STAFF_ONLY)
    data = payload.dict()
    data["ticket"] = resolve_ref(Ticket.objects, user, data["ticket"], field="ticket", label="ticket", lookup="number")
    data["task"] = resolve_ref(Task.objects.select_related("project"), user, data["task"], field="task", label="task")
    data["client"] = resolve_ref(Client.objects, user, data["client"], field="client", label="client")
    data["technician"] = resolve_ref(User.objects, user, data["technician"], field="technician", label="user")
    data["started_at"] = aware(data["started_at"])
    return Status(201, services.log_time(user, **data))


@router.get("/time-entries/{entry_id}", response={200: TimeEntryOut, **READ_ERRORS}, summary="Show a time entry")
def show_time_entry(request, entry_id: int):
    return get_visible_or_404(TimeEntry.objects.select_related(*ENTRY_RELATED), request.user, pk=entry_id)


@router.patch("/time-entries/{entry_id}", response={200: TimeEntryOut, **WRITE_ERRORS}, summary="Correct a time entry (staff)")
def update_time_entry(request, entry_id: int, payload: TimeEntryPatch):
    entry = get_visible_or_404(TimeEntry.objects.select_related(*ENTRY_RELATED), request.user, pk=entry_id)
    require_staff(request.user, STAFF_ONLY)
    changes = payload.dict(exclude_unset=True)
    if "started_at" in changes:
        changes["started_at"] = aware(changes["started_at"])
    return services.update_time_entry(entry, changes, actor=request.user)


# --- Timesheets -----------------------------------------------------------------------------


def _technician_week(request, technician_id: int, week: str):
    """The technician (404 for client-side callers and unknown ids) and a valid week (else 404)."""
    technician = queries.technicians_for(request.user).filter(pk=technician_id).first()
    if technician is None:
        raise Http404
    try:
        weeks.parse_week(week)
    except ValueError:
        raise Http404 from None
    return technician


def _own_or_admin(request, technician, what):
    if technician.pk != request.user.pk and not request.user.is_admin:
        raise NotPermitted(f"Only an administrator can {what} another technician's timesheet.")


@router.get(
    "/timesheets/{technician_id}/{week}",
    response={200: TimesheetOut, **READ_ERRORS, 403: ErrorOut},
    summary="Show a technician's weekly timesheet",
    description="`week` is an ISO week such as 2026-W02. Technicians see their own; administrators anyone's.",
)
def show_timesheet(request, technician_id: int, week: str):
    technician = _technician_week(request, technician_id, week)
    _own_or_admin(request, technician, "see")
    return queries.timesheet(technician, week)


def _week_change(technician, week, count):
    return {"week": week, "status": queries.timesheet(technician, week).status, "entries": count}


@router.post(
    "/timesheets/{technician_id}/{week}/submit", response={200: WeekChangeOut, **WRITE_ERRORS, 409: ErrorOut},
    summary="Submit a week for approval",
)
def submit_timesheet(request, technician_id: int, week: str):
    technician = _technician_week(request, technician_id, week)
    return _week_change(technician, week, services.submit_week(technician, week, actor=request.user))


@router.post(
    "/timesheets/{technician_id}/{week}/approve", response={200: WeekChangeOut, **WRITE_ERRORS, 409: ErrorOut},
    summary="Approve a submitted week (administrators)",
)
def approve_timesheet(request, technician_id: int, week: str):
    technician = _technician_week(request, technician_id, week)
    return _week_change(technician, week, services.approve_week(request.user, technician, week))


@router.post(
    "/timesheets/{technician_id}/{week}/return", response={200: WeekChangeOut, **WRITE_ERRORS, 409: ErrorOut},
    summary="Return a submitted week to draft with a reason (administrators)",
)
def return_timesheet(request, technician_id: int, week: str, payload: ReturnIn):
    technician = _technician_week(request, technician_id, week)
    return _week_change(technician, week, services.return_week(request.user, technician, week, payload.reason))


# --- Absences and capacity ------------------------------------------------------------------


@router.get("/absences", response={200: list[AbsenceOut], **READ_ERRORS}, summary="List technicians' absences")
def list_absences(request, filters: Query[AbsenceFilters]):
    return list(queries.absences_for(request.user, **filters.dict()))


@router.post("/absences", response={201: AbsenceOut, **WRITE_ERRORS, 409: ErrorOut}, summary="Record an absence")
def add_absence(request, payload: AbsenceIn):
    require_staff(request.user, "Only the provider's staff record absences.")
    data = payload.dict()
    technician = resolve_ref(queries.technicians_for(request.user), request.user, data.pop("technician"), field="technician", label="technician")
    absence = services.add_absence(technician or request.user, actor=request.user, **data)
    return Status(201, absence)


@router.delete("/absences/{absence_id}", response={204: None, **WRITE_ERRORS}, summary="Remove an absence")
def remove_absence(request, absence_id: int):
    absence = get_visible_or_404(Absence.objects.select_related("technician"), request.user, pk=absence_id)
    services.remove_absence(absence, actor=request.user)
    return Status(204, None)


def _capacity_out(line):
    return {"technician": line.technician, "weekly_hours": line.weekly_hours, "work_days": line.work_days,
            "target_utilisation": line.target}


@router.get("/capacities", response={200: list[CapacityOut], **READ_ERRORS}, summary="List technicians' weekly capacity")
def list_capacities(request):
    return [_capacity_out(line) for line in queries.capacity_overview(request.user)]


@router.put("/capacities/{technician_id}", response={200: CapacityOut, **WRITE_ERRORS}, summary="Set a technician's capacity (administrators)")
def set_capacity(request, technician_id: int, payload: CapacityIn):
    technician = queries.technicians_for(request.user).filter(pk=technician_id).first()
    if technician is None:
        raise Http404
    capacity = services.set_capacity(technician, payload.weekly_hours, payload.work_days, payload.target_utilisation, actor=request.user)
    return {"technician": technician, "weekly_hours": float(capacity.weekly_hours), "work_days": capacity.work_days,
            "target_utilisation": float(capacity.target_utilisation)}


# --- Timer ----------------------------------------------------------------------------------


def _timer_out(timer):
    if timer is None:
        return {"running": False}
    return {
        "running": True, "started_at": timer.started_at, "ticket": timer.ticket, "task": timer.task_id, "client": timer.client,
        "work_type": timer.work_type or None, "note": timer.note,
        "elapsed_seconds": int((timezone.now() - timer.started_at).total_seconds()),
    }


@router.get("/timer", response={200: TimerOut, **READ_ERRORS}, summary="Show the caller's running timer")
def show_timer(request):
    return _timer_out(queries.running_timer(request.user))


@router.post("/timer/start", response={201: TimerOut, **WRITE_ERRORS}, summary="Start a timer (stops and logs a running one)")
def start_timer(request, payload: TimerStartIn):
    user = request.user
    require_staff(user, STAFF_ONLY)
    ticket = resolve_ref(Ticket.objects.select_related("client"), user, payload.ticket, field="ticket", label="ticket", lookup="number")
    task = resolve_ref(Task.objects.select_related("project__client"), user, payload.task, field="task", label="task")
    client = resolve_ref(Client.objects, user, payload.client, field="client", label="client")
    services.start_timer(user, ticket=ticket, task=task, client=client, work_type=payload.work_type, note=payload.note)
    return Status(201, _timer_out(queries.running_timer(user)))


@router.post("/timer/stop", response={200: TimeEntryOut, **WRITE_ERRORS}, summary="Stop the timer and log its time")
def stop_timer(request):
    require_staff(request.user, STAFF_ONLY)
    return services.stop_timer(request.user)


@router.post("/timer/discard", response={204: None, **WRITE_ERRORS}, summary="Discard the timer without logging")
def discard_timer(request):
    require_staff(request.user, STAFF_ONLY)
    services.discard_timer(request.user)
    return Status(204, None)
