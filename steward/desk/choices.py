from django.db import models


class TicketStatus(models.TextChoices):
    NEW = "new", "New"
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    WAITING_ON_CUSTOMER = "waiting_on_customer", "Waiting on customer"
    WAITING_ON_THIRD_PARTY = "waiting_on_third_party", "Waiting on third party"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"


# Statuses in which the ticket still needs work (the queue shows these by default).
OPEN_STATUSES = frozenset(
    {
        TicketStatus.NEW,
        TicketStatus.OPEN,
        TicketStatus.IN_PROGRESS,
        TicketStatus.WAITING_ON_CUSTOMER,
        TicketStatus.WAITING_ON_THIRD_PARTY,
    }
)
DONE_STATUSES = frozenset({TicketStatus.RESOLVED, TicketStatus.CLOSED})


class TicketType(models.TextChoices):
    INCIDENT = "incident", "Incident"
    SERVICE_REQUEST = "service_request", "Service request"
    PROBLEM = "problem", "Problem"
    CHANGE = "change", "Change"
    ALERT = "alert", "Alert"


class Impact(models.IntegerChoices):
    HIGH = 1, "High – whole company or site"
    MEDIUM = 2, "Medium – a team or department"
    LOW = 3, "Low – one person"


class Urgency(models.IntegerChoices):
    HIGH = 1, "High – work has stopped"
    MEDIUM = 2, "Medium – work is hampered"
    LOW = 3, "Low – can wait"


class Priority(models.IntegerChoices):
    P1 = 1, "P1"
    P2 = 2, "P2"
    P3 = 3, "P3"
    P4 = 4, "P4"


class Source(models.TextChoices):
    EMAIL = "email", "Email"
    PORTAL = "portal", "Portal"
    PHONE = "phone", "Phone"
    ALERT = "alert", "Alert"
    API = "api", "API"
    WALK_IN = "walk_in", "Walk-in"


class EntryKind(models.TextChoices):
    REPLY = "reply", "Reply"
    NOTE = "note", "Internal note"
    CALL = "call", "Phone call"
    EMAIL = "email", "Email"
    EVENT = "event", "System event"


class CallDirection(models.TextChoices):
    INBOUND = "inbound", "Inbound"
    OUTBOUND = "outbound", "Outbound"



class DeskEvent(models.TextChoices):
    """What the desk announces through ``steward.core.events`` for other apps (mail) to act on."""

    TICKET_OPENED = "desk.ticket_opened", "Ticket opened"  # ticket, actor
    MESSAGE_ADDED = "desk.message_added", "Message added"  # entry, actor
    TICKET_RESOLVED = "desk.ticket_resolved", "Ticket resolved"  # ticket, actor
    TICKET_ASSIGNED = "desk.ticket_assigned", "Ticket assigned"  # ticket, actor, assignee
