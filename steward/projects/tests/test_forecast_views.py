import datetime as dt

import pytest
from django.utils import timezone

from steward.projects import forecasting
from steward.projects.models import Forecast, Project, Scenario
from steward.projects.tests import test_whatif

# The what-if suite's plan and stand-in engine, shared.
plan = test_whatif.plan
stand_in_engine = test_whatif.stand_in_engine

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def crm(client_a, technician):
    return Project.objects.create(
        client=client_a, name="CRM roll-out", owner=technician, deadline=dt.date(2027, 3, 14), risk_threshold=70
    )


def store_forecast(project, chance, technician=None, **fields):
    return Forecast.objects.create(
        project=project, computed_at=timezone.now(), as_of=dt.date(2027, 1, 4), simulations=5000,
        probability_on_time=chance, p50_date=dt.date(2027, 3, 8), p90_date=dt.date(2027, 4, 2),
        bottleneck=technician, reactive_delay_share=0.62,
        explanations=[(
            "No history for Tom Tech: using the default reactive share of 40%; "
            "edit it under Time → Capacity (/time/capacity/)."
        )],
        distribution=[["2027-03-01", 0.2], ["2027-03-08", 0.35], ["2027-03-16", 0.3], ["2027-03-29", 0.15]],
        **fields,
    )


def test_forecast_panel_shows_chance_dates_cause_and_chart(client, technician, crm):
    store_forecast(crm, 0.55, technician)
    client.force_login(technician)
    response = client.get(f"/projects/{crm.pk}/forecast/", **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html  # a fragment for the project page
    assert "55%" in html and "risk-bad" in html and "below the 70% threshold" in html
    assert "50% by 8 Mar 2027, 90% by 2 Apr 2027" in html
    assert "Tom Tech" in html and "62% of the delay" in html
    assert 'edit it under <a href="/time/capacity/">Time → Capacity</a>.' in html
    assert "<svg" in html and "When CRM roll-out finishes (deadline 14 Mar 2027)" in html
    assert "<script" not in html  # the chart is plain SVG, nothing loaded from elsewhere
    # the text fallback: 20% + 35% in weeks before the deadline, the week of 15 March splits at it
    assert "<td>1 Mar 2027</td><td class=\"num\">20%</td><td class=\"num\">0%</td>" in html
    assert "<td>15 Mar 2027</td><td class=\"num\">0%</td><td class=\"num\">30%</td>" in html


def test_forecast_panel_computes_once_when_there_is_none_and_on_recompute(client, technician, crm, monkeypatch):
    runs = []

    def refresh(simulations=None):
        runs.append(1)
        return [store_forecast(crm, 0.8 if len(runs) == 1 else 0.91)]

    monkeypatch.setattr(forecasting, "refresh_forecasts", refresh)
    client.force_login(technician)
    assert "80%" in client.get(f"/projects/{crm.pk}/forecast/", **HTMX).content.decode()
    assert "80%" in client.get(f"/projects/{crm.pk}/forecast/", **HTMX).content.decode()
    assert len(runs) == 1
    response = client.post(f"/projects/{crm.pk}/forecast/", **HTMX)
    assert "91%" in response.content.decode() and len(runs) == 2


def test_forecast_panel_is_hidden_from_client_side_people(client, client_a_admin, crm):
    store_forecast(crm, 0.55)
    client.force_login(client_a_admin)
    assert client.get(f"/projects/{crm.pk}/forecast/").status_code == 404


def test_at_risk_lists_projects_below_threshold_or_says_none(client, technician, crm):
    client.force_login(technician)
    assert "No project is at risk" in client.get("/projects/at-risk/", **HTMX).content.decode()
    store_forecast(crm, 0.55, technician)
    html = client.get("/projects/at-risk/", **HTMX).content.decode()
    assert "CRM roll-out" in html and "55%" in html and "14 Mar 2027" in html
    assert "Tom Tech&#x27;s reactive load (62% of the delay)" in html


def test_what_if_shows_scenario_beside_current_without_changing_the_plan(client, technician, plan, stand_in_engine):
    client.force_login(technician)
    crm = plan["crm"]
    page = client.get(f"/projects/{crm.pk}/what-if/").content.decode()
    assert "Add hours per week" in page and "Reorder priorities" in page
    response = client.post(
        f"/projects/{crm.pk}/what-if/",
        {"extra_hours": "10", "extra_for": str(technician.pk), "deadline": "2027-03-14",
         f"order_{crm.pk}": "1", f"order_{plan['backup'].pk}": "2", f"order_{plan['office'].pk}": "3"},
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert '<td class="num">55%</td>' in html and '<td class="num scenario-chance">85%</td>' in html
    assert "+30 points" in html and "20 Mar 2027" in html
    # only what was changed is sent: same deadline and order mean no deadline or priority change
    assert set(stand_in_engine["changes"]) == {"extra_capacity"}
    crm.refresh_from_db()
    assert crm.deadline == dt.date(2027, 3, 14) and not Scenario.objects.exists()


def test_what_if_keeps_input_and_explains_errors(client, technician, plan, stand_in_engine):
    client.force_login(technician)
    response = client.post("/projects/what-if/", {"extra_hours": "10", "reactive_percent": "120"}, **HTMX)
    html = response.content.decode()
    assert "Pick who gets the extra hours." in html
    assert "Ensure this value is less than or equal to 95." in html
    assert 'value="120"' in html
    assert "changes" not in stand_in_engine


def test_save_rerun_and_delete_a_portfolio_scenario(client, technician, plan, stand_in_engine):
    client.force_login(technician)
    page = client.get("/projects/what-if/").content.decode()
    assert "What if for the portfolio" in page and "No saved scenarios yet" in page
    unnamed = client.post("/projects/what-if/", {"reactive_percent": "30", "save": ""}, **HTMX).content.decode()
    assert "Give the scenario a name to save it." in unnamed and not Scenario.objects.exists()
    response = client.post(
        "/projects/what-if/",
        {"reactive_percent": "30", "name": "Fewer fires", "save": ""}, **HTMX,
    )
    assert "Saved “Fewer fires”." in response.content.decode()
    scenario = Scenario.objects.get()
    assert scenario.changes == {"reactive_reduction": 0.3} and scenario.project is None
    rerun = client.post(f"/projects/scenarios/{scenario.pk}/run/", **HTMX).content.decode()
    assert "“Fewer fires” compared with today" in rerun
    assert "Apply" not in rerun.split("Saved scenarios")[1]  # only admins apply
    client.post(f"/projects/scenarios/{scenario.pk}/delete/", **HTMX)
    assert not Scenario.objects.exists()


def test_admin_applies_a_scenario_and_reads_what_stays_an_assumption(
    client, admin_user, plan, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(forecasting, "refresh_forecasts", lambda simulations=None: [])
    crm = plan["crm"]
    scenario = Scenario.objects.create(
        project=crm, name="Push back", changes={"deadlines": {str(crm.pk): "2027-04-30"}, "reactive_reduction": 0.3}
    )
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        html = client.post(f"/projects/scenarios/{scenario.pk}/apply/", **HTMX).content.decode()
    assert "Applied “Push back” to the plan" in html
    assert "A 30% cut in reactive load is an assumption: plan how to achieve it." in html
    crm.refresh_from_db()
    assert crm.deadline == dt.date(2027, 4, 30)


# --- Through the real forecaster -------------------------------------------------------------


@pytest.fixture
def tight_crm(client_a, technician):
    from steward.projects.models import Task
    from steward.work.models import Capacity

    Capacity.objects.create(technician=technician, weekly_hours=40)
    project = Project.objects.create(
        client=client_a, name="CRM roll-out", owner=technician, deadline=timezone.localdate() + dt.timedelta(weeks=4)
    )
    Task.objects.create(project=project, name="Import contacts", estimate_hours=90, assignee=technician)
    return project


def test_first_view_forecasts_with_the_real_engine_and_explains_missing_history(client, technician, tight_crm):
    client.force_login(technician)
    html = client.get(f"/projects/{tight_crm.pk}/forecast/", **HTMX).content.decode()
    forecast = Forecast.objects.get(project=tight_crm)
    assert f"{round(forecast.probability_on_time * 100)}%" in html
    assert "No history for Tom Tech" in html and '<a href="/time/capacity/">Time → Capacity</a>' in html
    assert "<svg" in html


def test_what_if_with_more_hours_for_the_bottleneck_raises_the_chance(client, technician, tight_crm):
    client.force_login(technician)
    response = client.post(
        f"/projects/{tight_crm.pk}/what-if/", {"extra_hours": "20", "extra_for": str(technician.pk)}, **HTMX
    )
    row = response.context["rows"][0]
    assert row["project"] == tight_crm
    assert row["scenario"].probability_on_time > row["current"].probability_on_time
    assert f'<td class="num scenario-chance">{round(row["scenario"].probability_on_time * 100)}%</td>' in (
        response.content.decode()
    )
    assert not Forecast.objects.exists()  # comparing stores nothing
