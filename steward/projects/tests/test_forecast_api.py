"""GET/POST /api/v1/projects/{project_id}/forecast, and `steward forecast run`."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from steward.accounts.choices import TokenScope
from steward.projects.choices import ProjectStatus
from steward.projects.models import Forecast, ForecastSettings, Project, Task


@pytest.fixture
def rollout(technician, client_a):
    ForecastSettings.objects.create(pk=1, simulations=400)
    project = Project.objects.create(
        client=client_a, name="Acme laptop rollout", status=ProjectStatus.ACTIVE,
        deadline=timezone.localdate() + dt.timedelta(days=120),
    )
    Task.objects.create(project=project, name="Image laptops", estimate_hours=30, assignee=technician)
    Task.objects.create(project=project, name="Hand out", assignee=None)
    return project


def test_get_forecast_computes_the_first_one_and_explains_the_gaps(rollout, technician, api_as):
    response = api_as(technician, TokenScope.READ).get(f"/projects/{rollout.pk}/forecast")

    assert response.status_code == 200
    data = response.json()
    assert 0 <= data["probability_on_time"] <= 1
    assert data["p50_date"] <= data["p90_date"]
    assert data["bottleneck"]["id"] == technician.pk and data["bottleneck"]["name"] == "Tom Tech"
    assert 0 <= data["reactive_delay_share"] <= 1
    assert data["simulations"] == 400
    assert any("No history for Tom Tech: using the default reactive share of 40%" in line for line in data["explanations"])
    assert any("No estimate for “Hand out”" in line for line in data["explanations"])
    assert sum(point["share"] for point in data["distribution"]) == pytest.approx(1.0)
    assert Forecast.objects.filter(project=rollout).count() == 1

    again = api_as(technician, TokenScope.READ).get(f"/projects/{rollout.pk}/forecast")
    assert again.json()["computed_at"] == data["computed_at"]  # the stored one, not recomputed


def test_post_forecast_recomputes_with_a_write_token_only(rollout, technician, api_as):
    assert api_as(technician, TokenScope.READ).post(f"/projects/{rollout.pk}/forecast").status_code == 403

    response = api_as(technician).post(f"/projects/{rollout.pk}/forecast")
    assert response.status_code == 200
    assert response.json()["probability_on_time"] is not None
    assert Forecast.objects.filter(project=rollout).count() == 1


def test_closed_project_has_no_forecast_and_says_why(rollout, technician, api_as):
    Project.objects.filter(pk=rollout.pk).update(status=ProjectStatus.DONE)
    response = api_as(technician).get(f"/projects/{rollout.pk}/forecast")
    assert response.status_code == 409
    assert "not open" in response.json()["detail"]


def test_client_side_users_never_see_a_forecast(rollout, api_as, client_a_user, client_b_user):
    for user in (client_a_user, client_b_user):
        assert api_as(user).get(f"/projects/{rollout.pk}/forecast").status_code == 404
        assert api_as(user).post(f"/projects/{rollout.pk}/forecast").status_code == 404
    assert not Forecast.objects.exists()


def test_forecast_run_command_prints_each_project(rollout):
    out = StringIO()
    call_command("forecast", "run", "--simulations", "300", stdout=out)
    text = out.getvalue()
    assert "Acme laptop rollout: on time" in text and "bottleneck Tom Tech" in text
    assert "No history for Tom Tech" in text
