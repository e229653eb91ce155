"""Read path of the service desk: scoped, prefetched querysets for lists, details and the API."""

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db.models import Count, DateTimeField, OuterRef, Prefetch, Q, Subquery, Sum

from steward.clients.models import Contact, Contract
from steward.desk.choices import EntryKind
from steward.desk.exceptions import DeskError

# The filters live in filters.py (one definition for queue, saved views and API); re-exported here.
from steward.desk.filters import filter_tickets, with_text_alias
from steward.desk.models import Attachment, CannedReply, Category, Queue, Software, Tag, Ticket, TicketEntry

# What a ticket row shows: people and places joined into the ticket query; the small catalogues
# are prefetched instead, because PostgreSQL spends far longer planning a nine-table join
# (~20 ms, on every request: Django does not prepare statements) than running it (~1 ms).
TICKET_ROW_RELATED = ("client", "site", "requester", "assignee")
TICKET_ROW_PREFETCH = ("tags", "queue", "category__parent", "software")


def ticket_list(user, **filters):
    """Tickets the user may see, filtered, with what each row shows; order and page with keyset_page."""
    tickets = Ticket.objects.visible_to(user).select_related(*TICKET_ROW_RELATED).prefetch_related(*TICKET_ROW_PREFETCH)
    return filter_tickets(tickets, user, **filters)


# The quoted history of the email that opened a ticket, kept on its "opened" event; folded under the description.
DESCRIPTION_QUOTED = Subquery(
    TicketEntry.objects.filter(ticket=OuterRef("pk"), kind=EntryKind.EVENT)
    .exclude(quoted_text="")
    .order_by("pk")
    .values("quoted_text")[:1]
)


def ticket_detail(user, number: int) -> Ticket | None:
    """One visible ticket with CCs, tags, attachments and the numbers of related tickets the user may see."""
    ticket = (
        Ticket.objects.visible_to(user)
        .select_related(*TICKET_ROW_RELATED, "created_by")
        .prefetch_related(
            "tags",
            "cc",
            Prefetch("attachments", queryset=attachments_for(user).select_related("ticket")),
        )
        .annotate(description_quoted=DESCRIPTION_QUOTED)
        .filter(number=number)
        .first()
    )
    if ticket is None:
        return None
    related = (
        Ticket.objects.visible_to(user)
        .filter(
            Q(pk__in=[pk for pk in (ticket.parent_id, ticket.merged_into_id) if pk])
            | Q(parent_id=ticket.pk)
            | Q(merged_into_id=ticket.pk)
        )
        .order_by("number")
        .values_list("pk", "number", "parent_id", "merged_into_id")
    )
    numbers = {pk: number for pk, number, _, _ in related}
    ticket.parent_number = numbers.get(ticket.parent_id)
    ticket.merged_into_number = numbers.get(ticket.merged_into_id)
    ticket.children_numbers = [number for _, number, parent_id, _ in related if parent_id == ticket.pk]
    ticket.merged_from_numbers = [number for _, number, _, into_id in related if into_id == ticket.pk]
    return ticket


def attachments_for(user):
    """Attachments the user may see (for client users: not those on internal notes)."""
    return Attachment.objects.visible_to(user).order_by("created_at", "id")


def ticket_timeline(user, ticket: Ticket):
    """The ticket's timeline as the user may see it: client users get public entries only."""
    return (
        TicketEntry.objects.visible_to(user)
        .filter(ticket=ticket)
        .select_related("author", "author_contact")
        .prefetch_related(Prefetch("attachments", queryset=attachments_for(user).select_related("ticket")))
        .order_by("created_at", "id")
    )


def categories_for(user):
    return Category.objects.visible_to(user).select_related("parent").order_by("parent__name", "name")


def software_for(user):
    return Software.objects.visible_to(user).order_by("name", "vendor")


def queues_for(user):
    return Queue.objects.visible_to(user).select_related("team").order_by("name")


def tags_for(user):
    return Tag.objects.visible_to(user).order_by("name")


# --- Queue ------------------------------------------------------------------------

# What a queue row shows; site, software and tags stay out to keep the row query lean.
QUEUE_ROW_RELATED = ("client", "requester", "assignee", "queue", "category__parent")
VIEW_COUNTS_SECONDS = 30


def queue_tickets(user, **filters):
    """Tickets for the technician's queue, filtered, with what each row shows; page with queue_page."""
    return filter_tickets(Ticket.objects.visible_to(user).select_related(*QUEUE_ROW_RELATED), user, **filters)


def queue_row(user, number: int) -> Ticket | None:
    """One queue row, fetched again after a change made from the list."""
    return queue_tickets(user).filter(number=number).first()


@dataclass
class QueuePage:
    rows: list
    older: str | None  # cursor for ?after= (the next page in the chosen order)
    newer: str | None  # cursor for ?before= (the previous page)


def _order_fields(ordering) -> list[tuple[str, bool]]:
    return [(field.lstrip("-"), field.startswith("-")) for field in ordering]


def _cursor_for(row, fields) -> str:
    values = [getattr(row, name) for name, _ in fields]
    text = json.dumps([value.isoformat() if isinstance(value, datetime) else value for value in values])
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _cursor_values(cursor: str, fields) -> list:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(values, list) or len(values) != len(fields):
            raise ValueError
        parsed = []
        for (name, _), value in zip(fields, values, strict=True):
            if isinstance(Ticket._meta.get_field(name), DateTimeField):
                parsed.append(datetime.fromisoformat(value))
            elif isinstance(value, int) and not isinstance(value, bool):
                parsed.append(value)
            else:
                raise ValueError
        return parsed
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise DeskError("That page link is out of date; showing the first page.", field="cursor") from None


def _beyond(fields, values, *, backward: bool) -> Q:
    # (a, b, id) after (x, y, z) is a > x OR (a = x AND b > y) OR (a = x AND b = y AND id > z).
    condition, same = Q(), Q()
    for (name, descending), value in zip(fields, values, strict=True):
        goes_down = descending != backward
        condition |= same & Q(**{f"{name}__{'lt' if goes_down else 'gt'}": value})
        same &= Q(**{name: value})
    # The redundant bound on the first field lets the database range-scan its index.
    name, descending = fields[0]
    return Q(**{f"{name}__{'lte' if descending != backward else 'gte'}": values[0]}) & condition


def queue_page(tickets, *, ordering, after: str | None = None, before: str | None = None, limit: int = 50) -> QueuePage:
    """One keyset page of ``tickets`` in ``ordering``: never counts or skips rows, so page 1 000 costs as page 1."""
    fields = _order_fields(ordering)
    if before:
        reverse = [f"{'' if descending else '-'}{name}" for name, descending in fields]
        beyond = _beyond(fields, _cursor_values(before, fields), backward=True)
        rows = list(tickets.filter(beyond).order_by(*reverse)[: limit + 1])
        more_newer = len(rows) > limit
        rows = rows[:limit][::-1]
        older = _cursor_for(rows[-1], fields) if rows else None
        return QueuePage(rows, older, _cursor_for(rows[0], fields) if more_newer else None)
    if after:
        tickets = tickets.filter(_beyond(fields, _cursor_values(after, fields), backward=False))
    rows = list(tickets.order_by(*ordering)[: limit + 1])
    older = _cursor_for(rows[limit - 1], fields) if len(rows) > limit else None
    rows = rows[:limit]
    return QueuePage(rows, older, _cursor_for(rows[0], fields) if after and rows else None)


def count_new_tickets(user, since: datetime, *, cap: int = 100, **filters) -> int:
    """How many tickets matching the filters were opened after ``since`` (at most ``cap``, to stay cheap)."""
    return queue_tickets(user, **filters).filter(created_at__gt=since).order_by()[:cap].count()


def count_open_tickets_per_view(user, conditions: dict, *, signature: str) -> dict:
    """Open tickets the user may see matching each condition, in one aggregate query, cached for 30 s.

    ``conditions`` maps a view's key to its ``Q`` (see filters.ticket_condition); ``signature``
    names the set of views, so a new or deleted view is counted at once.
    """
    if not conditions:
        return {}
    signature = hashlib.sha256(signature.encode()).hexdigest()
    key = f"desk:view-counts:{user.pk}"
    cached = cache.get(key)
    if cached and cached[0] == signature:
        return cached[1]
    names = {f"v{i}": view_key for i, view_key in enumerate(conditions)}
    tickets = with_text_alias(Ticket.objects.visible_to(user).open())
    totals = tickets.aggregate(
        **{alias: Count("pk", filter=conditions[view]) if conditions[view] else Count("pk") for alias, view in names.items()}
    )
    counts = {names[alias]: total for alias, total in totals.items()}
    cache.set(key, (signature, counts), VIEW_COUNTS_SECONDS)
    return counts


def forget_view_counts(user) -> None:
    """Drop the user's cached view counts after they changed tickets, so they see their change at once."""
    cache.delete(f"desk:view-counts:{user.pk}")


# --- Ticket page ----------------------------------------------------------------------
# Each helper is one query whatever the ticket's size, so the page's query count is bounded.

SIDE_LIST_LIMIT = 5


def requester_open_tickets(user, ticket: Ticket, limit: int = SIDE_LIST_LIMIT) -> list[Ticket]:
    """The requester's other open tickets, latest first."""
    if not ticket.requester_id:
        return []
    return list(
        Ticket.objects.visible_to(user)
        .open()
        .filter(requester_id=ticket.requester_id)
        .exclude(pk=ticket.pk)
        .only("number", "subject", "status", "priority", "updated_at")
        .order_by("-updated_at", "-id")[:limit]
    )


def client_recent_tickets(user, ticket: Ticket, limit: int = SIDE_LIST_LIMIT) -> list[Ticket]:
    """The client's most recently updated tickets besides this one."""
    return list(
        Ticket.objects.visible_to(user)
        .filter(client_id=ticket.client_id)
        .exclude(pk=ticket.pk)
        .only("number", "subject", "status", "priority", "updated_at")
        .order_by("-updated_at", "-id")[:limit]
    )


def ticket_children(user, ticket: Ticket) -> list[Ticket]:
    return list(
        Ticket.objects.visible_to(user)
        .filter(parent_id=ticket.pk)
        .only("number", "subject", "status", "priority")
        .order_by("number")
    )


def last_change(ticket: Ticket) -> TicketEntry | None:
    """The newest timeline entry, to say who changed a ticket when an edit turns out stale."""
    return TicketEntry.objects.filter(ticket=ticket).select_related("author", "author_contact").order_by("-created_at", "-id").first()


def active_contract(user, client_id: int, today) -> Contract | None:
    """The client's contract in force today (the latest started, when several overlap)."""
    return (
        Contract.objects.visible_to(user)
        .filter(client_id=client_id, starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .order_by("-starts_on", "-id")
        .first()
    )


def client_minutes_since(client, since) -> int:
    """Minutes logged for the client since ``since`` (e.g. the start of the month), all technicians."""
    return client.time_entries.filter(started_at__gte=since).aggregate(total=Sum("duration_minutes"))["total"] or 0


def ticket_minutes_logged(ticket: Ticket) -> int:
    return ticket.time_entries.aggregate(total=Sum("duration_minutes"))["total"] or 0


def ticket_time_entries(ticket: Ticket, limit: int = SIDE_LIST_LIMIT):
    """The latest time entries on the ticket, with their technicians."""
    return list(ticket.time_entries.select_related("technician").order_by("-started_at", "-id")[:limit])


def key_contacts(user, client_id: int, limit: int = 6) -> list[Contact]:
    """The client's people to know: VIPs first, then by name."""
    return list(
        Contact.objects.visible_to(user)
        .filter(client_id=client_id, is_active=True)
        .order_by("-is_vip", "first_name", "last_name", "id")[:limit]
    )


def canned_replies_for(user):
    """Shared canned replies and the user's own, by title."""
    return CannedReply.objects.visible_to(user).filter(Q(owner__isnull=True) | Q(owner=user)).order_by("title", "id")
