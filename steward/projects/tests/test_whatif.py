import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache

from steward.core.exceptions import DomainError, NotPermitted
from steward.projects import forecasting, scenarios, tasks
from steward.projects.forecast.engine import ProjectForecast
from steward.projects.models import Project, Scenario, Task
from steward.work.models import Capacity


def side(project_id, chance, p50, p90):
    return ProjectForecast(
        project_id=project_id, probability_on_time=chance, p50_date=p50, p90_date=p90, bottleneck_id=None,
        bottleneck_name=None, reactive_delay_share=0.5, explanations=[], distribution=[],
    )


@pytest.fixture
def plan(client_a, technician, other_technician):
    crm = Project.objects.create(client=client_a, name="CRM roll-out", priority=1, deadline=dt.date(2027, 3, 14))
    backup = Project.objects.create(client=client_a, name="Backup upgrade", priority=2, deadline=dt.date(2027, 5, 1))
    office = Project.objects.create(name="Office move", priority=3)
    task = Task.objects.create(project=crm, name="Import contacts", estimate_hours=20, assignee=technician)
    Capacity.objects.create(technician=technician, weekly_hours=32)
    return {"crm": crm, "backup": backup, "office": office, "task": task}


@pytest.fixture
def stand_in_engine(monkeypatch, plan):
    """The engine's what_if: extra capacity helps the CRM roll-out only; records what it was asked."""
    asked = {}

    def what_if(changes, simulations=None):
        asked["changes"] = changes
        better = 0.3 if changes.get("extra_capacity") else 0.0
        crm, backup, office = plan["crm"].pk, plan["backup"].pk, plan["office"].pk
        now = dt.date(2027, 3, 1)
        return {
            crm: (side(crm, 0.55, now, dt.date(2027, 4, 2)), side(crm, 0.85 if better else 0.55, now, dt.date(2027, 3, 20))),
            backup: (side(backup, 0.9, now, now), side(backup, 0.9, now, now)),
            office: (side(office, None, None, None), side(office, None, None, None)),
        }

    monkeypatch.setattr(forecasting, "what_if", what_if)
    return asked


def test_compare_shows_the_project_and_only_projects_that_change(plan, technician, stand_in_engine):
    changes = {"extra_capacity": [{"technician": technician.pk, "hours_per_week": 10}]}
    rows = scenarios.compare(technician, changes, plan["backup"])
    assert [row["project"].name for row in rows] == ["Backup upgrade", "CRM roll-out"]
    crm = rows[1]
    assert crm["difference"] == {"points": 30, "p50_days": 0, "p90_days": -13}
    assert stand_in_engine["changes"]["extra_capacity"][0]["hours_per_week"] == 10


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({}, "changes", "Change at least one thing"),
        ({"reactive_reduction": 1.5}, "reactive_reduction", "at most 95%"),
        ({"extra_capacity": [{"technician": 999999, "hours_per_week": 5}]}, "extra_capacity", "no technician with id 999999"),
        ({"deadlines": {"1": "14 March"}}, "deadlines", None),
        ({"moon": 1}, "moon", "Unknown change: moon"),
    ],
)
def test_bad_changes_are_refused_with_the_field_named(plan, technician, changes, field, message):
    with pytest.raises(DomainError) as caught:
        scenarios.clean_changes(technician, changes)
    assert caught.value.field == field
    if message:
        assert message in caught.value.message


def test_a_client_project_is_unknown_to_the_other_clients_people(plan, client_b_user):
    with pytest.raises(DomainError, match="no project"):
        scenarios.clean_changes(client_b_user, {"deadlines": {plan["crm"].pk: "2027-04-01"}})


def test_save_scenario_keeps_the_cleaned_changes(plan, technician):
    saved = scenarios.save_scenario(
        technician, name="  Contractor for CRM ", changes={"reactive_reduction": 0.3}, project=plan["crm"]
    )
    assert (saved.name, saved.changes, saved.created_by, saved.project) == (
        "Contractor for CRM", {"reactive_reduction": 0.3}, technician, plan["crm"]
    )
    with pytest.raises(DomainError, match="name"):
        scenarios.save_scenario(technician, name=" ", changes={"reactive_reduction": 0.3})


def test_apply_scenario_changes_the_plan_and_reports_the_assumptions(
    plan, admin_user, technician, other_technician, monkeypatch, django_capture_on_commit_callbacks
):
    # given
    scenario = Scenario.objects.create(
        name="Catch up", created_by=technician,
        changes={
            "reactive_reduction": 0.3,
            "extra_capacity": [
                {"technician": technician.pk, "hours_per_week": 8, "from": "2020-01-01"},
                {"technician": None, "name": "Contractor", "hours_per_week": 10, "from": "2027-02-01"},
            ],
            "deadlines": {str(plan["crm"].pk): "2027-04-30"},
            "priority_order": [plan["office"].pk, plan["crm"].pk],
            "reassign": {str(plan["task"].pk): other_technician.pk},
        },
    )
    # when
    with django_capture_on_commit_callbacks(execute=True):
        not_applied = scenarios.apply_scenario(scenario, admin_user)
    # then
    for project in plan.values():
        project.refresh_from_db()
    assert plan["crm"].deadline == dt.date(2027, 4, 30)
    assert [p.name for p in Project.objects.order_by("priority")] == ["Office move", "CRM roll-out", "Backup upgrade"]
    assert plan["task"].assignee == other_technician
    assert Capacity.objects.get(technician=technician).weekly_hours == Decimal(40)
    assert not_applied == [
        "Contractor for 10 h a week from 2027-02-01 is an assumption: engage them, then add them as a technician.",
        "A 30% cut in reactive load is an assumption: plan how to achieve it.",
    ]
    scenario.refresh_from_db()
    assert scenario.applied_by == admin_user and scenario.applied_at is not None


def test_applying_even_pure_assumptions_queues_a_forecast_refresh(
    plan, admin_user, monkeypatch, django_capture_on_commit_callbacks
):
    refreshed = []
    monkeypatch.setattr(forecasting, "refresh_forecasts", lambda simulations=None: refreshed.append(True) or [])
    monkeypatch.setattr(tasks.refresh_forecasts_task, "schedule", lambda delay=None: tasks.refresh_forecasts_task())
    cache.delete(tasks.REFRESH_QUEUED_KEY)
    scenario = Scenario.objects.create(name="Fewer fires", changes={"reactive_reduction": 0.25})
    with django_capture_on_commit_callbacks(execute=True):
        assert scenarios.apply_scenario(scenario, admin_user) == [
            "A 25% cut in reactive load is an assumption: plan how to achieve it."
        ]
    assert refreshed == [True]


def test_only_admins_apply_and_nothing_changes_when_refused(plan, technician):
    scenario = Scenario.objects.create(name="Later", changes={"deadlines": {str(plan["crm"].pk): "2027-06-30"}})
    with pytest.raises(NotPermitted):
        scenarios.apply_scenario(scenario, technician)
    plan["crm"].refresh_from_db()
    assert plan["crm"].deadline == dt.date(2027, 3, 14)


def test_apply_refuses_more_than_80_hours_and_keeps_the_plan(plan, admin_user, technician):
    scenario = Scenario.objects.create(
        name="Too much",
        changes={"deadlines": {str(plan["crm"].pk): "2027-06-30"},
                 "extra_capacity": [{"technician": technician.pk, "hours_per_week": 60}]},
    )
    with pytest.raises(DomainError, match="80 is the most"):
        scenarios.apply_scenario(scenario, admin_user)
    plan["crm"].refresh_from_db()
    assert plan["crm"].deadline == dt.date(2027, 3, 14)
    assert Capacity.objects.get(technician=technician).weekly_hours == 32


def test_delete_scenario_by_its_author_or_an_admin(plan, technician, other_technician, admin_user):
    mine = Scenario.objects.create(name="Mine", created_by=technician, changes={"reactive_reduction": 0.1})
    with pytest.raises(NotPermitted):
        scenarios.delete_scenario(mine, other_technician)
    scenarios.delete_scenario(mine, technician)
    theirs = Scenario.objects.create(name="Theirs", created_by=other_technician, changes={"reactive_reduction": 0.1})
    scenarios.delete_scenario(theirs, admin_user)
    assert not Scenario.objects.exists()


# --- API -------------------------------------------------------------------------------------


def test_api_compares_a_project_scenario(plan, technician, api_as, stand_in_engine):
    response = api_as(technician).post(
        f"/projects/{plan['crm'].pk}/what-if",
        {"extra_capacity": [{"technician": technician.pk, "hours_per_week": 10, "from": "2027-01-11"}]},
    )
    assert response.status_code == 200, response.content
    crm = response.json()[0]
    assert crm["project_name"] == "CRM roll-out"
    assert (crm["current"]["probability_on_time"], crm["scenario"]["probability_on_time"]) == (0.55, 0.85)
    assert crm["difference_points"] == 30
    assert stand_in_engine["changes"]["extra_capacity"][0]["from"] == "2027-01-11"


def test_api_explains_bad_changes(plan, technician, api_as, stand_in_engine):
    response = api_as(technician).post("/what-if", {"reassign": {str(plan["task"].pk): 424242}})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "reassign"
    assert "no technician with id 424242" in response.json()["detail"]


def test_api_saves_lists_applies_and_deletes_scenarios(
    plan, admin_user, api_as, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(forecasting, "refresh_forecasts", lambda simulations=None: [])
    api = api_as(admin_user)
    created = api.post("/scenarios", {"name": "Later CRM", "project": plan["crm"].pk,
                                      "changes": {"deadlines": {str(plan["crm"].pk): "2027-05-31"}}})
    assert created.status_code == 201, created.content
    scenario_id = created.json()["id"]
    assert [item["name"] for item in api.get("/scenarios").json()["items"]] == ["Later CRM"]
    assert api.get(f"/scenarios/{scenario_id}").json()["changes"] == {"deadlines": {str(plan["crm"].pk): "2027-05-31"}}
    with django_capture_on_commit_callbacks(execute=True):
        applied = api.post(f"/scenarios/{scenario_id}/apply")
    assert applied.status_code == 200 and applied.json()["not_applied"] == []
    plan["crm"].refresh_from_db()
    assert plan["crm"].deadline == dt.date(2027, 5, 31)
    assert api.delete(f"/scenarios/{scenario_id}").status_code == 204
    assert api.get(f"/scenarios/{scenario_id}").status_code == 404


def test_api_shows_client_side_users_nothing(plan, client_a_admin, api_as):
    Scenario.objects.create(name="Portfolio plan", changes={"reactive_reduction": 0.2})
    api = api_as(client_a_admin)
    assert api.get("/scenarios").json()["items"] == []
    assert api.post("/what-if", {"reactive_reduction": 0.2}).status_code == 404
    assert api.post(f"/projects/{plan['crm'].pk}/what-if", {"reactive_reduction": 0.2}).status_code == 404
    assert api.post("/scenarios", {"name": "x", "changes": {"reactive_reduction": 0.2}}).status_code == 404
