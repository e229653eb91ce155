"""Write path of the service desk.

Every channel (technician UI, portal, REST API, email, phone, monitoring alerts)
opens tickets with ``open_ticket`` and adds to their timeline with ``add_message``;
changes go through ``update_ticket`` so each one leaves a timeline event.
"""

import hashlib
import mimetypes
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.files.base import File
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from steward.core import events as domain_events
from steward.core.bulk import insert_rows, update_rows
from steward.desk import events
from steward.desk.choices import (
    CallDirection,
    DeskEvent,
    EntryKind,
    Impact,
    Priority,
    Source,
    TicketStatus,
    TicketType,
    Urgency,
)
from steward.desk.exceptions import (
    AttachmentRejected,
    AttachmentTooLarge,
    DeskError,
    InvalidMerge,
    StaleTicket,
    TicketClosed,
)
from steward.desk.models import Attachment, PriorityRule, Queue, Tag, Ticket, TicketEntry, TicketNumber

# The ITIL-style default matrix; PriorityRule rows override any cell.
DEFAULT_PRIORITY_MATRIX = {
    (Impact.HIGH, Urgency.HIGH): Priority.P1,
    (Impact.HIGH, Urgency.MEDIUM): Priority.P2,
    (Impact.HIGH, Urgency.LOW): Priority.P3,
    (Impact.MEDIUM, Urgency.HIGH): Priority.P2,
    (Impact.MEDIUM, Urgency.MEDIUM): Priority.P3,
    (Impact.MEDIUM, Urgency.LOW): Priority.P4,
    (Impact.LOW, Urgency.HIGH): Priority.P3,
    (Impact.LOW, Urgency.MEDIUM): Priority.P4,
    (Impact.LOW, Urgency.LOW): Priority.P4,
}

# Fields a technician may change with update_ticket, and how each is shown in the timeline.
TRACKED_FIELDS = (
    "subject",
    "description",
    "status",
    "type",
    "impact",
    "urgency",
    "priority",
    "category",
    "software",
    "queue",
    "assignee",
    "site",
    "requester",
)
SILENT_FIELDS = {"description"}  # changed without a timeline event (the text itself is the record)


@dataclass(frozen=True)
class CallDetails:
    direction: str = CallDirection.INBOUND
    caller_number: str = ""
    duration_seconds: int | None = None


def priority_for(impact: int, urgency: int) -> int:
    """The priority the matrix gives for this impact and urgency."""
    rule = PriorityRule.objects.filter(impact=impact, urgency=urgency).values_list("priority", flat=True).first()
    return rule or DEFAULT_PRIORITY_MATRIX[(Impact(impact), Urgency(urgency))]


def _priority_matrix() -> dict:
    """The whole matrix, PriorityRule rows over the defaults, in one query."""
    matrix = dict(DEFAULT_PRIORITY_MATRIX)
    for impact, urgency, priority in PriorityRule.objects.values_list("impact", "urgency", "priority"):
        matrix[(impact, urgency)] = priority or matrix[(impact, urgency)]
    return matrix


def _next_ticket_numbers(count: int) -> range:
    """A block of ``count`` consecutive ticket numbers, in one statement."""
    # An UPDATE serialises allocation on SQLite and PostgreSQL alike; RETURNING (PostgreSQL,
    # SQLite 3.35+: the versions that return columns from INSERT too) saves reading it back.
    counter = TicketNumber.objects.filter(pk=1)
    if connection.features.can_return_columns_from_insert:
        table = connection.ops.quote_name(TicketNumber._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET last_number = last_number + %s WHERE id = 1 RETURNING last_number", [count])
            row = cursor.fetchone()
        if row is not None:
            return range(row[0] - count + 1, row[0] + 1)
    elif counter.update(last_number=F("last_number") + count):
        last = counter.values_list("last_number", flat=True).get()
        return range(last - count + 1, last + 1)
    TicketNumber.objects.create(pk=1, last_number=1000 + count)
    return range(1001, 1001 + count)


def _default_queue():
    return Queue.objects.filter(is_default=True).first()


def _validate_ticket_refs(client, *, site=None, requester=None, cc=(), assignee=None, parent=None):
    if assignee is not None and not assignee.is_staff_member:
        raise DeskError(f"{assignee} is not a technician.", field="assignee")
    if parent is not None and parent.client_id != client.pk:
        raise DeskError(f"#{parent.number} is a ticket of another client.", field="parent")
    if site is not None and site.client_id != client.pk:
        raise DeskError(f"Site '{site.name}' belongs to another client.", field="site")
    if requester is not None and requester.client_id != client.pk:
        raise DeskError(f"{requester.full_name} is a contact of another client.", field="requester")
    for contact in cc:
        if contact.client_id != client.pk:
            raise DeskError(f"{contact.full_name} is a contact of another client.", field="cc")


@dataclass
class NewTicket:
    """What ``open_tickets`` needs for one ticket (the keyword arguments of ``open_ticket``)."""

    client: object
    subject: str
    description: str = ""
    requester: object = None
    site: object = None
    cc: Sequence = ()
    source: str = Source.API
    type: str = TicketType.INCIDENT
    impact: int = Impact.LOW
    urgency: int = Urgency.MEDIUM
    priority: int | None = None
    category: object = None
    software: object = None
    queue: object = None
    assignee: object = None
    tags: Sequence = ()
    parent: object = None
    attachments: Sequence = ()
    at: datetime | None = None
    quoted_text: str = ""  # an email's quoted history, shown folded under the description


def open_ticket(actor, **fields) -> Ticket:
    """Open a ticket from any channel: number, priority, queue and the first timeline event (see ``NewTicket``)."""
    return open_tickets(actor, [NewTicket(**fields)])[0]


@transaction.atomic
def open_tickets(actor, requests: list[NewTicket]) -> list[Ticket]:
    """Open several tickets at once (a batch of inbound mail), each exactly as ``open_ticket`` would.

    Consecutive numbers in one statement, the priority matrix and default queue read once,
    tickets, CC links and opening events inserted in bulk; attachments, tags and the
    events subscribers hear about stay per ticket.
    """
    for request in requests:
        request.subject = (request.subject or "").strip()
        if not request.subject:
            raise DeskError("A ticket needs a subject.", field="subject")
        _validate_ticket_refs(
            request.client, site=request.site, requester=request.requester, cc=request.cc,
            assignee=request.assignee, parent=request.parent,
        )
    if not requests:
        return []
    user = _user(actor)
    now = timezone.now()
    matrix = _priority_matrix()
    default_queue = _default_queue() if any(r.queue is None for r in requests) else None
    tickets = [
        Ticket(
            number=number,
            client=r.client,
            site_id=r.site.pk if r.site is not None else getattr(r.requester, "site_id", None),
            requester=r.requester,
            subject=r.subject[:255],
            description=r.description or "",
            status=TicketStatus.OPEN if r.assignee else TicketStatus.NEW,
            type=r.type,
            impact=r.impact,
            urgency=r.urgency,
            priority=r.priority or matrix[(r.impact, r.urgency)],
            priority_overridden=r.priority is not None,
            category=r.category,
            software=r.software,
            source=r.source,
            queue=r.queue or default_queue,
            assignee=r.assignee,
            parent=r.parent,
            created_by=user,
            created_at=r.at or now,
            updated_at=r.at or now,
        )
        for number, r in zip(_next_ticket_numbers(len(requests)), requests, strict=True)
    ]
    insert_rows(tickets)
    Ticket.cc.through.objects.bulk_create(
        [Ticket.cc.through(ticket=ticket, contact=contact) for ticket, r in zip(tickets, requests) for contact in r.cc],
        ignore_conflicts=True,
    )
    insert_rows(
        [events.ticket_opened_entry(ticket, user, at=ticket.created_at, quoted_text=r.quoted_text) for ticket, r in zip(tickets, requests)]
    )
    for ticket, r in zip(tickets, requests):
        if r.tags:
            set_tags(ticket, r.tags)
        for upload in r.attachments:
            store_attachment(ticket, upload, actor=actor, entry=None)
    # Subscribers (mail) run in this transaction, so what they queue commits or rolls back with the ticket.
    domain_events.publish_many(DeskEvent.TICKET_OPENED, [{"ticket": ticket, "actor": user} for ticket in tickets])
    domain_events.publish_many(
        DeskEvent.TICKET_ASSIGNED,
        [{"ticket": t, "actor": user, "assignee": t.assignee} for t in tickets if t.assignee is not None],
    )
    return tickets


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


@dataclass
class NewMessage:
    """What ``add_messages`` needs for one timeline entry (the arguments of ``add_message``)."""

    ticket: Ticket
    body: str
    kind: str = EntryKind.REPLY
    author_contact: object = None
    is_public: bool | None = None
    call: CallDetails | None = None
    attachments: Sequence = ()
    at: datetime | None = None
    quoted_text: str = ""


def add_message(ticket: Ticket, actor=None, **fields) -> TicketEntry:
    """Add a reply, internal note, call or email to a ticket's timeline (see ``add_messages``)."""
    return add_messages(actor, [NewMessage(ticket, **fields)])[0]


@transaction.atomic
def add_messages(actor, requests: list[NewMessage]) -> list[TicketEntry]:
    """Add several entries at once (a batch of inbound mail), each exactly as ``add_message`` would.

    A reply from the customer reopens a resolved ticket; a closed ticket takes no
    more customer messages (the channel opens a new ticket instead). Entries are inserted
    in bulk and their tickets updated once each; subscribers hear of every entry.
    """
    user = _user(actor)
    now = timezone.now()
    tickets = {}  # one object per ticket, so two messages to one ticket build on each other
    entries, plans = [], []
    for r in requests:
        if r.kind == EntryKind.EVENT:
            raise DeskError("System events are written by Steward itself.", field="kind")
        body = r.body or ""
        if not body.strip() and not r.attachments and r.call is None:
            raise DeskError("The message is empty.", field="body")
        ticket = tickets.setdefault(r.ticket.pk, r.ticket)
        author_contact = r.author_contact
        from_customer = author_contact is not None or bool(actor and getattr(actor, "is_client_side", False))
        if from_customer and author_contact is None:
            author_contact = getattr(actor, "contact", None)
        is_public = r.kind != EntryKind.NOTE if r.is_public is None else r.is_public
        if from_customer:
            if r.kind == EntryKind.NOTE:
                raise DeskError("Customers cannot add internal notes.", field="kind")
            is_public = True
            if ticket.status == TicketStatus.CLOSED:
                raise TicketClosed(f"Ticket #{ticket.number} is closed; open a new request instead.")
        entries.append(
            TicketEntry(
                ticket=ticket,
                kind=r.kind,
                is_public=is_public,
                author=user,
                author_contact=author_contact,
                body=body,
                quoted_text=r.quoted_text or "",
                call_direction=r.call.direction if r.call else "",
                caller_number=r.call.caller_number if r.call else "",
                call_duration_seconds=r.call.duration_seconds if r.call else None,
                created_at=r.at or now,
            )
        )
        plans.append((ticket, from_customer, is_public, r.kind))
    insert_rows(entries)
    for entry, r in zip(entries, requests):
        for upload in r.attachments:
            store_attachment(entry.ticket, upload, actor=actor, entry=entry)

    changed = {}  # ticket pk -> the fields its messages changed
    for entry, (ticket, from_customer, is_public, kind) in zip(entries, plans):
        at = entry.created_at
        fields = changed.setdefault(ticket.pk, {"updated_at", "version"})
        ticket.updated_at = at
        ticket.version += 1
        if from_customer and ticket.status in (TicketStatus.RESOLVED, TicketStatus.WAITING_ON_CUSTOMER):
            _set_status(ticket, actor, TicketStatus.OPEN, at)
            fields |= {"status", "resolved_at"}
        elif not from_customer and is_public and kind in (EntryKind.REPLY, EntryKind.EMAIL, EntryKind.CALL):
            if ticket.first_response_at is None:
                ticket.first_response_at = at
                fields.add("first_response_at")
            if ticket.status == TicketStatus.NEW:
                _set_status(ticket, actor, TicketStatus.OPEN, at)
                fields |= {"status", "resolved_at"}
    # Only the fields that changed are written, so a field someone else changed meanwhile stays theirs.
    groups = {}
    for pk, fields in changed.items():
        groups.setdefault(frozenset(fields), []).append(tickets[pk])
    for fields, group in groups.items():
        if len(group) == 1:
            group[0].save(update_fields=sorted(fields))
        else:
            update_rows(group, sorted(fields))
    domain_events.publish_many(DeskEvent.MESSAGE_ADDED, [{"entry": entry, "actor": user} for entry in entries])
    return entries


@transaction.atomic
def reply_to_ticket(ticket: Ticket, actor, *, body: str, status: str | None = None, attachments=()) -> TicketEntry:
    """Add a public reply and, in the same step, move the ticket on (e.g. to waiting on customer)."""
    entry = add_message(ticket, actor, body=body, kind=EntryKind.REPLY, attachments=attachments)
    if status is not None:
        update_ticket(ticket, actor, {"status": status})
    return entry


@transaction.atomic
def add_attachment(ticket: Ticket, actor, upload) -> Attachment:
    """Attach a file to a ticket on its own (not with a message); the ticket counts as updated."""
    if getattr(actor, "is_client_side", False) and ticket.status == TicketStatus.CLOSED:
        raise TicketClosed(f"Ticket #{ticket.number} is closed; open a new request instead.")
    attachment = store_attachment(ticket, upload, actor=actor, entry=None)
    ticket.updated_at = timezone.now()
    ticket.version += 1
    ticket.save(update_fields=["updated_at", "version"])
    return attachment


def _display(field: str, value) -> str | None:
    if value is None or value == "":
        return None
    if field == "status":
        return TicketStatus(value).label
    if field == "type":
        return TicketType(value).label
    if field == "priority":
        return Priority(value).label
    if field == "impact":
        return Impact(value).label.split(" –")[0]
    if field == "urgency":
        return Urgency(value).label.split(" –")[0]
    return str(value)


def _set_status(ticket: Ticket, actor, status: str, now) -> None:
    old = ticket.status
    if old == status:
        return
    ticket.status = status
    if status == TicketStatus.RESOLVED:
        ticket.resolved_at = now
    elif status == TicketStatus.CLOSED:
        ticket.closed_at = now
        ticket.resolved_at = ticket.resolved_at or now
    else:
        ticket.resolved_at = None
        ticket.closed_at = None
    events.field_changed_event(ticket, _user(actor), "status", _display("status", old), _display("status", status), now)
    if status == TicketStatus.RESOLVED:
        domain_events.publish(DeskEvent.TICKET_RESOLVED, ticket=ticket, actor=_user(actor))


@transaction.atomic
def update_ticket(ticket: Ticket, actor, changes: dict, *, expected_version: int | None = None) -> Ticket:
    """Change ticket fields, writing one timeline event per changed field.

    ``expected_version`` is the version the editor started from; if the ticket has
    changed since, StaleTicket is raised instead of silently overwriting.
    """
    locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleTicket(
            f"Ticket #{locked.number} was changed by someone else since you opened it. "
            "Reload it to see their changes, then make yours again."
        )
    unknown = set(changes) - set(TRACKED_FIELDS) - {"tags", "cc", "priority_overridden"}
    if unknown:
        raise DeskError(f"Cannot change {', '.join(sorted(unknown))}.", field=sorted(unknown)[0])
    now = timezone.now()
    client = locked.client
    _validate_ticket_refs(
        client,
        site=changes.get("site"),
        requester=changes.get("requester"),
        cc=changes.get("cc") or (),
        assignee=changes.get("assignee"),
    )
    # Giving a new ticket to someone opens it, whichever screen or endpoint assigned it.
    if changes.get("assignee") is not None and "status" not in changes and locked.status == TicketStatus.NEW:
        changes = {**changes, "status": TicketStatus.OPEN}
    if "subject" in changes and not (changes["subject"] or "").strip():
        raise DeskError("A ticket needs a subject.", field="subject")

    changed_fields = set()
    # A hand-set priority sticks; changing impact or urgency recomputes it unless overridden.
    if "priority" in changes and changes["priority"] is not None:
        if changes["priority"] != locked.priority or not locked.priority_overridden:
            locked.priority_overridden = True
            changed_fields.add("priority_overridden")
    if changes.get("priority_overridden") is False:
        locked.priority_overridden = False
        changed_fields.add("priority_overridden")

    for field in TRACKED_FIELDS:
        if field not in changes or field == "status":
            continue
        new = changes[field]
        if field == "priority" and new is None:
            continue
        old = getattr(locked, field)
        if old == new:
            continue
        setattr(locked, field, new)
        changed_fields.add(field)
        if field not in SILENT_FIELDS:
            events.field_changed_event(locked, _user(actor), field, _display(field, old), _display(field, new), now)

    if ({"impact", "urgency"} & changed_fields or "priority_overridden" in changed_fields) and not locked.priority_overridden:
        new_priority = priority_for(locked.impact, locked.urgency)
        if new_priority != locked.priority:
            events.field_changed_event(
                locked, _user(actor), "priority", _display("priority", locked.priority), _display("priority", new_priority), now
            )
            locked.priority = new_priority
            changed_fields.add("priority")

    if "status" in changes and changes["status"] != locked.status:
        _set_status(locked, actor, changes["status"], now)
        changed_fields |= {"status", "resolved_at", "closed_at"}

    if "tags" in changes and set_tags(locked, changes["tags"]):
        changed_fields.add("tags")
    if "cc" in changes and {c.pk for c in changes["cc"]} != set(locked.cc.values_list("pk", flat=True)):
        locked.cc.set(changes["cc"])
        changed_fields.add("cc")

    model_fields = changed_fields - {"tags", "cc"}
    if changed_fields:
        locked.updated_at = now
        locked.version += 1
        locked.save(update_fields=sorted(model_fields | {"updated_at", "version"}))
    if "assignee" in changed_fields and locked.assignee is not None:
        domain_events.publish(DeskEvent.TICKET_ASSIGNED, ticket=locked, actor=_user(actor), assignee=locked.assignee)
    return locked


def add_to_cc(additions: list[tuple[Ticket, Sequence]]) -> None:
    """Add contacts to tickets' CC lists, as ``update_ticket`` with a longer ``cc`` would, for many tickets at once.

    ``additions``: (ticket, contacts of its client). The links missing are inserted in one
    statement; each ticket whose list grew gets its new version and time, in memory and in
    one UPDATE (a batch of inbound mail adds the people CC'd on replies).
    """
    additions = [(ticket, contacts) for ticket, contacts in additions if contacts]
    if not additions:
        return
    for ticket, contacts in additions:
        _validate_ticket_refs(ticket.client, cc=contacts)
    through = Ticket.cc.through
    present = set(through.objects.filter(ticket_id__in={t.pk for t, _ in additions}).values_list("ticket_id", "contact_id"))
    links, grown = {}, {}
    for ticket, contacts in additions:
        for contact in contacts:
            if (ticket.pk, contact.pk) not in present:
                links[(ticket.pk, contact.pk)] = through(ticket_id=ticket.pk, contact_id=contact.pk)
                grown[ticket.pk] = ticket
    if not links:
        return
    through.objects.bulk_create(links.values(), ignore_conflicts=True)
    now = timezone.now()
    for ticket in grown.values():
        ticket.updated_at = now
        ticket.version += 1
    update_rows(list(grown.values()), ["updated_at", "version"])


def change_status(ticket: Ticket, actor, status: str, *, expected_version: int | None = None) -> Ticket:
    """Move a ticket to another status (recorded on its timeline)."""
    return update_ticket(ticket, actor, {"status": status}, expected_version=expected_version)


def assign_ticket(ticket: Ticket, actor, assignee, *, expected_version: int | None = None) -> Ticket:
    """Give a ticket to a technician (or nobody)."""
    if assignee is not None and not assignee.is_staff_member:
        raise DeskError(f"{assignee} is not a technician.", field="assignee")
    changes = {"assignee": assignee}
    if assignee is not None and ticket.status == TicketStatus.NEW:
        changes["status"] = TicketStatus.OPEN
    return update_ticket(ticket, actor, changes, expected_version=expected_version)


def set_tags(ticket: Ticket, names) -> bool:
    """Set the ticket's tags by name, creating new ones; returns whether they changed."""
    clean = sorted({name.strip().lower().replace(" ", "-")[:50] for name in names if name and name.strip()})
    if ticket.pk and clean == sorted(ticket.tags.values_list("name", flat=True)):
        return False
    tags = [Tag.objects.get_or_create(name=name)[0] for name in clean]
    ticket.tags.set(tags)
    return True


@transaction.atomic
def set_parent(ticket: Ticket, actor, parent: Ticket | None) -> Ticket:
    """Make ``ticket`` a child of ``parent`` (or detach it with None)."""
    if parent is not None:
        if parent.pk == ticket.pk:
            raise InvalidMerge("A ticket cannot be its own parent.", field="parent")
        if parent.client_id != ticket.client_id:
            raise InvalidMerge(f"#{parent.number} is a ticket of another client.", field="parent")
        ancestor = parent
        while ancestor is not None:  # refuse cycles: the parent may not descend from this ticket
            if ancestor.parent_id == ticket.pk:
                raise InvalidMerge(f"#{parent.number} is already below #{ticket.number}.", field="parent")
            ancestor = ancestor.parent
    if ticket.parent_id == (parent.pk if parent else None):
        return ticket
    now = timezone.now()
    ticket.parent = parent
    ticket.updated_at = now
    ticket.version += 1
    ticket.save(update_fields=["parent", "updated_at", "version"])
    events.ticket_linked_event(ticket, _user(actor), parent=parent, at=now)
    return ticket


@transaction.atomic
def merge_tickets(source: Ticket, target: Ticket, actor) -> Ticket:
    """Merge ``source`` into ``target``: its timeline, attachments, CCs and time move over; source closes."""
    if source.pk == target.pk:
        raise InvalidMerge("A ticket cannot be merged into itself.", field="target")
    if source.client_id != target.client_id:
        raise InvalidMerge("Only tickets of the same client can be merged.", field="target")
    if source.merged_into_id:
        raise InvalidMerge(f"#{source.number} was already merged into another ticket.", field="source")
    if target.merged_into_id:
        raise InvalidMerge(f"#{target.number} was merged into another ticket; merge into that one.", field="target")
    ancestor = target.parent
    while ancestor is not None:
        # Re-parenting the source's children onto one of its descendants would make a cycle.
        if ancestor.pk == source.pk:
            raise InvalidMerge(
                f"#{target.number} is below #{source.number}; merge #{target.number} into #{source.number} instead.",
                field="target",
            )
        ancestor = ancestor.parent
    now = timezone.now()
    # The source's description becomes a note so nothing the customer wrote is lost.
    if source.description.strip():
        TicketEntry.objects.create(
            ticket=target,
            kind=EntryKind.NOTE,
            is_public=False,
            author=_user(actor),
            body=f"From merged ticket #{source.number} – {source.subject}:\n\n{source.description}",
            created_at=now,
        )
    source.entries.exclude(kind=EntryKind.EVENT).update(ticket=target)
    source.attachments.update(ticket=target)
    source.children.update(parent=target)
    cc_ids = set(source.cc.values_list("pk", flat=True))
    if source.requester_id and source.requester_id != target.requester_id:
        cc_ids.add(source.requester_id)
    if cc_ids:
        target.cc.add(*cc_ids)
    for related in source._meta.related_objects:
        # Time entries (work app) and later domains point at tickets too; move them without importing them.
        if related.related_model in (TicketEntry, Attachment, Ticket) or not related.one_to_many:
            continue
        if related.field.name == "ticket":
            related.related_model.objects.filter(ticket=source).update(ticket=target)

    source.merged_into = target
    source.updated_at = now
    source.version += 1
    fields = ["merged_into", "updated_at", "version"]
    if source.status != TicketStatus.CLOSED:
        _set_status(source, actor, TicketStatus.CLOSED, now)
        fields += ["status", "resolved_at", "closed_at"]
    source.save(update_fields=fields)
    events.ticket_merged_event(source, _user(actor), target, into=True, at=now)
    events.ticket_merged_event(target, _user(actor), source, into=False, at=now)
    target.updated_at = now
    target.version += 1
    target.save(update_fields=["updated_at", "version"])
    return target


def _human_size(size: int) -> str:
    if size >= 1048576:
        return f"{size / 1048576:.1f}".removesuffix(".0") + " MB"
    if size >= 1024:
        return f"{size / 1024:.1f}".removesuffix(".0") + " KB"
    return f"{size} bytes"


def store_attachment(ticket: Ticket, upload, *, actor=None, entry: TicketEntry | None = None) -> Attachment:
    """Store an uploaded file; refuses empty or oversized files with the limit stated."""
    attachment = prepare_attachment(ticket, upload, actor=actor, entry=entry)
    attachment.save()
    return attachment


def save_attachments(attachments: list[Attachment]) -> None:
    """Write the rows of many ``prepare_attachment`` results in one statement (a batch of inbound mail)."""
    insert_rows(attachments)


def prepare_attachment(ticket: Ticket, upload, *, actor=None, entry: TicketEntry | None = None) -> Attachment:
    """``store_attachment`` without writing the row: the file is stored, the unsaved attachment returned."""
    limit = settings.ATTACHMENT_MAX_BYTES
    name = (getattr(upload, "name", "") or "attachment").replace("\\", "/").rsplit("/", 1)[-1][:255] or "attachment"
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
        upload.seek(0)
    if size == 0:
        raise AttachmentRejected(f"'{name}' is empty.", field="attachments")
    if size > limit:
        raise AttachmentTooLarge(
            f"'{name}' is {_human_size(size)}; attachments may be at most {_human_size(limit)}.",
            field="attachments",
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(65536), b""):
        digest.update(chunk)
    upload.seek(0)
    content_type = (
        getattr(upload, "content_type", None) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    )
    attachment = Attachment(
        ticket=ticket,
        entry=entry,
        storage_name=secrets.token_hex(16),
        filename=name,
        content_type=content_type[:150],
        size=size,
        sha256=digest.hexdigest(),
        content_id=(getattr(upload, "content_id", None) or "")[:255],
        uploaded_by=_user(actor),
    )
    attachment.file.save(attachment.storage_name, File(upload), save=False)
    return attachment


@transaction.atomic
def add_internal_note(ticket: Ticket, actor, *, body: str, status: str | None = None, attachments=()) -> TicketEntry:
    """Add an internal note and, in the same step, move the ticket on (the note's twin of reply_to_ticket)."""
    entry = add_message(ticket, actor, body=body, kind=EntryKind.NOTE, attachments=attachments)
    if status is not None:
        update_ticket(ticket, actor, {"status": status})
    return entry


# Placeholders a canned reply may use, and where each value comes from. Only these are
# replaced, as plain text: user-authored text never reaches a template engine.
CANNED_PLACEHOLDER_RE = re.compile(r"\{\{\s*(requester|ticket|technician|client)\.(\w+)\s*\}\}")


def fill_canned_reply(body: str, *, ticket: Ticket, technician) -> str:
    """The canned reply's text with its placeholders filled for this ticket; unknown ones are left as typed."""
    requester = ticket.requester
    values = {
        ("requester", "first_name"): requester.first_name if requester else "",
        ("requester", "last_name"): requester.last_name if requester else "",
        ("requester", "full_name"): requester.full_name if requester else "",
        ("ticket", "number"): str(ticket.number),
        ("ticket", "subject"): ticket.subject,
        ("technician", "first_name"): getattr(technician, "first_name", "") or "",
        ("technician", "last_name"): getattr(technician, "last_name", "") or "",
        ("technician", "full_name"): getattr(technician, "display_name", "") or "",
        ("client", "name"): ticket.client.name,
    }
    return CANNED_PLACEHOLDER_RE.sub(lambda match: values.get((match[1], match[2]), match[0]), body)


# --- Bulk changes from the queue ----------------------------------------------------


def update_tickets(actor, tickets, changes: dict) -> dict[int, str]:
    """Apply one change (assignee, status…) to several tickets, each on its own.

    A ticket that refuses the change does not stop the others; returns {number: reason}
    for the refused ones.
    """
    refused = {}
    for ticket in tickets:
        try:
            if set(changes) == {"assignee"}:
                assign_ticket(ticket, actor, changes["assignee"])
            elif set(changes) == {"status"}:
                change_status(ticket, actor, changes["status"])
            else:
                update_ticket(ticket, actor, changes)
        except DeskError as exc:
            refused[ticket.number] = exc.message
    return refused


def merge_tickets_into(actor, sources, target: Ticket) -> dict[int, str]:
    """Merge each of ``sources`` into ``target``; returns {number: reason} for those that could not be merged."""
    refused = {}
    for source in sources:
        if source.pk == target.pk:
            continue
        try:
            merge_tickets(source, target, actor)
        except DeskError as exc:
            refused[source.number] = exc.message
    return refused
