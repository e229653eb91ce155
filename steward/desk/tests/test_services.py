import pytest

from steward.desk import services
from steward.desk.choices import EntryKind, Impact, Priority, TicketStatus, Urgency
from steward.desk.exceptions import StaleTicket, TicketClosed
from steward.desk.models import Ticket


def test_open_ticket_numbers_tickets_and_applies_priority_matrix(technician, client_a):
    # when
    first = services.open_ticket(technician, client=client_a, subject="Server down", impact=Impact.HIGH, urgency=Urgency.HIGH)
    second = services.open_ticket(technician, client=client_a, subject="New mouse", impact=Impact.LOW, urgency=Urgency.LOW)
    # then
    assert second.number == first.number + 1
    assert first.priority == Priority.P1
    assert second.priority == Priority.P4
    assert first.status == TicketStatus.NEW
    assert first.entries.filter(kind=EntryKind.EVENT).count() == 1


def test_customer_reply_reopens_resolved_ticket(ticket_a, technician, client_a_user):
    services.change_status(ticket_a, technician, TicketStatus.RESOLVED)
    ticket = Ticket.objects.get(pk=ticket_a.pk)
    services.add_message(ticket, client_a_user, body="Still jamming, sorry!")
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.OPEN
    assert ticket.resolved_at is None


def test_customer_cannot_reply_to_closed_ticket(ticket_a, technician, client_a_user):
    services.change_status(ticket_a, technician, TicketStatus.CLOSED)
    with pytest.raises(TicketClosed):
        services.add_message(Ticket.objects.get(pk=ticket_a.pk), client_a_user, body="Hello?")


def test_stale_edit_is_refused(ticket_a, technician, other_technician):
    started_from = ticket_a.version
    services.update_ticket(ticket_a, other_technician, {"subject": "Printer jams (reception)"})
    with pytest.raises(StaleTicket):
        services.update_ticket(ticket_a, technician, {"subject": "Mine"}, expected_version=started_from)
    assert Ticket.objects.get(pk=ticket_a.pk).subject == "Printer jams (reception)"
