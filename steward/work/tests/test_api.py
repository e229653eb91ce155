"""The time entries API: staff log and correct time; client-side users never see it."""

import datetime as dt

import pytest
from django.utils import timezone

from steward.accounts.choices import TokenScope
from steward.work import services
from steward.work.choices import WorkType
from steward.work.models import TimeEntry



def ids(response):
    return [item["id"] for item in response.json()["items"]]


def test_staff_list_time_entries_with_ticket_and_client(api_as, technician, time_entry, ticket_a):
    response = api_as(technician).get("/time-entries")
    assert response.status_code == 200
    item = response.json()["items"][0]
    assert item["id"] == time_entry.pk
    assert item["ticket"] == {"id": ticket_a.pk, "number": ticket_a.number, "subject": ticket_a.subject}
    assert item["client"]["short_code"] == "ACME"
    assert item["technician"]["name"] == "Tom Tech"
    assert item["hours"] == 0.5


def test_list_time_entries_filters(api_as, technician, other_technician, time_entry, ticket_a, ticket_b, client_b):
    now = timezone.now()
    other = services.log_time(
        technician, technician=other_technician, ticket=ticket_b, duration_minutes=60, work_type=WorkType.PROJECT,
        started_at=now - dt.timedelta(hours=2),
    )
    api = api_as(technician)
    assert ids(api.get("/time-entries", {"technician": other_technician.pk})) == [other.pk]
    assert ids(api.get("/time-entries", {"client": client_b.pk})) == [other.pk]
    assert ids(api.get("/time-entries", {"ticket": ticket_a.number})) == [time_entry.pk]
    assert ids(api.get("/time-entries", {"work_type": "project"})) == [other.pk]
    since = (now - dt.timedelta(hours=3)).isoformat()
    assert ids(api.get("/time-entries", {"started_after": since})) == [other.pk]
    assert ids(api.get("/time-entries", {"started_before": since})) == [time_entry.pk]
    assert api.get("/time-entries", {"work_type": "fun"}).status_code == 422


def test_time_entries_page_through_all(api_as, technician, client_a):
    start = timezone.now() - dt.timedelta(days=1)
    logged = {
        services.log_time(technician, client=client_a, duration_minutes=10, started_at=start + dt.timedelta(minutes=i // 3)).pk
        for i in range(11)
    }
    api, seen, cursor = api_as(technician), [], None
    while True:
        body = api.get("/time-entries", {"limit": 4, **({"cursor": cursor} if cursor else {})}).json()
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 11 and set(seen) == logged


def test_log_time_on_a_ticket_defaults_to_the_caller(api_as, technician, ticket_a):
    response = api_as(technician).post(
        "/time-entries", {"ticket": ticket_a.number, "duration_minutes": 45, "note": "Replaced fuser"}
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["technician"]["id"] == technician.pk
    assert body["client"]["id"] == ticket_a.client_id
    assert body["work_type"] == "reactive" and body["billable"] is True


def test_log_time_for_a_client_and_another_technician(api_as, admin_user, other_technician, client_a):
    started = "2026-03-02T09:00:00Z"
    response = api_as(admin_user).post(
        "/time-entries",
        {
            "client": client_a.pk,
            "technician": other_technician.pk,
            "duration_minutes": 120,
            "work_type": "proactive",
            "billable": False,
            "started_at": started,
        },
    )
    assert response.status_code == 201, response.json()
    entry = TimeEntry.objects.get(pk=response.json()["id"])
    assert entry.technician == other_technician and entry.started_at == dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    "payload,field",
    [
        ({}, "duration_minutes"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": 2000}, "duration_minutes"),
        ({"duration_minutes": "lots"}, "duration_minutes"),
        ({"duration_minutes": 10, "work_type": "fun"}, "work_type"),
        ({"duration_minutes": 10, "ticket": 999999}, "ticket"),
        ({"duration_minutes": 10, "client": 999999}, "client"),
        ({"duration_minutes": 10, "technician": 999999}, "technician"),
    ],
)
def test_log_time_names_the_bad_field(api_as, technician, payload, field):
    response = api_as(technician).post("/time-entries", payload)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field
    assert not TimeEntry.objects.exists()


def test_log_time_for_a_client_user_is_refused(api_as, technician, client_a_user):
    response = api_as(technician).post("/time-entries", {"duration_minutes": 10, "technician": client_a_user.pk})
    assert response.status_code == 422
    assert response.json()["errors"][0] == {"field": "technician", "message": "Time can only be logged for a technician."}


def test_log_time_with_a_ticket_of_another_client_is_refused(api_as, technician, ticket_a, client_b):
    response = api_as(technician).post(
        "/time-entries", {"duration_minutes": 10, "ticket": ticket_a.number, "client": client_b.pk}
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "client"


def test_client_side_users_never_see_or_log_time(api_as, client_a_admin, client_a_user, time_entry, ticket_a):
    for user in (client_a_admin, client_a_user):
        api = api_as(user)
        assert api.get("/time-entries").json()["items"] == []
        assert api.get(f"/time-entries/{time_entry.pk}").status_code == 404
        assert api.patch(f"/time-entries/{time_entry.pk}", {"duration_minutes": 1}).status_code == 404
        assert api.post("/time-entries", {"ticket": ticket_a.number, "duration_minutes": 5}).status_code == 403
    assert TimeEntry.objects.count() == 1


def test_show_and_correct_a_time_entry(api_as, technician, time_entry):
    api = api_as(technician)
    assert api.get(f"/time-entries/{time_entry.pk}").json()["note"] == "Cleared the paper path"
    response = api.patch(f"/time-entries/{time_entry.pk}", {"duration_minutes": 40, "billable": False})
    assert response.status_code == 200
    time_entry.refresh_from_db()
    assert time_entry.duration_minutes == 40 and time_entry.billable is False


def test_correct_time_entry_rejects_bad_values(api_as, technician, time_entry):
    api = api_as(technician)
    assert api.patch(f"/time-entries/{time_entry.pk}", {"duration_minutes": -5}).status_code == 422
    assert api.patch(f"/time-entries/{time_entry.pk}", {"work_type": None}).status_code == 422
    assert api.patch("/time-entries/999999", {"note": "x"}).status_code == 404


def test_time_writes_with_read_token_are_refused(api_as, technician, time_entry):
    api = api_as(technician, TokenScope.READ)
    assert api.patch(f"/time-entries/{time_entry.pk}", {"note": "x"}).status_code == 403
    assert api.post("/time-entries", {"duration_minutes": 5}).status_code == 403
