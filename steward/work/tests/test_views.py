"""The time pages: the weekly grid, copy, submit, approvals, capacity and the timer."""

import datetime as dt

import pytest
from django.utils import timezone

from steward.work import services
from steward.work.models import Absence, Capacity, RunningTimer, TimeEntry

WEEK = "2026-W02"  # Monday 5 to Sunday 11 January 2026
HTMX = {"HTTP_HX_REQUEST": "true"}


def at(day, hour=9):
    return timezone.make_aware(dt.datetime(2026, 1, day, hour))


@pytest.fixture
def tech_client(client, technician):
    client.force_login(technician)
    return client


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_my_week_shows_the_grid_with_an_empty_state(tech_client):
    page = tech_client.get("/time/").content.decode()
    assert "My week" in page and "No time this week yet" in page and 'aria-current="page">Time' in page


def test_typing_hours_into_a_cell_creates_then_updates_then_deletes_the_entry(tech_client, technician, ticket_a):
    row = {"row": f"ticket-{ticket_a.pk}", "day": "2026-01-06"}
    response = tech_client.post(f"/time/{WEEK}/cell/", {**row, "hours": "1:30", "billable": "on"}, **HTMX)
    assert response.status_code == 200
    assert 'value="1:30"' in response.content.decode()
    entry = TimeEntry.objects.get()
    assert (entry.duration_minutes, entry.ticket, entry.billable, entry.work_type) == (90, ticket_a, True, "reactive")
    assert timezone.localdate(entry.started_at) == dt.date(2026, 1, 6)
    tech_client.post(f"/time/{WEEK}/cell/", {**row, "hours": "2.5"}, **HTMX)
    entry.refresh_from_db()
    assert (entry.duration_minutes, entry.billable) == (150, True)  # billable is the row's toggle, not the cell's
    tech_client.post(f"/time/{WEEK}/cell/", {**row, "hours": ""}, **HTMX)
    assert not TimeEntry.objects.exists()


def test_a_bad_cell_keeps_what_was_typed_and_says_why(tech_client, ticket_a):
    response = tech_client.post(
        f"/time/{WEEK}/cell/", {"row": f"ticket-{ticket_a.pk}", "day": "2026-01-06", "hours": "lots"}, **HTMX
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Enter hours like 1.5 or 1:30" in page and 'value="lots"' in page
    assert not TimeEntry.objects.exists()


def test_add_a_row_by_ticket_number_then_fill_a_client_admin_row(tech_client, ticket_a, client_a):
    page = tech_client.post(f"/time/{WEEK}/rows/", {"ticket": f"#{ticket_a.number}"}, **HTMX).content.decode()
    assert f"#{ticket_a.number} {ticket_a.subject}" in page
    page = tech_client.post(f"/time/{WEEK}/rows/", {"ticket": "999999"}, **HTMX).content.decode()
    assert "There is no ticket #999999." in page
    tech_client.post(f"/time/{WEEK}/cell/", {"row": f"client-{client_a.pk}-admin", "day": "2026-01-05", "hours": "0.5"}, **HTMX)
    entry = TimeEntry.objects.get()
    assert (entry.client, entry.work_type, entry.duration_minutes) == (client_a, "admin", 30)


def test_billable_toggle_changes_the_rows_entries(tech_client, technician, client_a):
    services.log_time(technician, client=client_a, duration_minutes=60, started_at=at(5), work_type="proactive")
    tech_client.post(f"/time/{WEEK}/billable/", {"row": f"client-{client_a.pk}-proactive"}, **HTMX)
    assert TimeEntry.objects.get().billable is False


def test_copy_last_week_and_submit_lock_the_week(tech_client, technician, client_a):
    services.log_time(technician, client=client_a, duration_minutes=60, started_at=at(5) - dt.timedelta(days=7), work_type="admin")
    response = tech_client.post(f"/time/{WEEK}/copy/", follow=True)
    assert "Copied 1 entry from last week." in response.content.decode()
    response = tech_client.post(f"/time/{WEEK}/submit/", follow=True)
    page = response.content.decode()
    assert f"Week {WEEK} submitted for approval." in page and "waiting for a manager" in page
    assert "Submit week" not in page and "readonly" in page
    response = tech_client.post(
        f"/time/{WEEK}/cell/", {"row": f"client-{client_a.pk}-admin", "day": "2026-01-05", "hours": "3"}, **HTMX
    )
    assert response.status_code == 422 and "ask a manager" in response.content.decode()
    assert TimeEntry.objects.get(started_at=at(5)).duration_minutes == 60


def test_admin_approves_and_returns_submitted_weeks(admin_client, technician, client_a):
    services.log_time(technician, client=client_a, duration_minutes=90, started_at=at(5), work_type="project")
    services.submit_week(technician, WEEK)
    page = admin_client.get("/time/approvals/").content.decode()
    assert "Tom Tech" in page and WEEK in page and "1:30" in page
    assert "Tom Tech" in admin_client.get(f"/time/technicians/{technician.pk}/{WEEK}/").content.decode()
    admin_client.post(f"/time/technicians/{technician.pk}/{WEEK}/return/", {"reason": "Which project?"})
    assert TimeEntry.objects.get().return_reason == "Which project?"
    services.submit_week(technician, WEEK)
    response = admin_client.post(f"/time/technicians/{technician.pk}/{WEEK}/approve/", follow=True)
    assert f"Approved {WEEK} of Tom Tech." in response.content.decode()
    assert TimeEntry.objects.get().status == "approved"
    assert "No submitted weeks are waiting" in admin_client.get("/time/approvals/").content.decode()


def test_technicians_cannot_approve_or_see_others_weeks(tech_client, other_technician):
    assert tech_client.get("/time/approvals/").status_code == 404
    assert tech_client.get(f"/time/technicians/{other_technician.pk}/{WEEK}/").status_code == 404
    assert tech_client.post(f"/time/technicians/{other_technician.pk}/{WEEK}/approve/").status_code == 404


def test_admin_edits_capacity_and_sees_it(admin_client, technician):
    response = admin_client.post(
        f"/time/capacity/{technician.pk}/", {"weekly_hours": "24", "work_days": ["1", "3", "5"], "target_percent": "70"}, follow=True
    )
    page = response.content.decode()
    assert "Capacity of Tom Tech saved." in page and "Mon, Wed, Fri" in page
    capacity = Capacity.objects.get(technician=technician)
    assert (capacity.weekly_hours, capacity.work_days, float(capacity.target_utilisation)) == (24, "135", 0.7)
    response = admin_client.post(f"/time/capacity/{technician.pk}/", {"weekly_hours": "99", "work_days": ["1"], "target_percent": "70"})
    assert response.status_code == 422 and "less than or equal to 80" in response.content.decode()


def test_technician_records_and_removes_own_absence_but_cannot_edit_capacity(tech_client, technician):
    assert tech_client.post(f"/time/capacity/{technician.pk}/", {"weekly_hours": "10", "work_days": ["1"], "target_percent": "1"}).status_code == 404
    future = timezone.localdate() + dt.timedelta(days=10)
    response = tech_client.post("/time/absences/", {"kind": "training", "starts_on": future.isoformat(), "ends_on": ""}, follow=True)
    assert "Absence of Tom Tech recorded." in response.content.decode() and "Training" in response.content.decode()
    absence = Absence.objects.get()
    response = tech_client.post("/time/absences/", {"kind": "leave", "starts_on": future.isoformat(), "ends_on": future.isoformat()})
    assert response.status_code == 422 and "already away" in response.content.decode()
    tech_client.post(f"/time/absences/{absence.pk}/delete/")
    assert not Absence.objects.exists()


def test_timer_from_the_ticket_page_runs_in_the_top_bar_and_logs_on_stop(tech_client, technician, ticket_a):
    page = tech_client.get(f"/tickets/{ticket_a.number}/").content.decode()
    assert "Start timer" in page
    tech_client.post("/time/timer/start/", {"ticket": ticket_a.number, "next": f"/tickets/{ticket_a.number}/"})
    page = tech_client.get("/time/").content.decode()
    assert f"#{ticket_a.number}" in page and "data-running-since" in page and ">Stop</button>" in page
    RunningTimer.objects.update(started_at=timezone.now() - dt.timedelta(minutes=11, seconds=30))  # rounds up to 12
    response = tech_client.post("/time/timer/stop/", {"next": "/time/"}, follow=True)
    assert f"Logged 0:12 h on #{ticket_a.number}." in response.content.decode()
    assert TimeEntry.objects.get().ticket == ticket_a
    assert "data-running-since" not in response.content.decode()


def test_a_bad_week_is_not_found(tech_client):
    assert tech_client.get("/time/2026-W60/").status_code == 404
    assert tech_client.get("/time/yesterday/").status_code == 404


def test_add_a_row_offers_open_tasks_with_the_technicians_own_first_and_clients_by_name(
    tech_client, technician, client_a, acme_task
):
    from steward.projects.models import Task

    acme_task.assignee = technician
    acme_task.save()
    Task.objects.create(project=acme_task.project, name="Configure backups", estimate_hours=2)
    Task.objects.create(project=acme_task.project, name="Old task", status="done")

    page = tech_client.get(f"/time/{WEEK}/").content.decode()

    options = page.split('name="task"')[1].split("</select>")[0]
    assert options.index("★ Server replacement: Order server") < options.index("Server replacement: Configure backups")
    assert "Old task" not in options
    assert f'<option value="{client_a.pk}">{client_a.name}</option>' in page

    # choosing the task adds its row to the week
    response = tech_client.post(f"/time/{WEEK}/rows/", {"task": acme_task.pk, "work_type": "project"}, **HTMX)
    assert "Order server" in response.content.decode().split('class="add-row"')[0]
