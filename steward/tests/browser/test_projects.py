"""Planning a project in the browser: from a template to the timeline and the board."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from steward.accounts.tests.fixtures import PASSWORD
from steward.projects.choices import TaskStatus
from steward.projects.models import Project
from steward.tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_project_from_template_shows_tasks_timeline_and_board(page, technician, client_a, server_template):
    # given a signed-in technician
    sign_in(page, "tom", PASSWORD)

    # when they create a project for Acme from the "Server replacement" template
    page.goto("/projects/")
    page.get_by_role("link", name="New project").click()
    page.get_by_label("Template").select_option(label="Server replacement")
    page.get_by_label("Name").fill("Acme new file server")
    page.get_by_label("Client").select_option(label="Acme Dental")
    page.get_by_label("Deadline").fill((dt.date.today() + dt.timedelta(days=45)).isoformat())
    page.get_by_role("button", name="Create project").click()

    # then the project page lists the template's tasks by phase
    expect(page.get_by_role("heading", name="Acme new file server")).to_be_visible()
    expect(page.locator("#plan")).to_contain_text("Assess current server")
    expect(page.locator("#plan")).to_contain_text("Cut-over weekend")
    expect(page.locator("#plan .task-table tbody tr")).to_have_count(8)

    # when they open the timeline, there is a bar for every task, and the deadline line
    page.get_by_role("link", name="Timeline").click()
    expect(page.locator("svg .tl-bar")).to_have_count(8)
    expect(page.locator("svg .tl-deadline")).to_have_count(1)

    # when they move the first task to Done on the board with its button
    page.get_by_role("link", name="Board").click()
    card = page.locator(".board-card").filter(has_text="Assess current server")
    card.get_by_role("button", name="Move to Done").click()

    # then it shows in the Done column and is done for good
    done = page.locator(".board-column").filter(has=page.locator("#column-done"))
    expect(done).to_contain_text("Assess current server")
    project = Project.objects.get(name="Acme new file server")
    assert project.tasks.get(name="Assess current server").status == TaskStatus.DONE
    assert project.client == client_a
