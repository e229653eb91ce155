"""Which desk events send which emails, and to whom.

Subscribed to the desk's events in ``MailConfig.ready()``; each handler runs inside the
desk service's transaction and only writes outbox rows (``outbound.queue_email``), which
are sent after commit.

| event                       | email                | to                                      |
|-----------------------------|----------------------|-----------------------------------------|
| ticket opened in the portal | acknowledgement      | requester                               |
| ticket opened by email      | acknowledgement      | requester (called by mail processing)   |
| technician's public reply   | reply (+attachments) | requester, CC contacts                  |
| customer reply              | technician_reply     | assignee, else the queue's team         |
| ticket resolved             | resolved             | requester                               |
| ticket assigned             | technician_assigned  | the new assignee (unless they did it)   |
"""

from django.db.models import prefetch_related_objects

from steward.core import events
from steward.desk.choices import DeskEvent, EntryKind, Source
from steward.desk.models import Ticket
from steward.mail import outbound
from steward.mail.choices import OutboundKind

# Tickets the customer filed themselves get an acknowledgement; ones a technician logged
# (phone, API, alert, walk-in) do not: the customer is talking to the technician already.
ACKNOWLEDGED_SOURCES = frozenset({Source.PORTAL})


def subscribe() -> None:
    events.subscribe(DeskEvent.TICKET_OPENED, on_ticket_opened)
    events.subscribe_many(DeskEvent.MESSAGE_ADDED, on_messages_added)
    events.subscribe(DeskEvent.TICKET_RESOLVED, on_ticket_resolved)
    events.subscribe(DeskEvent.TICKET_ASSIGNED, on_ticket_assigned)


def on_ticket_opened(ticket, actor=None, **_):
    # Email tickets are acknowledged by mail processing, which knows the mailbox, the
    # Message-ID to answer and whether the message was automatic (see acknowledge_ticket).
    if ticket.source in ACKNOWLEDGED_SOURCES:
        acknowledge_ticket(ticket)


def acknowledge_ticket(ticket, *, inbound=None, auto_submitted: bool = False, own=None):
    """Queue the 'we have your request' email, unless the message was automatic or acks are off.

    ``inbound`` is the InboundMessage that opened the ticket: the ack comes from its
    mailbox and threads under it. Never answer an auto-reply, bounce or list message
    (``auto_submitted``): that is how two help desks end up emailing each other forever.
    ``own``: Steward's own addresses (``outbound.own_addresses()``), when the caller has them.
    """
    if auto_submitted or ticket.requester is None:
        return None
    mailbox = inbound.mailbox if inbound is not None and inbound.mailbox_id else outbound.ticket_mailbox(ticket)
    if mailbox is not None and not mailbox.send_acknowledgements:
        return None
    if not ticket.client.send_acknowledgements:
        return None
    return outbound.queue_email(
        ticket,
        OutboundKind.ACKNOWLEDGEMENT,
        to=outbound.contact_recipients([ticket.requester]),
        values=outbound.placeholder_values(ticket),
        mailbox=mailbox,
        in_reply_to=inbound.message_id if inbound is not None else "",
        own=own,
        new_ticket=inbound is not None,
    )


def on_messages_added(items):
    """Customer messages tell the technicians; a technician's public reply goes to the customer."""
    from_customers = [item["entry"] for item in items if item["entry"].author_contact_id is not None]
    if from_customers:
        _tell_technicians_of_replies(from_customers)
    for item in items:
        entry, actor = item["entry"], item.get("actor")
        if (
            entry.author_contact_id is None and entry.kind == EntryKind.REPLY and entry.is_public
            and entry.author is not None and entry.author.is_staff_member
        ):
            ticket = entry.ticket
            outbound.queue_email(
                ticket,
                OutboundKind.REPLY,
                to=outbound.contact_recipients([ticket.requester]),
                cc=outbound.contact_recipients(ticket.cc.all()),
                entry=entry,
                values=outbound.placeholder_values(ticket, entry=entry, technician=entry.author, actor=actor),
            )


def _tell_technicians_of_replies(entries):
    """The assignee, else the queue's team, hears of each customer message; read for all tickets at once."""
    tickets = {entry.ticket.pk: entry.ticket for entry in entries}
    # The callers' copies may predate an assignment made through another copy of the ticket.
    for pk, assignee_id, queue_id in Ticket.objects.filter(pk__in=tickets).values_list("pk", "assignee_id", "queue_id"):
        tickets[pk].assignee_id, tickets[pk].queue_id = assignee_id, queue_id
    prefetch_related_objects(list(tickets.values()), "requester", "assignee", "queue__team")
    team_members = {}
    emails = []
    for entry in entries:
        ticket = tickets[entry.ticket.pk]
        if ticket.assignee is not None:
            users = [ticket.assignee]
        elif ticket.queue is not None and ticket.queue.team is not None:
            team = ticket.queue.team
            if team.pk not in team_members:
                team_members[team.pk] = list(team.members.staff())
            users = team_members[team.pk]
        else:
            continue
        values = outbound.placeholder_values(ticket, entry=entry, technician=ticket.assignee)
        emails.append(
            outbound.Email(ticket, OutboundKind.TECHNICIAN_REPLY, to=outbound.user_recipients(users), entry=entry, values=values)
        )
    outbound.queue_emails(emails)


def on_ticket_resolved(ticket, actor=None, **_):
    outbound.queue_email(
        ticket,
        OutboundKind.RESOLVED,
        to=outbound.contact_recipients([ticket.requester]),
        values=outbound.placeholder_values(ticket, technician=actor, actor=actor),
    )


def on_ticket_assigned(ticket, assignee, actor=None, **_):
    if actor is not None and actor.pk == assignee.pk:
        return
    outbound.queue_email(
        ticket,
        OutboundKind.TECHNICIAN_ASSIGNED,
        to=outbound.user_recipients([assignee]),
        values=outbound.placeholder_values(ticket, technician=assignee, actor=actor),
    )
