from datetime import timedelta

from django.utils import timezone

from steward.core.bulk import update_rows
from steward.desk.models import Ticket
from steward.desk.services import open_ticket


def test_update_rows_writes_each_objects_own_values_in_one_statement(client_a, client_a_user, django_assert_num_queries):
    tickets = [open_ticket(None, client=client_a, subject=f"Ticket {i}", requester=client_a_user.contact) for i in range(3)]
    later = timezone.now() + timedelta(hours=1)
    for i, ticket in enumerate(tickets):
        ticket.subject = f"Renamed {i}"
        ticket.first_response_at = later if i else None
        ticket.requester = None if i == 2 else ticket.requester

    with django_assert_num_queries(1):
        assert update_rows(tickets[:2] + tickets[2:], ["subject", "first_response_at", "requester"]) == 3

    rows = list(Ticket.objects.order_by("number").values_list("subject", "first_response_at", "requester"))
    assert rows == [
        ("Renamed 0", None, client_a_user.contact.pk),
        ("Renamed 1", later, client_a_user.contact.pk),
        ("Renamed 2", later, None),
    ]


def test_update_rows_only_where_skips_rows_that_no_longer_match(client_a, client_a_user):
    tickets = [open_ticket(None, client=client_a, subject=f"Ticket {i}") for i in range(3)]
    Ticket.objects.filter(pk=tickets[1].pk).update(status="closed")  # changed by someone else meanwhile
    for ticket in tickets:
        ticket.subject = "Renamed"

    assert update_rows(tickets, ["subject"], only_where={"status": "new"}) == 2

    assert list(Ticket.objects.order_by("number").values_list("subject", flat=True)) == ["Renamed", "Ticket 1", "Renamed"]
