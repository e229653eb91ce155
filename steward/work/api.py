"""REST endpoints for time entries (staff only: client-side users never see logged time)."""

from ninja import Query, Router, Status

from steward.accounts.models import User
from steward.clients.models import Client
from steward.core.api import READ_ERRORS, WRITE_ERRORS, PageOut, PageQuery, aware, get_visible_or_404, resolve_ref
from steward.core.exceptions import require_staff
from steward.core.pagination import keyset_page
from steward.desk.models import Ticket
from steward.work import queries, services
from steward.work.models import TimeEntry
from steward.work.schemas import TimeEntryFilters, TimeEntryIn, TimeEntryOut, TimeEntryPatch

router = Router(tags=["time"])
STAFF_ONLY = "Only the provider's staff log time."


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
    data["client"] = resolve_ref(Client.objects, user, data["client"], field="client", label="client")
    data["technician"] = resolve_ref(User.objects, user, data["technician"], field="technician", label="user")
    data["started_at"] = aware(data["started_at"])
    return Status(201, services.log_time(user, **data))


@router.get("/time-entries/{entry_id}", response={200: TimeEntryOut, **READ_ERRORS}, summary="Show a time entry")
def show_time_entry(request, entry_id: int):
    return get_visible_or_404(TimeEntry.objects.select_related("technician", "ticket", "client"), request.user, pk=entry_id)


@router.patch("/time-entries/{entry_id}", response={200: TimeEntryOut, **WRITE_ERRORS}, summary="Correct a time entry (staff)")
def update_time_entry(request, entry_id: int, payload: TimeEntryPatch):
    entry = get_visible_or_404(TimeEntry.objects.select_related("technician", "ticket", "client"), request.user, pk=entry_id)
    require_staff(request.user, STAFF_ONLY)
    changes = payload.dict(exclude_unset=True)
    if "started_at" in changes:
        changes["started_at"] = aware(changes["started_at"])
    return services.update_time_entry(entry, changes)
