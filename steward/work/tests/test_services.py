import pytest

from steward.desk import services as desk_services
from steward.desk.models import Ticket
from steward.work.choices import WorkType
from steward.work.services import TimeEntryError, log_time


def test_log_time_on_ticket_takes_ticket_client(ticket_a, technician):
    entry = log_time(technician, ticket=ticket_a, duration_minutes=15, work_type=WorkType.REACTIVE, note="Reset spooler")
    assert entry.client_id == ticket_a.client_id
    assert entry.technician == technician and entry.billable


def test_time_for_client_user_is_refused(ticket_a, client_a_user):
    with pytest.raises(TimeEntryError, match="technician"):
        log_time(client_a_user, ticket=ticket_a, duration_minutes=15)


@pytest.mark.parametrize("minutes", [0, 24 * 60 + 1])
def test_impossible_durations_are_refused(ticket_a, technician, minutes):
    with pytest.raises(TimeEntryError) as error:
        log_time(technician, ticket=ticket_a, duration_minutes=minutes)
    assert error.value.field == "duration_minutes"


def test_time_moves_with_merged_ticket(technician, client_a):
    source = desk_services.open_ticket(technician, client=client_a, subject="A")
    target = desk_services.open_ticket(technician, client=client_a, subject="B")
    entry = log_time(technician, ticket=source, duration_minutes=30, work_type=WorkType.PROACTIVE)
    desk_services.merge_tickets(Ticket.objects.get(pk=source.pk), target, technician)
    entry.refresh_from_db()
    assert entry.ticket == target
