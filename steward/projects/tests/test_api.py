import datetime as dt

from steward.projects import services
from steward.projects.models import Forecast, Project, Task


def test_create_project_from_template_with_progress_fields(api_as, technician, client_a, server_template):
    response = api_as(technician).post("/projects", {
        "name": "Acme new server", "client": client_a.pk, "owner": technician.pk, "template": server_template.pk,
        "deadline": "2026-06-30", "status": "active",
    })
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["client"]["name"] == "Acme Dental" and body["status"] == "active"
    assert body["tasks_todo"] == 8 and body["estimate_hours"] == "38.00" and body["progress_percent"] == 0
    assert body["probability_on_time"] is None
    tasks = api_as(technician).get(f"/projects/{body['id']}/tasks").json()
    by_name = {task["name"]: task for task in tasks}
    assert by_name["Order hardware"]["depends_on"] == [by_name["Assess current server"]["id"]]


def test_project_shows_latest_forecast(api_as, technician, project_a):
    Forecast.objects.create(project=project_a, computed_at=dt.datetime(2026, 1, 8, tzinfo=dt.UTC), as_of=dt.date(2026, 1, 8),
                            simulations=100, probability_on_time=0.7, p50_date=dt.date(2026, 2, 1), p90_date=dt.date(2026, 2, 20))
    body = api_as(technician).get(f"/projects/{project_a.pk}").json()
    assert (body["probability_on_time"], body["p50_date"], body["p90_date"]) == (0.7, "2026-02-01", "2026-02-20")


def test_list_projects_filters_and_pages(api_as, technician, project_a, internal_project):
    api = api_as(technician)
    assert [p["name"] for p in api.get("/projects", {"client": "internal"}).json()["items"]] == ["Rebuild the lab"]
    first = api.get("/projects", {"limit": 1}).json()
    second = api.get("/projects", {"limit": 1, "cursor": first["next_cursor"]}).json()
    assert {first["items"][0]["name"], second["items"][0]["name"]} == {"Rebuild the lab", "Acme server replacement"}
    assert second["next_cursor"] is None
    assert api.get("/projects", {"client": "acme"}).status_code == 422


def test_patch_project_done_records_completion(api_as, technician, project_a):
    body = api_as(technician).patch(f"/projects/{project_a.pk}", {"status": "done"}).json()
    assert body["completed_on"] is not None
    body = api_as(technician).patch(f"/projects/{project_a.pk}", {"status": "active"}).json()
    assert body["completed_on"] is None


def test_task_lifecycle_through_the_api(api_as, technician, project_a, log_task_time):
    api = api_as(technician)
    first = api.post(f"/projects/{project_a.pk}/tasks", {"name": "Assess", "estimate_hours": "4", "assignee": technician.pk}).json()
    second = api.post(f"/projects/{project_a.pk}/tasks", {"name": "Order", "depends_on": [first["id"]]}).json()
    assert second["depends_on"] == [first["id"]]
    log_task_time(Task.objects.get(pk=first["id"]), 90, technician)
    body = api.patch(f"/tasks/{first['id']}", {"remaining_hours": "1", "status": "in_progress"}).json()
    assert (body["logged_hours"], body["remaining_hours"], body["hours_to_do"], body["status"]) == ("1.50", "1.00", "1.00", "in_progress")
    cycle = api.patch(f"/tasks/{first['id']}", {"depends_on": [second["id"]]})
    assert cycle.status_code == 422
    assert cycle.json()["errors"][0]["field"] == "depends_on" and "“Assess” → “Order” → “Assess”" in cycle.json()["detail"]
    assert api.delete(f"/tasks/{second['id']}").status_code == 204
    assert api.get(f"/tasks/{second['id']}").status_code == 404


def test_only_assignee_or_admin_re_estimates(api_as, technician, other_technician, project_a):
    task = services.add_task(project_a, technician, name="Build", estimate_hours=8, assignee=technician)
    assert api_as(other_technician).patch(f"/tasks/{task.pk}", {"remaining_hours": "2"}).status_code == 403


def test_link_and_unlink_tickets(api_as, technician, project_a, ticket_a, ticket_b):
    api = api_as(technician)
    linked = api.post(f"/projects/{project_a.pk}/tickets", {"number": ticket_a.number})
    assert linked.status_code == 201 and linked.json()["subject"] == "Printer on reception jams"
    refused = api.post(f"/projects/{project_a.pk}/tickets", {"number": ticket_b.number})
    assert refused.status_code == 422 and "another client" in refused.json()["detail"]
    assert api.get(f"/projects/{project_a.pk}").json()["linked_tickets"] == 1
    assert api.delete(f"/projects/{project_a.pk}/tickets/{ticket_a.number}").status_code == 204
    assert not project_a.ticket_links.exists()


def test_admin_creates_and_replaces_a_template(api_as, admin_user, technician, standard_templates):
    tasks = [{"name": "Audit", "phase": "Plan", "estimate_hours": "2"},
             {"name": "Replace firewall", "phase": "Do", "estimate_hours": "6", "depends_on": [0]}]
    response = api_as(admin_user).post("/project-templates", {"name": "Firewall swap", "tasks": tasks})
    assert response.status_code == 201
    body = response.json()
    assert body["tasks"][1]["depends_on"] == [body["tasks"][0]["id"]]
    assert api_as(technician).post("/project-templates", {"name": "Mine", "tasks": tasks}).status_code == 403
    replaced = api_as(admin_user).put(f"/project-templates/{body['id']}", {"name": "Firewall swap", "tasks": tasks[:1]}).json()
    assert [task["name"] for task in replaced["tasks"]] == ["Audit"]
    names = [t["name"] for t in api_as(technician).get("/project-templates").json()]
    assert "Server replacement" in names and "Firewall swap" in names


def test_client_people_see_no_projects_or_templates(api_as, client_a_admin, project_a, server_template):
    api = api_as(client_a_admin)
    assert api.get("/projects").json()["items"] == []
    assert api.get(f"/projects/{project_a.pk}").status_code == 404
    assert api.get("/project-templates").json() == []
    assert api.post("/projects", {"name": "Mine"}).status_code == 403
    assert not Project.objects.filter(name="Mine").exists()
