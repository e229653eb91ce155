"""The timesheet, absence, capacity and timer API: staff only, same rules as the pages."""

import datetime as dt

from django.utils import timezone

from steward.accounts.choices import TokenScope
from steward.work import services
from steward.work.models import Absence, RunningTimer, TimeEntry

WEEK = "2026-W02"


def at(day, hour=9):
    return timezone.make_aware(dt.datetime(2026, 1, day, hour))


def test_time_entries_show_task_and_status(api_as, technician, acme_task):
    response = api_as(technician).post("/time-entries", {"task": acme_task.pk, "duration_minutes": 30})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["task"], body["status"], body["work_type"]) == (acme_task.pk, "draft", "project")
    assert body["client"]["id"] == acme_task.project.client_id


def test_submit_approve_and_return_a_timesheet(api_as, technician, admin_user, client_a, ticket_a):
    services.log_time(technician, ticket=ticket_a, duration_minutes=90, started_at=at(6))
    api = api_as(technician)
    sheet = api.get(f"/timesheets/{technician.pk}/{WEEK}").json()
    assert sheet["week_total_minutes"] == 90 and sheet["rows"][0]["minutes"] == [0, 90, 0, 0, 0, 0, 0]
    assert sheet["rows"][0]["ticket"]["number"] == ticket_a.number and sheet["expected_hours"] == 40
    assert api.post(f"/timesheets/{technician.pk}/{WEEK}/submit", {}).json() == {"week": WEEK, "status": "submitted", "entries": 1}
    assert api.post(f"/timesheets/{technician.pk}/{WEEK}/approve", {}).status_code == 403
    entry_id = TimeEntry.objects.get().pk
    assert api.patch(f"/time-entries/{entry_id}", {"duration_minutes": 5}).status_code == 403
    admin = api_as(admin_user)
    response = admin.post(f"/timesheets/{technician.pk}/{WEEK}/return", {"reason": "Add the note"})
    assert response.json()["status"] == "draft"
    api.post(f"/timesheets/{technician.pk}/{WEEK}/submit", {})
    assert admin.post(f"/timesheets/{technician.pk}/{WEEK}/approve", {}).json()["status"] == "approved"
    assert admin.post(f"/timesheets/{technician.pk}/{WEEK}/approve", {}).status_code == 409


def test_timesheet_of_another_technician_needs_an_admin(api_as, technician, other_technician, admin_user):
    assert api_as(technician).get(f"/timesheets/{other_technician.pk}/{WEEK}").status_code == 403
    assert api_as(admin_user).get(f"/timesheets/{other_technician.pk}/{WEEK}").status_code == 200
    assert api_as(technician).get(f"/timesheets/{technician.pk}/2026-W99").status_code == 404


def test_absences_and_capacities(api_as, technician, admin_user):
    api = api_as(technician)
    response = api.post("/absences", {"starts_on": "2026-02-02", "ends_on": "2026-02-03", "kind": "training"})
    assert response.status_code == 201, response.json()
    absence_id = response.json()["id"]
    clash = api.post("/absences", {"starts_on": "2026-02-03"})
    assert clash.status_code == 409 and clash.json()["errors"][0]["field"] == "starts_on"
    assert [item["id"] for item in api.get("/absences").json()] == [absence_id]
    assert api.put(f"/capacities/{technician.pk}", {"weekly_hours": 20, "work_days": "123", "target_utilisation": 0.6}).status_code == 403
    response = api_as(admin_user).put(f"/capacities/{technician.pk}", {"weekly_hours": 20, "work_days": "123", "target_utilisation": 0.6})
    assert response.json()["work_days"] == "123"
    tom = next(item for item in api.get("/capacities").json() if item["technician"]["id"] == technician.pk)
    assert (tom["weekly_hours"], tom["target_utilisation"]) == (20, 0.6)
    assert api.delete(f"/absences/{absence_id}").status_code == 204
    assert not Absence.objects.exists()


def test_timer_start_stop(api_as, technician, ticket_a):
    api = api_as(technician)
    assert api.get("/timer").json()["running"] is False
    started = api.post("/timer/start", {"ticket": ticket_a.number})
    assert started.status_code == 201 and started.json()["ticket"]["number"] == ticket_a.number
    RunningTimer.objects.update(started_at=timezone.now() - dt.timedelta(minutes=7))
    stopped = api.post("/timer/stop", {})
    assert stopped.status_code == 200 and stopped.json()["duration_minutes"] in (7, 8)
    assert api.post("/timer/stop", {}).status_code == 422


def test_client_side_users_see_no_planning_data(api_as, technician, client_a_admin, client_a):
    services.add_absence(technician, starts_on=dt.date(2026, 2, 2), ends_on=dt.date(2026, 2, 2))
    services.log_time(technician, client=client_a, duration_minutes=60, started_at=at(5))
    api = api_as(client_a_admin)
    assert api.get("/absences").json() == [] and api.get("/capacities").json() == []
    assert api.get("/timer").json()["running"] is False
    assert api.get(f"/timesheets/{technician.pk}/{WEEK}").status_code == 404
    assert api.post(f"/timesheets/{technician.pk}/{WEEK}/submit", {}).status_code == 404
    assert api.post("/timer/start", {}).status_code == 403


def test_read_tokens_cannot_submit(api_as, technician, client_a):
    services.log_time(technician, client=client_a, duration_minutes=60, started_at=at(5))
    assert api_as(technician, TokenScope.READ).post(f"/timesheets/{technician.pk}/{WEEK}/submit", {}).status_code == 403
