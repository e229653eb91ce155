import datetime as dt

import pytest

from steward.projects import services
from steward.projects.choices import TaskStatus
from steward.projects.models import Forecast, Project, Task


@pytest.fixture
def staff(client, technician):
    client.force_login(technician)
    return client


def test_list_shows_projects_with_client_progress_and_latest_forecast(staff, project_a, internal_project, technician, log_task_time):
    task = services.add_task(project_a, technician, name="Build", estimate_hours=4)
    log_task_time(task, 60, technician)
    Forecast.objects.create(project=project_a, computed_at=dt.datetime(2026, 1, 8, tzinfo=dt.UTC),
                            as_of=dt.date(2026, 1, 8), simulations=100, probability_on_time=0.62)
    page = staff.get("/projects/").content.decode()
    assert "Acme server replacement" in page and "Acme Dental" in page
    assert "Internal" in page
    assert 'value="25"' in page  # 1 h logged of 4
    assert "62%" in page
    assert '<div hx-get="/projects/at-risk/" hx-trigger="load"></div>' in page


def test_list_filters_by_client(staff, project_a, internal_project):
    page = staff.get("/projects/", {"client": "internal"}).content.decode()
    assert "Rebuild the lab" in page and "Acme server replacement" not in page


def test_empty_list_says_how_to_start(staff):
    assert "No projects yet" in staff.get("/projects/").content.decode()


def test_moving_a_project_up_changes_the_portfolio_order(staff, project_a, internal_project):
    staff.post(f"/projects/{internal_project.pk}/move/", {"direction": "up"})
    assert list(Project.objects.order_by("priority")) == [internal_project, project_a]


def test_new_project_from_template_copies_its_tasks(staff, server_template, client_a, technician):
    response = staff.post("/projects/new/", {
        "template": server_template.pk, "name": "Acme new server", "client": client_a.pk, "owner": technician.pk,
        "assignee": technician.pk, "status": "active", "starts_on": "2026-03-02", "deadline": "2026-04-30",
    })
    project = Project.objects.get(name="Acme new server")
    assert response.status_code == 302 and response["Location"] == f"/projects/{project.pk}/"
    assert project.tasks.count() == 8 and project.status == "active"
    page = staff.get(response["Location"]).content.decode()
    assert "Cut-over weekend" in page and "Decommission old server" in page
    assert f'<div hx-get="/projects/{project.pk}/forecast/" hx-trigger="load"></div>' in page


def test_new_project_with_deadline_before_start_keeps_the_input(staff):
    response = staff.post("/projects/new/", {"name": "Lab", "status": "planned", "starts_on": "2026-03-02", "deadline": "2026-03-01"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "cannot be before the start date" in page and 'value="Lab"' in page


def test_adding_a_task_with_htmx_returns_the_plan(staff, project_a):
    response = staff.post(f"/projects/{project_a.pk}/tasks/", {"name": "Order server", "estimate_hours": "3", "status": "todo"},
                          HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Retarget"] == "#plan"
    assert 'id="plan"' in response.content.decode() and "Order server" in response.content.decode()
    assert project_a.tasks.get().estimate_hours == 3


def test_a_dependency_cycle_is_shown_on_the_inline_form(staff, project_a, technician):
    first = services.add_task(project_a, technician, name="Assess")
    second = services.add_task(project_a, technician, name="Order", depends_on=[first])
    response = staff.post(f"/projects/tasks/{first.pk}/edit/", {"name": "Assess again", "status": "todo", "depends_on": [second.pk]},
                          HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "go round in a circle" in page and "“Assess again” → “Order” → “Assess again”" in page
    assert 'value="Assess again"' in page
    assert Task.objects.get(pk=first.pk).name == "Assess"


def test_inline_edit_saves_the_task(staff, project_a, technician):
    task = services.add_task(project_a, technician, name="Assess")
    assert 'name="estimate_hours"' in staff.get(f"/projects/tasks/{task.pk}/edit/", HTTP_HX_REQUEST="true").content.decode()
    staff.post(f"/projects/tasks/{task.pk}/edit/", {"name": "Assess server", "status": "in_progress", "estimate_hours": "5",
                                                   "assignee": technician.pk}, HTTP_HX_REQUEST="true")
    task.refresh_from_db()
    assert (task.name, task.status, task.estimate_hours, task.assignee) == ("Assess server", "in_progress", 5, technician)


def test_assignee_re_estimates_remaining_work(staff, project_a, technician):
    task = services.add_task(project_a, technician, name="Build", estimate_hours=8, assignee=technician)
    staff.post(f"/projects/tasks/{task.pk}/re-estimate/", {"remaining_hours": "2.5"})
    page = staff.get(f"/projects/{project_a.pk}/").content.decode()
    assert "2.5 h" in page


def test_completing_a_task_on_the_board(staff, project_a, technician):
    task = services.add_task(project_a, technician, name="Build")
    response = staff.post(f"/projects/tasks/{task.pk}/status/", {"status": "done", "view": "board"}, HTTP_HX_REQUEST="true")
    assert Task.objects.get(pk=task.pk).status == TaskStatus.DONE
    assert 'id="board"' in response.content.decode()
    page = staff.get(f"/projects/{project_a.pk}/board/").content.decode()
    done_column = page.split('id="column-done"')[1]
    assert "Build" in done_column


def test_linking_another_clients_ticket_shows_why(staff, project_a, ticket_b):
    response = staff.post(f"/projects/{project_a.pk}/tickets/", {"number": ticket_b.number})
    assert response.status_code == 422
    assert "belongs to another client" in response.content.decode()


def test_linking_a_ticket_lists_it_on_the_project(staff, project_a, ticket_a):
    staff.post(f"/projects/{project_a.pk}/tickets/", {"number": ticket_a.number})
    assert "Printer on reception jams" in staff.get(f"/projects/{project_a.pk}/").content.decode()
    staff.post(f"/projects/{project_a.pk}/tickets/{ticket_a.number}/unlink/")
    assert not project_a.ticket_links.exists()


def test_timeline_draws_a_bar_per_task_with_deadline_and_today(staff, server_template, technician):
    project = services.create_from_template(server_template, actor=technician, name="New server", client=None,
                                            owner=technician, starts_on=None, deadline=dt.date.today() + dt.timedelta(days=30))
    page = staff.get(f"/projects/{project.pk}/timeline/").content.decode()
    assert page.count('class="tl-bar"') == 8
    assert 'class="tl-deadline"' in page and 'class="tl-today"' in page
    assert page.count('class="tl-arrow"') == 7  # one per dependency in the template


def test_timeline_with_many_tasks(staff, project_a, technician):
    previous = None
    for i in range(120):
        previous = services.add_task(project_a, technician, name=f"Step {i}", estimate_hours=3, depends_on=[previous] if previous else [])
    response = staff.get(f"/projects/{project_a.pk}/timeline/")
    assert response.content.decode().count('class="tl-bar"') == 120


def test_templates_page_lists_the_standard_templates(staff, standard_templates):
    page = staff.get("/projects/templates/").content.decode()
    for name in ("Server replacement", "CRM roll-out", "Microsoft 365 migration", "Office move"):
        assert name in page


def test_client_people_get_404(client, client_a_admin, project_a):
    client.force_login(client_a_admin)
    assert client.get(f"/projects/{project_a.pk}/").status_code == 404
    assert client.get("/projects/").status_code == 404


def test_the_warning_threshold_is_set_on_the_project_form(staff):
    staff.post("/projects/new/", {"name": "Lab move", "status": "planned", "risk_threshold": "85"})
    project = Project.objects.get(name="Lab move")
    assert project.risk_threshold == 85

    page = staff.get(f"/projects/{project.pk}/edit/").content.decode()
    assert 'name="risk_threshold"' in page and 'value="85"' in page
    staff.post(f"/projects/{project.pk}/edit/", {"name": "Lab move", "status": "planned", "risk_threshold": "60"})
    project.refresh_from_db()
    assert project.risk_threshold == 60


def test_adding_a_task_inline_updates_the_header_progress_too(staff, technician):
    project = services.create_project(technician, name="Printer fleet")
    task = services.add_task(project, technician, name="Survey", estimate_hours=4)
    from steward.work.services import log_time

    log_time(technician, task=task, duration_minutes=120)

    response = staff.post(
        f"/projects/{project.pk}/tasks/", {"name": "Order", "estimate_hours": "4", "status": "todo"}, HTTP_HX_REQUEST="true"
    )

    page = response.content.decode()
    assert 'id="project-progress" hx-swap-oob="true"' in page
    # 2 h logged of 2 h + 2 h left + 4 h new
    assert "2 h logged, 6 h to do" in page and "25%" in page
