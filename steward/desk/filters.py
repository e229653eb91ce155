"""The one definition of the ticket list filters, shared by the queue, its saved views and the API.

``ticket_condition`` turns filter values into a single ``Q``, so the same filter narrows a
list (``filter_tickets``) and counts a saved view inside one aggregate query.
"""

import re
from datetime import datetime

from django.db.models import Q
from django.db.models.functions import Upper

from steward.desk.choices import OPEN_STATUSES, TicketStatus
from steward.desk.exceptions import DeskError
from steward.desk.models import Ticket

TICKET_NUMBER_RE = re.compile(r"^#\s*(\d{1,18})$")

# ?sort= values of the queue: label and the ordering; the last field makes the order total for keyset paging.
SORTS = {
    "-updated": ("Recently updated", ("-updated_at", "-id")),
    "updated": ("Least recently updated", ("updated_at", "id")),
    "-created": ("Newest", ("-created_at", "-id")),
    "created": ("Oldest", ("created_at", "id")),
    "priority": ("Priority, P1 first", ("priority", "-updated_at", "-id")),
    "-priority": ("Priority, P4 first", ("-priority", "-updated_at", "-id")),
    "-number": ("Number, highest first", ("-number",)),
    "number": ("Number, lowest first", ("number",)),
}
DEFAULT_SORT = "-updated"

# Built-in saved views, in the order the queue lists them: (key, name, query string).
BUILTIN_VIEWS = (
    ("open", "All open tickets", ""),
    ("mine", "My open tickets", "assignee=me"),
    ("unassigned", "Unassigned", "assignee=none"),
    ("p1-p2", "P1 and P2", "priority=1&priority=2"),
    ("waiting", "Waiting on customer", f"status={TicketStatus.WAITING_ON_CUSTOMER}"),
)
# The queue shows these unless the user picks statuses.
DEFAULT_QUEUE_STATUSES = tuple(status for status in TicketStatus.values if status in OPEN_STATUSES)


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


def ticket_condition(
    user,
    *,
    status=None,
    priority=None,
    client: int | None = None,
    assignee: str | None = None,
    queue: int | None = None,
    category: int | None = None,
    source: str | None = None,
    tag: str | None = None,
    q: str | None = None,
    updated_since: datetime | None = None,
) -> Q:
    """The ticket list filters as one condition; a text filter needs the ``subject_upper`` alias."""
    condition = Q()
    if status:
        condition &= Q(status__in=list(status))
    if isinstance(priority, int):
        condition &= Q(priority=priority)
    elif priority:
        condition &= Q(priority__in=list(priority))
    if client is not None:
        condition &= Q(client_id=client)
    if assignee:
        condition &= _assignee_condition(user, assignee)
    if queue is not None:
        condition &= Q(queue_id=queue)
    if category is not None:
        # A top-level category also finds tickets filed under its subcategories.
        condition &= Q(category_id=category) | Q(category__parent_id=category)
    if source:
        condition &= Q(source=source)
    if tag:
        # A subquery rather than a join, so counting a view never counts a ticket twice.
        tagged = Ticket.tags.through.objects.filter(tag__name=tag.strip().lower()).values("ticket_id")
        condition &= Q(pk__in=tagged)
    if q and q.strip():
        condition &= _text_condition(q)
    if updated_since is not None:
        condition &= Q(updated_at__gte=updated_since)
    return condition


def with_text_alias(tickets):
    """Add the upper-cased subject that a text filter compares against (free unless used)."""
    return tickets.alias(subject_upper=Upper("subject"))


def filter_tickets(tickets, user, **filters):
    """Apply the ticket list filters shared by the queue view and the API."""
    return with_text_alias(tickets).filter(ticket_condition(user, **filters))
