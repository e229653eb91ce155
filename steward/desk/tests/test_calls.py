"""Calls: matching a caller in any notation, and logging a call from the form."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from steward.clients import queries as client_queries
from steward.clients.models import Contact
from steward.clients.services import create_contact, phone_key
from steward.desk import calls
from steward.desk.choices import CallDirection, EntryKind, Source
from steward.desk.exceptions import DeskError
from steward.desk.models import Ticket, TicketEntry
from steward.work.models import TimeEntry


@pytest.fixture
def dana(technician, client_a):
    """A contact created through the services, with a London landline."""
    return create_contact(
        technician, client=client_a, first_name="Dana", last_name="Scully", email="dana@acme.test",
        phone="+44 20 7946 0101", mobile="07700 900123", is_vip=True,
    )


@pytest.mark.parametrize(
    "typed", ["+44 20 7946 0101", "020 7946 0101", "0044 20 79460101", "(020) 7946-0101", "+44 (0)20 7946 0101", "442079460101"]
)
def test_phone_key_is_the_same_in_every_notation(typed):
    assert phone_key(typed) == "079460101"


@pytest.mark.parametrize("typed", ["+44 20 7946 0101", "020 7946 0101", "0044 20 79460101", "07700 900123", "+447700900123"])
def test_match_caller_finds_the_contact_however_the_number_is_written(technician, dana, client_b_user, typed):
    assert calls.match_caller(technician, typed) == dana


def test_match_caller_ignores_other_numbers_and_fragments(technician, dana):
    assert calls.match_caller(technician, "+44 20 7946 0102") is None
    assert calls.match_caller(technician, "0101") is None


def test_contacts_written_without_the_services_still_match(technician, client_a):
    # given a contact created as admin and fixtures do, digits left empty
    raw = Contact.objects.create(client=client_a, first_name="Raw", phone="+44 161 496 0000")
    assert raw.phone_digits == ""
    # when a call comes in / then it matches, and the digits were filled on the way
    assert calls.match_caller(technician, "0161 496 0000") == raw
    raw.refresh_from_db()
    assert raw.phone_digits == "441614960000"


def test_find_callers_by_name_email_and_partial_number(technician, dana, client_a_user):
    assert calls.find_callers(technician, "dana") == [dana]
    assert calls.find_callers(technician, "Dana Scu") == [dana]
    assert calls.find_callers(technician, "dana@acme") == [dana]
    assert dana in calls.find_callers(technician, "020 7946 01")
    assert calls.find_callers(technician, "") == []


def test_client_users_cannot_search_callers(client_a_user, dana):
    with pytest.raises(Exception):
        calls.find_callers(client_a_user, "dana")


def test_matching_among_300_contacts_is_one_bounded_query(technician, client_a, client_b):
    # given 300 contacts spread over two clients
    Contact.objects.bulk_create(
        Contact(client=client_a if i % 2 else client_b, first_name=f"P{i}", last_name="Load",
                phone=f"+44 20 7946 {i:04d}", phone_digits=f"44207946{i:04d}")
        for i in range(300)
    )
    # when / then
    with CaptureQueriesContext(connection) as ctx:
        found = client_queries.callers_matching(technician, "020 7946 0123")
    assert [c.first_name for c in found] == ["P123"]
    assert len(ctx.captured_queries) == 1
    with CaptureQueriesContext(connection) as ctx:
        assert len(client_queries.callers_matching(technician, "load")) == client_queries.MATCH_LIMIT
    assert len(ctx.captured_queries) == 1


def test_log_call_on_existing_ticket_adds_call_entry_and_time(technician, ticket_a, client_a_user):
    contact = client_a_user.contact
    logged = calls.log_call(
        technician, caller_number="020 7946 0101", contact=contact, ticket=ticket_a,
        direction=CallDirection.INBOUND, duration_seconds=125, notes="Printer fixed by restarting it.",
    )
    assert logged.created_ticket is False
    entry = TicketEntry.objects.get(pk=logged.entry.pk)
    assert (entry.kind, entry.call_duration_seconds, entry.caller_number) == (EntryKind.CALL, 125, "020 7946 0101")
    time = TimeEntry.objects.get(ticket=ticket_a)
    assert time.duration_minutes == 3 and time.work_type == "reactive" and time.technician == technician


def test_log_call_opens_new_phone_ticket(technician, client_a_user, category):
    logged = calls.log_call(
        technician, contact=client_a_user.contact, new_ticket=calls.NewTicket("VPN down", category=category),
        direction=CallDirection.OUTBOUND, duration_seconds=20,
    )
    ticket = logged.ticket
    assert logged.created_ticket and ticket.source == Source.PHONE and ticket.requester == client_a_user.contact
    assert ticket.entries.filter(kind=EntryKind.CALL, call_direction="outbound").count() == 1
    assert ticket.time_entries.get().duration_minutes == 1  # 20 s rounds up to a minute


def test_log_call_for_unknown_caller_adds_contact_or_none(technician, client_a):
    with_contact = calls.log_call(
        technician, caller_number="+44 20 7946 0999", client=client_a, new_contact=calls.NewContact("Eve", "New"),
        new_ticket=calls.NewTicket("Wants a new laptop"), duration_seconds=60,
    )
    assert with_contact.contact.phone_digits == "442079460999"
    assert calls.match_caller(technician, "020 7946 0999") == with_contact.contact
    anonymous = calls.log_call(technician, client=client_a, new_ticket=calls.NewTicket("Anonymous"), duration_seconds=0)
    assert anonymous.ticket.requester is None and anonymous.time_entry is None


def test_log_call_refuses_ticket_of_another_client(technician, client_a_user, ticket_b):
    with pytest.raises(DeskError):
        calls.log_call(technician, contact=client_a_user.contact, ticket=ticket_b, duration_seconds=60)


# --- The form -------------------------------------------------------------------


def test_call_form_page_has_labelled_search_and_timer(client, technician):
    client.force_login(technician)
    page = client.get("/calls/new/").content.decode()
    assert 'for="id_q"' in page and 'role="combobox"' in page and "data-call-timer" in page


def test_matches_partial_lists_contact_client_phone_and_vip(client, technician, dana):
    client.force_login(technician)
    response = client.get("/calls/callers/", {"q": "0044 20 79460101"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert 'role="option"' in page and "Dana Scully" in page and "Acme Dental" in page and "VIP" in page
    assert "+44 20 7946 0101" in page and "<html" not in page


def test_caller_partial_shows_open_tickets(client, technician, ticket_a, client_a_user):
    client.force_login(technician)
    page = client.get(f"/calls/callers/{client_a_user.contact.pk}/").content.decode()
    assert f'value="{ticket_a.number}"' in page and "Printer on reception jams" in page


def test_logging_via_form_on_existing_ticket(client, technician, ticket_a, client_a_user):
    client.force_login(technician)
    response = client.post("/calls/new/", {
        "q": "Bob", "contact": client_a_user.contact.pk, "target": str(ticket_a.number),
        "direction": "inbound", "duration": "4:30", "notes": "Walked him through it.", "is_public": "on",
        "impact": 3, "urgency": 2,
    })
    assert response.status_code == 302 and response["Location"] == f"/tickets/{ticket_a.number}/"
    assert ticket_a.entries.filter(kind=EntryKind.CALL, call_duration_seconds=270).exists()
    assert ticket_a.time_entries.get().duration_minutes == 5


def test_logging_via_form_opens_new_ticket(client, technician, client_a_user):
    client.force_login(technician)
    response = client.post("/calls/new/", {
        "contact": client_a_user.contact.pk, "target": "new", "subject": "Screen flickers",
        "direction": "inbound", "duration": "7", "impact": 2, "urgency": 1,
    })
    ticket = Ticket.objects.get(subject="Screen flickers")
    assert response["Location"] == f"/tickets/{ticket.number}/"
    assert ticket.source == Source.PHONE and ticket.priority == 2
    assert ticket.time_entries.get().duration_minutes == 7


def test_form_errors_keep_input_and_the_caller(client, technician, client_a_user):
    client.force_login(technician)
    response = client.post("/calls/new/", {
        "contact": client_a_user.contact.pk, "target": "new", "subject": "", "direction": "inbound",
        "duration": "4:75", "notes": "Typed <b>notes</b>", "impact": 3, "urgency": 2,
    })
    page = response.content.decode()
    assert response.status_code == 200
    assert "A new ticket needs a subject." in page and "Seconds go up to 59" in page
    assert "Typed &lt;b&gt;notes&lt;/b&gt;" in page and 'value="4:75"' in page
    assert f'name="contact" value="{client_a_user.contact.pk}"' in page
    assert not Ticket.objects.filter(source=Source.PHONE, requester=client_a_user.contact).exclude(subject__startswith="Printer").exists()


def test_client_side_users_cannot_reach_call_pages(client, client_a_user, client_a_admin):
    for user in (client_a_user, client_a_admin):
        client.force_login(user)
        assert client.get("/calls/new/").status_code == 404
        assert client.get("/calls/callers/", {"q": "bob"}).status_code == 404
        assert client.post("/calls/new/", {"contact": user.contact.pk}).status_code == 404
