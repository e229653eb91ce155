"""Read path of the portal: a client's requests and their public side only."""

from steward.desk import queries as desk_queries
from steward.desk.choices import DONE_STATUSES, OPEN_STATUSES
from steward.desk.models import Ticket

STATES = (("all", "All requests"), ("open", "Open"), ("closed", "Resolved and closed"))


def requests_for(user, *, company: bool = False, state: str = "all", q: str = ""):
    """The user's own requests, or (client admins) all of their company's, filtered; order with keyset_page."""
    tickets = Ticket.objects.visible_to(user).select_related("requester")
    if not company:
        tickets = tickets.filter(requester_id=user.contact_id)
    if state == "open":
        tickets = tickets.filter(status__in=OPEN_STATUSES)
    elif state == "closed":
        tickets = tickets.filter(status__in=DONE_STATUSES)
    return desk_queries.filter_tickets(tickets, user, q=q)


def request_for(user, number: int) -> Ticket | None:
    """One request the user may see, by number."""
    return (
        Ticket.objects.visible_to(user)
        .select_related("requester", "category__parent")
        .annotate(description_quoted=desk_queries.DESCRIPTION_QUOTED)
        .filter(number=number)
        .first()
    )


def public_timeline(user, ticket: Ticket):
    """Replies, calls and emails the client may see, with their attachments; never notes or events."""
    # visible_to already keeps client users to public entries; the explicit filter keeps it so for anyone.
    return desk_queries.ticket_timeline(user, ticket).filter(is_public=True)


def request_attachments(user, ticket: Ticket):
    """Files sent with the request itself (not with a timeline entry)."""
    return desk_queries.attachments_for(user).filter(ticket=ticket, entry__isnull=True)
