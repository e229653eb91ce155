"""A project's forecast in the browser: the chance of meeting the deadline, its chart, and a what-if."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from steward.accounts.tests.fixtures import PASSWORD
from steward.projects.models import Project, Task
from steward.tests.browser.conftest import sign_in
from steward.work.models import Capacity

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def tight_project(client_a, technician):
    """Three weeks of Tom's work due in four weeks, while reactive work eats part of his time."""
    Capacity.objects.create(technician=technician, weekly_hours=40)
    project = Project.objects.create(
        client=client_a, name="CRM roll-out", owner=technician, deadline=dt.date.today() + dt.timedelta(weeks=4),
        risk_threshold=99,
    )
    first = Task.objects.create(project=project, name="Import contacts", estimate_hours=40, assignee=technician)
    second = Task.objects.create(project=project, name="Train the staff", estimate_hours=50, assignee=technician)
    second.depends_on.add(first)
    return project


def test_forecast_panel_and_a_what_if_with_more_hours_for_the_bottleneck(page, technician, tight_project, screenshot):
    # given a technician on the project's page
    sign_in(page, "tom", PASSWORD)
    page.goto(f"/projects/{tight_project.pk}/")

    # then the forecast panel loads with a chance, the dates and the distribution chart
    panel = page.locator("#forecast-panel")
    expect(panel.locator(".forecast-chance strong")).to_have_text(re.compile(r"^\d{1,3}%$"))
    expect(panel).to_contain_text("50% by")
    expect(panel).to_contain_text("Tom Tech")
    expect(panel.locator("svg")).to_be_visible()
    expect(panel.locator("svg title").first).to_contain_text("When CRM roll-out finishes")
    screenshot(page, "project-forecast", full_page=True)

    # when they open what-if and give the bottleneck 10 more hours a week
    panel.get_by_role("link", name="What if…").click()
    page.get_by_label("Add hours per week").fill("10")
    page.get_by_label("Given to").select_option(label="Tom Tech")
    page.get_by_role("button", name="Compare").click()

    # then the scenario's chance shows next to the current one, and the plan is untouched
    row = page.locator(".what-if-table tbody tr").filter(has_text="CRM roll-out")
    expect(row.locator(".scenario-chance")).to_have_text(re.compile(r"^\d{1,3}%$"))
    expect(row.locator("td").first).to_have_text(re.compile(r"^\d{1,3}%$"))
    screenshot(page, "what-if", full_page=True)
    assert Capacity.objects.get(technician=technician).weekly_hours == 40


def test_project_list_shows_the_projects_at_risk(page, technician, tight_project):
    sign_in(page, "tom", PASSWORD)
    page.goto(f"/projects/{tight_project.pk}/forecast/")  # the first look computes the forecast
    page.goto("/projects/")
    at_risk = page.locator("#projects-at-risk")
    expect(at_risk.get_by_role("link", name="CRM roll-out")).to_be_visible()
    expect(at_risk).to_contain_text("Tom Tech")
