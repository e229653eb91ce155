from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from steward.core.bulk import insert_rows, update_rows
from steward.desk.models import Ticket, TicketEntry
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


def _statements_run(connection):
    seen = []

    def watch(execute, sql, params, many, context):
        seen.append(sql.split()[0].upper())
        return execute(sql, params, many, context)

    return seen, connection.execute_wrapper(watch)


def test_insert_rows_gives_new_objects_their_keys_and_writes_every_value(client_a, client_a_user):
    at = timezone.now() - timedelta(days=3)
    long_text = "The backup job failed with error 0x80070005; tab\there, a backslash \\ and a line\nbreak. " * 300
    tickets = [
        Ticket(number=9001 + i, client=client_a, requester=client_a_user.contact, subject=f"Backup {i}",
               description=long_text if i == 0 else "", status="open", priority=2, created_at=at, updated_at=at)
        for i in range(3)
    ]
    seen, watching = _statements_run(connection)
    with watching:
        assert insert_rows(tickets) == tickets
    entries = insert_rows([TicketEntry(ticket=t, kind="email", body=f"Body of {t.subject}", created_at=at) for t in tickets])

    assert all(t.pk and not t._state.adding for t in [*tickets, *entries])
    assert len({t.pk for t in tickets}) == 3
    # On PostgreSQL the rows go in with COPY (keys drawn from the sequence first); elsewhere one INSERT.
    assert seen == (["SELECT", "COPY"] if connection.vendor == "postgresql" else ["INSERT"])
    stored = Ticket.objects.order_by("number")
    assert [(t.number, t.subject, t.status, t.priority, t.requester_id, t.created_at) for t in stored] == [
        (9001 + i, f"Backup {i}", "open", 2, client_a_user.contact.pk, at) for i in range(3)
    ]
    assert stored[0].description == long_text
    assert [e.ticket.subject for e in TicketEntry.objects.filter(pk__in=[e.pk for e in entries]).order_by("pk")] == [
        "Backup 0", "Backup 1", "Backup 2"
    ]
    # A row added the usual way afterwards takes a key the sequence has not given out.
    assert open_ticket(None, client=client_a, subject="Later").pk > max(t.pk for t in tickets)


def test_insert_rows_refuses_a_duplicate_as_an_integrity_error_and_writes_none_of_the_rows(client_a):
    open_ticket(None, client=client_a, subject="First")
    taken = Ticket.objects.get().number
    rows = [Ticket(number=taken + 1, client=client_a, subject="New"), Ticket(number=taken, client=client_a, subject="Clash")]

    with pytest.raises(IntegrityError), transaction.atomic():
        insert_rows(rows)

    assert list(Ticket.objects.values_list("subject", flat=True)) == ["First"]
