"""POST /api/v1/calls: call events from a phone system."""

from datetime import timedelta

import pytest
from django.utils import timezone

from steward.accounts.choices import TokenScope
from steward.clients.models import Client
from steward.clients.services import create_contact
from steward.desk.choices import EntryKind, Source
from steward.desk.models import Ticket


@pytest.fixture
def dana(technician, client_a):
    return create_contact(technician, client=client_a, first_name="Dana", last_name="Scully", phone="+44 20 7946 0101")


def test_call_joins_callers_open_ticket_updated_within_window(api_as, technician, dana):
    # given Dana's ticket touched an hour ago
    ticket = Ticket.objects.create(number=5001, client=dana.client, requester=dana, subject="Email broken",
                                   created_at=timezone.now(), updated_at=timezone.now() - timedelta(hours=1))
    # when the phone system reports her call in national notation
    response = api_as(technician).post("/calls", {"caller_number": "020 7946 0101", "duration_seconds": 95,
                                                  "recording_url": "https://pbx.example/rec/1.mp3"})
    # then
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["matched"] is True and body["ticket"] == 5001 and body["created_ticket"] is False
    assert body["contact"]["id"] == dana.pk and body["contact"]["client"]["short_code"] == "ACME"
    entry = ticket.entries.get(kind=EntryKind.CALL)
    assert "https://pbx.example/rec/1.mp3" in entry.body and entry.call_duration_seconds == 95
    assert ticket.time_entries.get().duration_minutes == 2


def test_call_opens_new_ticket_when_open_ticket_is_stale(api_as, technician, dana):
    Ticket.objects.create(number=5002, client=dana.client, requester=dana, subject="Old", created_at=timezone.now(),
                          updated_at=timezone.now() - timedelta(hours=5))
    body = api_as(technician).post("/calls", {"caller_number": "+442079460101", "duration_seconds": 30}).json()
    assert body["created_ticket"] is True and body["ticket"] != 5002
    ticket = Ticket.objects.get(number=body["ticket"])
    assert ticket.subject == "Call from Dana Scully" and ticket.source == Source.PHONE and ticket.requester == dana


def test_window_is_configurable_per_call(api_as, technician, dana):
    Ticket.objects.create(number=5003, client=dana.client, requester=dana, subject="Old", created_at=timezone.now(),
                          updated_at=timezone.now() - timedelta(hours=5))
    body = api_as(technician).post("/calls", {"caller_number": "0044 20 79460101", "reuse_window_minutes": 600}).json()
    assert body["ticket"] == 5003 and body["time_entry_id"] is None  # no talk time, no time entry


def test_unknown_number_lands_on_catchall_client_and_callbacks_join_it(api_as, technician, dana):
    api = api_as(technician)
    first = api.post("/calls", {"caller_number": "+1 212 555 0199", "duration_seconds": 61}).json()
    again = api.post("/calls", {"caller_number": "+1 212 555 0199", "duration_seconds": 10}).json()
    assert first["matched"] is False and first["contact"] is None and first["created_ticket"] is True
    assert again["ticket"] == first["ticket"] and again["created_ticket"] is False
    ticket = Ticket.objects.get(number=first["ticket"])
    assert ticket.client == Client.objects.get(short_code="CATCHALL") and ticket.subject == "Call from +1 212 555 0199"


def test_explicit_ticket_number_wins(api_as, technician, dana, ticket_a):
    body = api_as(technician).post("/calls", {"caller_number": "020 7946 0101", "ticket": ticket_a.number}).json()
    assert body["ticket"] == ticket_a.number and body["matched"] is True


def test_invalid_payload_names_the_field(api_as, technician):
    response = api_as(technician).post("/calls", {"caller_number": "", "duration_seconds": -1})
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"caller_number", "duration_seconds"}


def test_read_token_is_refused(api_as, technician):
    response = api_as(technician, TokenScope.READ).post("/calls", {"caller_number": "020 7946 0101"})
    assert response.status_code == 403


def test_client_users_cannot_record_calls_nor_see_other_tickets(api_as, client_a_admin, client_b_user, ticket_a, dana):
    assert api_as(client_a_admin).post("/calls", {"caller_number": "020 7946 0101"}).status_code == 403
    response = api_as(client_b_user).post("/calls", {"caller_number": "020 7946 0101", "ticket": ticket_a.number})
    assert response.status_code in (403, 422) and "Printer" not in response.content.decode()
    assert not ticket_a.entries.filter(kind=EntryKind.CALL).exists()
