"""One ticket's life on the timeline, written the way the desk's services would have written it.

A ``Story`` applies the same rules as ``steward.desk.services`` (status changes and their
events, first response, resolution and closing times, version and updated_at) to unsaved
model instances, so the demo can bulk-insert a year of tickets and still satisfy every
invariant the services maintain. Steps that would happen after "now" are not taken: the
ticket stays in whatever state it had reached.
"""

from datetime import datetime, time, timedelta

from steward.accounts.choices import CLIENT_ROLES
from steward.demo.dates import aware
from steward.desk.choices import EntryKind, Priority, TicketStatus
from steward.desk.models import TicketEntry

OPEN = TicketStatus.OPEN
NEW = TicketStatus.NEW
RESOLVED = TicketStatus.RESOLVED
CLOSED = TicketStatus.CLOSED
AUTO_CLOSE_AFTER = timedelta(days=5)


class Stop(Exception):
    """The story has reached the present."""


class Work:
    """Reactive work a technician logs time for: at ``at``, in proportion to ``weight``."""

    __slots__ = ("tech", "at", "weight", "ticket", "not_before", "note")

    def __init__(self, tech, at, weight, ticket, not_before, note):
        self.tech, self.at, self.weight, self.ticket, self.not_before, self.note = (
            tech, at, weight, ticket, not_before, note,
        )


def _label(field, value):
    if value is None or value == "":
        return None
    if field == "status":
        return TicketStatus(value).label
    if field == "priority":
        return Priority(value).label
    if field == "assignee":
        return value.display_name
    return str(value)


class Story:
    def __init__(self, planner, ticket, created: datetime):
        self.p = planner
        self.rng = planner.rng
        self.t = ticket
        self.created = created
        self.last = None
        self.entries = []
        self.content = 0  # entries that are not system events
        self.tech = None  # TechCtx of the assignee
        self.parent_fixups = []  # (entry, parent ticket): event payloads that need the parent's number

    # --- the services' rules ------------------------------------------------------------------
    def _when(self, when: datetime) -> datetime:
        if self.last is not None and when <= self.last:
            when = self.last + timedelta(seconds=self.rng.randint(20, 120))
        if when >= self.p.anchor:
            raise Stop
        self.last = when
        return when

    def _add(self, when, kind, *, author=None, contact=None, body="", public=False, event=None, call=None):
        entry = TicketEntry(
            ticket=self.t,
            kind=kind,
            is_public=public,
            author=author,
            author_contact=contact,
            body=body,
            call_direction=call[0] if call else "",
            caller_number=call[1] if call else "",
            call_duration_seconds=call[2] if call else None,
            event=event,
            created_at=aware(when),
        )
        self.entries.append(entry)
        if kind != EntryKind.EVENT:
            self.content += 1
        self.t.updated_at = entry.created_at
        return entry

    def _event(self, when, actor, payload):
        return self._add(when, EntryKind.EVENT, author=actor, event=payload)

    def _set_status(self, when, actor, status):
        t = self.t
        old = t.status
        if old == status:
            return
        t.status = status
        if status == RESOLVED:
            t.resolved_at = aware(when)
        elif status == CLOSED:
            t.closed_at = aware(when)
            t.resolved_at = t.resolved_at or aware(when)
        else:
            t.resolved_at = None
            t.closed_at = None
        self._event(when, actor, {"action": "changed", "field": "status", "old": _label("status", old),
                                  "new": _label("status", status)})

    def open(self, when, *, actor=None, assignee=None):
        """open_ticket: the ticket, its status and the 'opened' event."""
        when = self._when(when)
        t = self.t
        t.created_at = t.updated_at = aware(when)
        t.status = OPEN if assignee else NEW
        t.assignee = assignee.user if assignee else None
        t.created_by = actor
        t.version = 1
        self.tech = assignee
        self._event(when, actor, {"action": "opened", "source": t.source})
        return when

    def message(self, when, *, actor=None, contact=None, kind=EntryKind.REPLY, body="", public=None, call=None):
        """add_message: a reply, note, call or email, with the status rules of the service."""
        when = self._when(when)
        t = self.t
        from_customer = contact is not None or (actor is not None and actor.role in CLIENT_ROLES)
        if public is None:
            public = kind != EntryKind.NOTE
        if from_customer:
            public = True
        self._add(when, kind, author=actor, contact=contact, body=body, public=public, call=call)
        t.version += 1
        if from_customer and t.status in (RESOLVED, TicketStatus.WAITING_ON_CUSTOMER):
            self._set_status(when, actor, OPEN)
        elif not from_customer and public and kind in (EntryKind.REPLY, EntryKind.EMAIL, EntryKind.CALL):
            if t.first_response_at is None:
                t.first_response_at = aware(when)
            if t.status == NEW:
                self._set_status(when, actor, OPEN)
        return when

    def update(self, when, actor, **changes):
        """update_ticket for priority, queue, assignee and status, in the service's event order."""
        when = self._when(when)
        t = self.t
        changed = False
        if "priority" in changes:
            t.priority_overridden = True
        for field in ("priority", "queue", "assignee"):
            if field not in changes:
                continue
            new = changes[field]
            if field == "assignee":
                self.tech = new
                new = new.user if new else None
            old = getattr(t, field)
            if old == new:
                continue
            setattr(t, field, new)
            changed = True
            self._event(when, actor, {"action": "changed", "field": field, "old": _label(field, old),
                                      "new": _label(field, new)})
        if "status" in changes and changes["status"] != t.status:
            self._set_status(when, actor, changes["status"])
            changed = True
        if changed:
            t.version += 1
        return when

    def set_parent(self, when, actor, parent):
        when = self._when(when)
        self.t.parent = parent
        self.t.version += 1
        entry = self._event(when, actor, {"action": "parent_set", "ticket": None})
        self.parent_fixups.append((entry, parent))
        return when

    # --- helpers for the stories --------------------------------------------------------------
    def work(self, when, weight, note):
        self.p.work.append(Work(self.tech, when, weight, self.t, self.created, note))

    def tech_after(self, moment, minutes):
        """When the assignee has spent ``minutes`` of their working time after ``moment``."""
        return self.p.clock.add_work(moment, minutes, self.tech.username)

    def customer_after(self, ctx, moment, lo=5, hi=240):
        """When the requester answers: some minutes later, once their office is open."""
        later = moment + timedelta(minutes=self.rng.uniform(lo, hi))
        return ctx.hours.next_open(later) + timedelta(minutes=self.rng.uniform(0, 45))

    def close_later(self):
        """The nightly job closes tickets resolved for five days."""
        resolved = self.t.resolved_at.replace(tzinfo=None)
        closing = datetime.combine((resolved + AUTO_CLOSE_AFTER).date() + timedelta(days=1), time(2, 0))
        self.update(closing + timedelta(seconds=self.rng.randint(0, 900)), None, status=CLOSED)
