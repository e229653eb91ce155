"""The weekly timesheet in the browser: type hours into a cell, watch the totals, submit and see it locked."""

import pytest
from playwright.sync_api import expect

from steward.accounts.tests.fixtures import PASSWORD
from steward.tests.browser.conftest import sign_in
from steward.work.models import TimeEntry

pytestmark = pytest.mark.django_db(transaction=True)


def test_technician_fills_and_submits_the_week(page, technician, ticket_a):
    # given a technician who added a row for Bob's printer ticket this week
    sign_in(page, "tom", PASSWORD)
    page.goto("/time/")
    page.get_by_text("Add a row", exact=True).click()
    page.get_by_label("Ticket number").fill(str(ticket_a.number))
    page.get_by_role("button", name="Add row").click()
    tuesday = page.locator(f"#cell-ticket-{ticket_a.pk}-1")
    expect(tuesday).to_be_visible()

    # when they type 1:30 into Tuesday and move on
    tuesday.fill("1:30")
    tuesday.press("Tab")

    # then Tuesday's total and the week's total show it
    expect(page.locator('[data-day-total="1"]')).to_have_text("1:30")
    expect(page.locator("[data-week-total]")).to_have_text("1:30")
    assert TimeEntry.objects.get(ticket=ticket_a).duration_minutes == 90

    # when they submit the week
    page.get_by_role("button", name="Submit week").click()

    # then the week is locked: submitted, cells read-only, no submit button
    expect(page.locator("#timesheet-status")).to_contain_text("waiting for a manager's approval")
    expect(page.locator(f"#cell-ticket-{ticket_a.pk}-1")).to_have_attribute("readonly", "")
    expect(page.get_by_role("button", name="Submit week")).to_have_count(0)
    assert TimeEntry.objects.get(ticket=ticket_a).status == "submitted"
