"""Timeline writers for system events: who changed what on a ticket, and when."""

from django.utils import timezone

from steward.desk.choices import EntryKind
from steward.desk.models import Ticket, TicketEntry


def _event(ticket: Ticket, actor, payload: dict, at=None) -> TicketEntry:
    return TicketEntry.objects.create(
        ticket=ticket,
        kind=EntryKind.EVENT,
        is_public=False,
        author=actor,
        event=payload,
        created_at=at or timezone.now(),
    )


def ticket_opened_entry(ticket, actor, *, at, quoted_text: str = "") -> TicketEntry:
    """The (unsaved) opening event; ``quoted_text``: an email's quoted history, folded under the description."""
    return TicketEntry(
        ticket=ticket,
        kind=EntryKind.EVENT,
        is_public=False,
        author=actor,
        event={"action": "opened", "source": ticket.source},
        quoted_text=quoted_text or "",
        created_at=at,
    )


def field_changed_event(ticket, actor, field: str, old, new, at=None):
    """Record one field change; values are stored as display text so history survives deletions."""
    return _event(ticket, actor, {"action": "changed", "field": field, "old": old, "new": new}, at)


def ticket_merged_event(ticket, actor, other: Ticket, *, into: bool, at=None):
    action = "merged_into" if into else "merged_from"
    return _event(ticket, actor, {"action": action, "ticket": other.number}, at)


def ticket_linked_event(ticket, actor, *, parent: Ticket | None, at=None):
    return _event(ticket, actor, {"action": "parent_set", "ticket": parent.number if parent else None}, at)


def describe_event(entry: TicketEntry) -> str:
    """A one-line, human description of an event entry for timelines and exports."""
    event = entry.event or {}
    action = event.get("action")
    if action == "opened":
        return f"opened the ticket (via {event.get('source', 'unknown')})"
    if action == "changed":
        old = event.get("old") or "—"
        new = event.get("new") or "—"
        return f"changed {event.get('field', '').replace('_', ' ')} from {old} to {new}"
    if action == "merged_into":
        return f"merged this ticket into #{event.get('ticket')}"
    if action == "merged_from":
        return f"merged #{event.get('ticket')} into this ticket"
    if action == "parent_set":
        return f"set parent ticket to #{event['ticket']}" if event.get("ticket") else "removed the parent ticket"
    return action or "event"
