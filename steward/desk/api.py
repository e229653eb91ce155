"""REST endpoints of the service desk: tickets, their timeline and files, and the catalogues.

Tickets are addressed by their human number (/tickets/1042). Client-side users see and
open only their company's (or their own) tickets and read the public timeline.
"""

from django.http import FileResponse, Http404
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile

from steward.accounts.models import User
from steward.clients.models import Client, Contact, Site
from steward.core.api import (
    READ_ERRORS,
    WRITE_ERRORS,
    ErrorOut,
    PageOut,
    aware,
    get_visible_or_404,
    resolve_ref,
    resolve_refs,
)
from steward.core.exceptions import NotPermitted, require_staff
from steward.core.pagination import keyset_page
from steward.desk import queries, services
from steward.desk.choices import EntryKind
from steward.desk.exceptions import AttachmentRejected, DeskError, InvalidMerge
from steward.desk.models import (
    SAFE_IMAGE_TYPES,
    Attachment,
    Category,
    Queue,
    Software,
    Ticket,
)
from steward.desk.schemas import (
    AttachmentOut,
    CallIn,
    CategoryOut,
    MergeIn,
    NoteIn,
    ParentIn,
    QueueOut,
    ReplyIn,
    SoftwareOut,
    TagOut,
    TicketDetailOut,
    TicketFilters,
    TicketIn,
    TicketOut,
    TicketPageQuery,
    TicketPatch,
    TimelineEntryOut,
)

router = Router(tags=["tickets"])

# id fields of a ticket payload: where to look each up (always through visible_to) and what to call it.
TICKET_REFS = {
    "site": (Site.objects, "site"),
    "requester": (Contact.objects, "contact"),
    "category": (Category.objects, "category"),
    "software": (Software.objects, "software"),
    "queue": (Queue.objects, "queue"),
    "assignee": (User.objects, "user"),
}
# What only the provider's staff decide when a ticket is opened.
STAFF_ONLY_ON_OPEN = ("priority", "queue", "assignee", "tags", "source", "parent")
STAFF_ONLY_CHANGES = "Only the service desk can change tickets."


def _ticket(request, number: int) -> Ticket:
    return get_visible_or_404(Ticket.objects, request.user, number=number)


def _detail(request, number: int) -> Ticket:
    ticket = queries.ticket_detail(request.user, number)
    if ticket is None:
        raise Http404
    return ticket


def _resolve_ticket_refs(user, data: dict) -> dict:
    """Swap the ids in a ticket payload for rows the user may see (unknown → 422 naming the field)."""
    for field, (queryset, label) in TICKET_REFS.items():
        if field in data:
            data[field] = resolve_ref(queryset, user, data[field], field=field, label=label)
    if "cc" in data:
        data["cc"] = resolve_refs(Contact.objects, user, data["cc"], field="cc", label="contact")
    if "parent" in data:
        data["parent"] = resolve_ref(Ticket.objects, user, data["parent"], field="parent", label="ticket", lookup="number")
    return data


# --- Tickets --------------------------------------------------------------------


@router.get(
    "/tickets",
    response={200: PageOut[TicketOut], **READ_ERRORS},
    summary="List tickets, most recently updated first",
    description="Keyset-paginated: follow `next_cursor` until it is null. `count` is only filled with `with_count=true`.",
)
def list_tickets(request, filters: Query[TicketFilters], page: Query[TicketPageQuery]):
    criteria = filters.dict()
    criteria["updated_since"] = aware(criteria["updated_since"])
    tickets = queries.ticket_list(request.user, **criteria)
    return keyset_page(tickets, key="updated_at", cursor=page.cursor, limit=page.limit, with_count=page.with_count)


@router.post(
    "/tickets",
    response={201: TicketDetailOut, **WRITE_ERRORS},
    summary="Open a ticket",
    description="Client-side users open tickets for their own company, as requester themselves.",
)
def open_ticket(request, payload: TicketIn):
    user = request.user
    data = payload.dict()
    if not user.is_staff_member:
        for field in STAFF_ONLY_ON_OPEN:
            if field in payload.model_fields_set and data[field] != TicketIn.model_fields[field].get_default(
                call_default_factory=True
            ):
                raise NotPermitted(f"Only the service desk can set the {field} of a ticket.", field=field)
        if data["requester"] not in (None, user.contact_id):
            raise NotPermitted("You can only open tickets as yourself.", field="requester")
        data["client"] = data["client"] or user.client_id
        data["requester"] = user.contact_id
    client = resolve_ref(Client.objects, user, data.pop("client"), field="client", label="client")
    if client is None:
        raise DeskError("Say which client the ticket is for.", field="client")
    ticket = services.open_ticket(user, client=client, **_resolve_ticket_refs(user, data))
    return Status(201, _detail(request, ticket.number))


@router.get("/tickets/{number}", response={200: TicketDetailOut, **READ_ERRORS}, summary="Show a ticket")
def show_ticket(request, number: int):
    return _detail(request, number)


@router.patch(
    "/tickets/{number}",
    response={200: TicketDetailOut, 409: ErrorOut, **WRITE_ERRORS},
    summary="Change a ticket (staff)",
    description="Send `version` from your copy to be told (409) when someone else changed the ticket meanwhile.",
)
def update_ticket(request, number: int, payload: TicketPatch):
    ticket = _ticket(request, number)
    require_staff(request.user, STAFF_ONLY_CHANGES)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version", None)
    if "priority" in changes and changes["priority"] is None:
        del changes["priority"]
        changes["priority_overridden"] = False
    changes = _resolve_ticket_refs(request.user, changes)
    services.update_ticket(ticket, request.user, changes, expected_version=version)
    return _detail(request, number)


@router.get(
    "/tickets/{number}/timeline",
    response={200: list[TimelineEntryOut], **READ_ERRORS},
    summary="Show a ticket's timeline",
    description="Replies, notes, calls, emails and system events, oldest first. Client-side users see public entries only.",
)
def show_timeline(request, number: int):
    return queries.ticket_timeline(request.user, _ticket(request, number))


@router.post(
    "/tickets/{number}/replies",
    response={201: TimelineEntryOut, 409: ErrorOut, **WRITE_ERRORS},
    summary="Reply to the requester",
    description='Optionally move the ticket on in the same call: `{"body": "...", "status": "waiting_on_customer"}` (staff).',
)
def add_reply(request, number: int, payload: ReplyIn):
    ticket = _ticket(request, number)
    if payload.status is not None:
        require_staff(request.user, "Only the service desk can change a ticket's status.", field="status")
    return Status(201, services.reply_to_ticket(ticket, request.user, body=payload.body, status=payload.status))


@router.post("/tickets/{number}/notes", response={201: TimelineEntryOut, **WRITE_ERRORS}, summary="Add an internal note (staff)")
def add_note(request, number: int, payload: NoteIn):
    ticket = _ticket(request, number)
    require_staff(request.user, "Only the service desk can add internal notes.")
    return Status(201, services.add_message(ticket, request.user, body=payload.body, kind=EntryKind.NOTE))


@router.post("/tickets/{number}/calls", response={201: TimelineEntryOut, **WRITE_ERRORS}, summary="Log a phone call (staff)")
def log_call(request, number: int, payload: CallIn):
    ticket = _ticket(request, number)
    require_staff(request.user, "Only the service desk can log calls.")
    call = services.CallDetails(
        direction=payload.direction, caller_number=payload.caller_number, duration_seconds=payload.duration_seconds
    )
    entry = services.add_message(
        ticket, request.user, body=payload.body, kind=EntryKind.CALL, call=call, is_public=payload.is_public
    )
    return Status(201, entry)


@router.post(
    "/tickets/{number}/merge",
    response={200: TicketDetailOut, **WRITE_ERRORS},
    summary="Merge this ticket into another (staff)",
    description="The timeline, files, CCs and time move to the other ticket; this one closes. Returns the other ticket.",
)
def merge_ticket(request, number: int, payload: MergeIn):
    ticket = _ticket(request, number)
    require_staff(request.user, STAFF_ONLY_CHANGES)
    target = resolve_ref(Ticket.objects, request.user, payload.into, field="into", label="ticket", lookup="number")
    try:
        services.merge_tickets(ticket, target, request.user)
    except InvalidMerge as exc:
        exc.field = "into" if exc.field == "target" else exc.field
        raise
    return _detail(request, target.number)


@router.put(
    "/tickets/{number}/parent",
    response={200: TicketDetailOut, **WRITE_ERRORS},
    summary="Set or clear the parent ticket (staff)",
)
def set_parent_ticket(request, number: int, payload: ParentIn):
    ticket = _ticket(request, number)
    require_staff(request.user, STAFF_ONLY_CHANGES)
    parent = resolve_ref(Ticket.objects, request.user, payload.parent, field="parent", label="ticket", lookup="number")
    services.set_parent(ticket, request.user, parent)
    return _detail(request, number)


# --- Attachments ----------------------------------------------------------------


@router.post(
    "/tickets/{number}/attachments",
    response={201: AttachmentOut, 409: ErrorOut, 413: ErrorOut, **WRITE_ERRORS},
    summary="Attach a file to a ticket",
    description="multipart/form-data with one `file` field. Empty files → 422, files over the limit → 413.",
)
def upload_attachment(request, number: int, file: UploadedFile = File(...)):
    ticket = _ticket(request, number)
    try:
        attachment = services.add_attachment(ticket, request.user, file)
    except AttachmentRejected as exc:
        exc.field = "file"  # the form field this endpoint reads
        raise
    return Status(201, attachment)


@router.get(
    "/tickets/{number}/attachments/{attachment_id}",
    response={404: ErrorOut, 401: ErrorOut},
    summary="Download an attachment",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The file, as a download under its original name.",
                "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def download_attachment(request, number: int, attachment_id: int):
    attachment = get_visible_or_404(Attachment.objects, request.user, pk=attachment_id, ticket__number=number)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = attachment.content_type if attachment.content_type in SAFE_IMAGE_TYPES else "application/octet-stream"
    response = FileResponse(handle, as_attachment=True, filename=attachment.filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Catalogues -----------------------------------------------------------------


@router.get("/categories", response={200: list[CategoryOut], 401: ErrorOut}, summary="List categories", tags=["catalogues"])
def list_categories(request):
    return queries.categories_for(request.user)


@router.get("/software", response={200: list[SoftwareOut], 401: ErrorOut}, summary="List software", tags=["catalogues"])
def list_software(request):
    return queries.software_for(request.user)


@router.get("/queues", response={200: list[QueueOut], 401: ErrorOut}, summary="List queues (staff)", tags=["catalogues"])
def list_queues(request):
    return queries.queues_for(request.user)


@router.get("/tags", response={200: list[TagOut], 401: ErrorOut}, summary="List tags", tags=["catalogues"])
def list_tags(request):
    return queries.tags_for(request.user)
