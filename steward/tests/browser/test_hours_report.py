"""A manager opens "Where the hours go" in a real browser: charts, a narrower client, a CSV download."""

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from steward.accounts.tests.fixtures import PASSWORD
from steward.clients.models import Contract
from steward.desk import services as desk
from steward.tests.browser.conftest import sign_in
from steward.work import services
from steward.work.choices import WorkType

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def two_weeks_of_work(technician, other_technician, client_a, client_b, printers, outlook):
    """Demo-like fortnight: Tom's project work for Birch broken by Acme's printer and Outlook calls."""
    Contract.objects.create(client=client_a, name="Support", starts_on=dt.date(2020, 1, 1), hourly_rate=90)
    ticket = desk.open_ticket(technician, client=client_a, subject="Printer jams", category=printers, software=outlook)
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    for days_ago in range(1, 15):
        day = today - dt.timedelta(days=days_ago)
        services.log_time(technician, client=client_b, started_at=day.replace(hour=8), duration_minutes=90,
                          work_type=WorkType.PROJECT)
        services.log_time(technician, ticket=ticket, started_at=day.replace(hour=10), duration_minutes=30,
                          work_type=WorkType.REACTIVE)
        services.log_time(technician, client=client_b, started_at=day.replace(hour=11), duration_minutes=120,
                          work_type=WorkType.PROJECT)
        services.log_time(other_technician, started_at=day.replace(hour=9), duration_minutes=45,
                          work_type=WorkType.ADMIN)


def test_manager_sees_where_the_hours_go_and_downloads_csv(page, technician, two_weeks_of_work, client_a):
    # given a signed-in technician
    sign_in(page, "tom", PASSWORD)

    # when they open Reports and choose the last 3 months
    page.get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", name="Where the hours go")).to_be_visible()
    page.get_by_label("Last 3 months").check()
    page.get_by_role("button", name="Show").click()

    # then the charts are drawn as SVG, each with its numbers
    expect(page.locator("figure.hours-chart svg")).to_have_count(5)
    expect(page.get_by_role("region", name="Hours by work type")).to_contain_text("Project")
    cost = page.get_by_role("region", name="Reactive hours and cost per client")
    expect(cost).to_contain_text("Acme Dental")
    expect(cost).to_contain_text("630.00")  # 14 × 0.5 h × 90
    expect(page.get_by_role("region", name="Top request categories")).to_contain_text("Hardware › Printers")
    expect(page.get_by_role("region", name="Software causing reactive work")).to_contain_text("Microsoft Outlook")
    expect(page.get_by_role("region", name="Project work interrupted by reactive work").locator("tbody tr").first).to_contain_text("Tom Tech")

    # when they download the reactive hours per client
    with page.expect_download() as download_info:
        cost.get_by_role("link", name="Download CSV").click()

    # then the file holds the same hours
    download = download_info.value
    assert re.match(r"reactive-cost-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv", download.suggested_filename)
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert [(row["client"], row["hours"]) for row in rows] == [("Acme Dental", "7.0")]

    # when they narrow the report to a client with no time logged
    page.get_by_label("Client", exact=True).select_option(label="Acme Dental")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("figure.hours-chart svg")).to_have_count(5)
    page.get_by_label("Technician").select_option(label="Tara Tech")
    page.get_by_role("button", name="Show").click()

    # then the page says so and what to do
    expect(page.get_by_text("No time was logged in this period")).to_be_visible()
