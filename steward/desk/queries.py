"""Read path of the service desk: scoped, prefetched querysets for lists, details and the API."""

import re
from datetime import datetime

from django.db.models import Prefetch, Q
from django.db.models.functions import Upper

from steward.desk.exceptions import DeskError
from steward.desk.models import Attachment, Category, Queue, Software, Tag, Ticket, TicketEntry

# Everything a ticket row shows, fetched in the same query as the ticket.
TICKET_ROW_RELATED = ("client", "site", "requester", "assignee", "queue", "category__parent", "software")
TICKET_NUMBER_RE = re.compile(r"^#\s*(\d{1,18})$")


def _assignee_condition(user, assignee: str) -> Q:
    value = assignee.strip().lower()
    if value == "me":
        return Q(assignee_id=user.pk)
    if value == "none":
        return Q(assignee__isnull=True)
    if value.isdigit() and len(value) <= 18:
        return Q(assignee_id=int(value))
    raise DeskError("Assignee must be a user id, 'me' or 'none'.", field="assignee")


def _text_condition(text: str) -> Q:
    text = text.strip()
    number = TICKET_NUMBER_RE.match(text)
    if number:
        return Q(number=int(number.group(1)))
    # Upper(subject) LIKE '%TEXT%' is what the trigram index gin (upper(subject)) serves on PostgreSQL.
    condition = Q(subject_upper__contains=text.upper())
    if text.isdigit() and len(text) <= 18:
        condition |= Q(number=int(text))
    return condition


def filter_tickets(
    tickets,
    user,
    *,
    status=None,
    priority: int | None = None,
    client: int | None = None,
    assignee: str | None = None,
    queue: int | None = None,
    category: int | None = None,
    source: str | None = None,
    tag: str | None = None,
    q: str | None = None,
    updated_since: datetime | None = None,
):
    """Apply the ticket list filters shared by the queue view and the API."""
    if status:
        tickets = tickets.filter(status__in=list(status))
    if priority is not None:
        tickets = tickets.filter(priority=priority)
    if client is not None:
        tickets = tickets.filter(client_id=client)
    if assignee:
        tickets = tickets.filter(_assignee_condition(user, assignee))
    if queue is not None:
        tickets = tickets.filter(queue_id=queue)
    if category is not None:
        # A top-level category also finds tickets filed under its subcategories.
        tickets = tickets.filter(Q(category_id=category) | Q(category__parent_id=category))
    if source:
        tickets = tickets.filter(source=source)
    if tag:
        tickets = tickets.filter(tags__name=tag.strip().lower())
    if q and q.strip():
        tickets = tickets.alias(subject_upper=Upper("subject")).filter(_text_condition(q))
    if updated_since is not None:
        tickets = tickets.filter(updated_at__gte=updated_since)
    return tickets


def ticket_list(user, **filters):
    """Tickets the user may see, filtered, with what each row shows; order and page with keyset_page."""
    tickets = Ticket.objects.visible_to(user).select_related(*TICKET_ROW_RELATED).prefetch_related("tags")
    return filter_tickets(tickets, user, **filters)


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
