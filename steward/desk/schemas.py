"""API schemas of the service desk: tickets, their timeline, attachments and catalogues."""

import datetime as dt

from django.urls import reverse
from ninja import Field, Schema
from pydantic import field_validator

from steward.accounts.schemas import UserRef
from steward.clients.schemas import ClientRef, ContactRef, SiteRef
from steward.core.api import is_staff_request, plus_from_query
from steward.core.pagination import DEFAULT_LIMIT, MAX_LIMIT
from steward.desk.choices import CallDirection, EntryKind, Impact, Priority, Source, TicketStatus, TicketType, Urgency
from steward.desk.events import describe_event


class NamedRef(Schema):
    id: int
    name: str


class CategoryOut(Schema):
    id: int
    name: str
    parent_id: int | None
    full_name: str = Field(description="'Parent › Child' for subcategories.")

    @staticmethod
    def resolve_full_name(obj):
        return str(obj)


class SoftwareOut(Schema):
    id: int
    name: str
    vendor: str


class QueueOut(Schema):
    id: int
    name: str
    team: NamedRef | None
    is_default: bool


class TagOut(Schema):
    id: int
    name: str


class AttachmentOut(Schema):
    id: int
    filename: str
    content_type: str
    size: int = Field(description="Bytes.")
    sha256: str
    entry_id: int | None = Field(description="The timeline entry it came with, if any.")
    created_at: dt.datetime
    url: str = Field(description="Download address.")

    @staticmethod
    def resolve_url(obj):
        return reverse("api-v1:download_attachment", kwargs={"number": obj.ticket.number, "attachment_id": obj.pk})


# --- Tickets --------------------------------------------------------------------


class TicketOut(Schema):
    id: int
    number: int
    reference: str = Field(description="The number as people write it: #1042.")
    subject: str
    status: TicketStatus
    type: TicketType
    impact: Impact
    urgency: Urgency
    priority: Priority
    source: Source
    client: ClientRef
    site: SiteRef | None
    requester: ContactRef | None
    assignee: UserRef | None
    queue: NamedRef | None = Field(description="The internal queue; null unless the caller is staff.")
    category: CategoryOut | None
    software: SoftwareOut | None
    tags: list[str] = Field(description="Internal labels; empty unless the caller is staff.")
    created_at: dt.datetime
    updated_at: dt.datetime
    first_response_at: dt.datetime | None
    resolved_at: dt.datetime | None
    closed_at: dt.datetime | None
    version: int = Field(description="Send back as `version` when changing the ticket to detect stale edits.")

    @staticmethod
    def resolve_tags(obj, context):
        # Tags often name other clients or internal projects, so they stay with the staff.
        return [tag.name for tag in obj.tags.all()] if is_staff_request(context) else []

    @staticmethod
    def resolve_queue(obj, context):
        # Queues are the provider's internal routing (staff-only rows), so the portal never sees them.
        return obj.queue if is_staff_request(context) else None


class TicketDetailOut(TicketOut):
    description: str
    priority_overridden: bool
    cc: list[ContactRef]
    created_by: UserRef | None
    parent: int | None = Field(description="Number of the parent ticket.")
    children: list[int] = Field(description="Numbers of the child tickets.")
    merged_into: int | None = Field(description="Number of the ticket this one was merged into.")
    merged_from: list[int] = Field(description="Numbers of tickets merged into this one.")
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_cc(obj):
        return list(obj.cc.all())

    @staticmethod
    def resolve_parent(obj):
        return obj.parent_number

    @staticmethod
    def resolve_children(obj):
        return obj.children_numbers

    @staticmethod
    def resolve_merged_into(obj):
        return obj.merged_into_number

    @staticmethod
    def resolve_merged_from(obj):
        return obj.merged_from_numbers

    @staticmethod
    def resolve_attachments(obj):
        return list(obj.attachments.all())


class TicketFilters(Schema):
    status: list[TicketStatus] | None = Field(None, description="Repeat for several: status=new&status=open.")
    priority: Priority | None = None
    client: int | None = None
    assignee: str | None = Field(None, description="A user id, 'me' or 'none'.")
    queue: int | None = None
    category: int | None = Field(None, description="Includes its subcategories.")
    source: Source | None = None
    tag: str | None = None
    q: str | None = Field(None, max_length=200, description="Text in the subject, or a ticket number (#1042).")
    updated_since: dt.datetime | None = Field(None, description="ISO 8601 time, e.g. 2025-01-31T08:00:00Z.")

    _restore_plus = field_validator("updated_since", mode="before")(plus_from_query)


class TicketPageQuery(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Rows per page (at most {MAX_LIMIT}).")
    cursor: str | None = Field(None, description="The `next_cursor` of the previous page.")
    with_count: bool = Field(False, description="Also count all matching tickets (slower on big desks).")


class TicketIn(Schema):
    client: int | None = Field(None, description="Client id; required for staff, implied for client users.")
    subject: str = Field(min_length=1, max_length=255)
    description: str = ""
    requester: int | None = Field(None, description="Contact id; client users are always the requester.")
    site: int | None = None
    cc: list[int] = Field(default_factory=list, description="Contact ids to keep informed.")
    type: TicketType = TicketType.INCIDENT
    impact: Impact = Impact.LOW
    urgency: Urgency = Urgency.MEDIUM
    priority: Priority | None = Field(None, description="Leave out to take it from impact × urgency.")
    category: int | None = None
    software: int | None = None
    queue: int | None = None
    assignee: int | None = None
    tags: list[str] = Field(default_factory=list)
    source: Source = Source.API
    parent: int | None = Field(None, description="Number of a parent ticket.")


class TicketPatch(Schema):
    status: TicketStatus = None
    subject: str = Field(None, min_length=1, max_length=255)
    description: str = None
    type: TicketType = None
    impact: Impact = None
    urgency: Urgency = None
    priority: Priority | None = Field(None, description="null hands the priority back to the impact × urgency matrix.")
    category: int | None = None
    software: int | None = None
    queue: int | None = None
    assignee: int | None = None
    site: int | None = None
    requester: int | None = None
    tags: list[str] = None
    cc: list[int] = None
    version: int | None = Field(None, description="The version you read; a newer one on the server → 409.")


# --- Timeline -------------------------------------------------------------------


class CallOut(Schema):
    direction: CallDirection
    caller_number: str
    duration_seconds: int | None


class TimelineEntryOut(Schema):
    id: int
    kind: EntryKind
    is_public: bool
    author: UserRef | None
    author_name: str
    body: str
    call: CallOut | None
    event: dict | None = Field(description="Structured system event, e.g. {action, field, old, new}.")
    event_text: str | None = Field(description="The event in words: 'changed status from New to Open'.")
    attachments: list[AttachmentOut]
    created_at: dt.datetime

    @staticmethod
    def resolve_call(obj):
        if obj.kind != EntryKind.CALL:
            return None
        return {
            "direction": obj.call_direction or CallDirection.INBOUND,
            "caller_number": obj.caller_number,
            "duration_seconds": obj.call_duration_seconds,
        }

    @staticmethod
    def resolve_event_text(obj):
        return describe_event(obj) if obj.kind == EntryKind.EVENT else None

    @staticmethod
    def resolve_attachments(obj):
        return list(obj.attachments.all())


class ReplyIn(Schema):
    body: str
    status: TicketStatus | None = Field(None, description="Also move the ticket to this status (staff only).")


class NoteIn(Schema):
    body: str


class CallIn(Schema):
    direction: CallDirection = CallDirection.INBOUND
    caller_number: str = Field("", max_length=40)
    duration_seconds: int | None = Field(None, ge=0)
    body: str = ""
    is_public: bool = Field(True, description="Whether the client sees the call summary in the portal.")


class MergeIn(Schema):
    into: int = Field(description="Number of the ticket that absorbs this one.")


class ParentIn(Schema):
    parent: int | None = Field(description="Number of the parent ticket; null detaches it.")
