import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from steward.clients.models import Contract
from steward.work import services
from steward.work.choices import WorkType


@pytest.fixture
def month_of_work(technician, other_technician, ticket_a, client_b, printers, outlook):
    """This month: reactive work on Acme's printer ticket between Tom's project work for Birch."""
    ticket_a.category, ticket_a.software = printers, outlook
    ticket_a.save(update_fields=["category", "software"])
    Contract.objects.create(client=ticket_a.client, name="Support", starts_on=dt.date(2020, 1, 1), hourly_rate=80)
    day = timezone.localtime().replace(hour=8, minute=0, second=0, microsecond=0)
    if day.day > 1:
        day -= dt.timedelta(days=1)  # yesterday, still this month
    for hour, work_type, minutes in ((8, WorkType.PROJECT, 60), (9, WorkType.REACTIVE, 90), (11, WorkType.PROJECT, 60)):
        extra = {"ticket": ticket_a} if work_type == WorkType.REACTIVE else {"client": client_b}
        services.log_time(technician, started_at=day.replace(hour=hour), duration_minutes=minutes,
                          work_type=work_type, **extra)
    services.log_time(other_technician, client=client_b, started_at=day.replace(hour=8), duration_minutes=30,
                      work_type=WorkType.ADMIN)


def test_dashboard_shows_charts_and_numbers(client, technician, month_of_work):
    client.force_login(technician)

    response = client.get("/reports/hours/", {"period": "month"})

    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<svg") == 5
    assert "cdn" not in page.lower() and "kozea.github.io" not in page
    assert 'hx-get="/projects/at-risk/"' in page
    assert "Acme Dental" in page and "120.00" in page  # 1.5 reactive hours × 80
    assert "Hardware › Printers" in page and "Microsoft Outlook" in page
    interruptions = response.context["report"]["interruptions"]
    assert [(row["technician"], row["interruptions"]) for row in interruptions] == [("Tom Tech", 1)]
    assert "/reports/hours/export.csv?period=month&amp;group_by=week&amp;group_by=work_type" in page


def test_dashboard_runs_the_same_queries_however_many_entries(client, technician, month_of_work, client_b,
                                                               other_technician):
    client.force_login(technician)
    with CaptureQueriesContext(connection) as few:
        client.get("/reports/hours/", {"period": "12m"})
    for day in range(2, 30):
        for who in (technician, other_technician):
            services.log_time(technician, technician=who, client=client_b, duration_minutes=20,
                              work_type=WorkType.REACTIVE, started_at=timezone.now() - dt.timedelta(days=day * 9))

    with CaptureQueriesContext(connection) as many:
        response = client.get("/reports/hours/", {"period": "12m"})

    assert response.status_code == 200 and "Birch Law" in response.content.decode()
    assert len(many) == len(few) <= 30


def test_dashboard_says_what_to_do_when_nothing_was_logged(client, technician):
    client.force_login(technician)

    page = client.get("/reports/hours/").content.decode()

    assert "No time was logged in this period" in page and "<svg" not in page


def test_custom_period_errors_keep_the_input(client, technician):
    client.force_login(technician)

    response = client.get("/reports/hours/", {"period": "custom", "start": "2026-03-01", "end": "2026-02-01"})

    assert response.status_code == 422
    page = response.content.decode()
    assert "The end of the period is before its start." in page and 'value="2026-03-01"' in page


def test_csv_download_has_the_grouped_rows(client, technician, month_of_work):
    client.force_login(technician)

    response = client.get("/reports/hours/export.csv", {"period": "month", "group_by": "client", "work_type": "reactive"})

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="hours-')
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(row["client"], row["hours"], row["entries"]) for row in rows] == [("Acme Dental", "1.5", "1")]


def test_csv_download_refuses_an_unknown_grouping(client, technician):
    client.force_login(technician)

    response = client.get("/reports/hours/export.csv", {"period": "month", "group_by": "colour"})

    assert response.status_code == 422 and b"group_by" in response.content


@pytest.mark.parametrize("path", ["/reports/hours/", "/reports/hours/export.csv?group_by=client"])
def test_client_side_people_get_404(client, client_a_admin, month_of_work, path):
    client.force_login(client_a_admin)

    assert client.get(path).status_code == 404


def test_interruptions_csv_has_the_interruption_figures(client, technician, month_of_work):
    client.force_login(technician)
    page = client.get("/reports/hours/", {"period": "month"}).content.decode()
    assert "/reports/hours/export.csv?period=month&amp;report=interruptions" in page

    response = client.get("/reports/hours/export.csv", {"period": "month", "report": "interruptions"})

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="interruptions-')
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(row["technician"], row["project_days"], row["interruptions"], row["per_day"], row["hours_lost"])
            for row in rows] == [("Tom Tech", "1", "1", "1.0", "1.5")]


def test_reactive_cost_csv_has_rate_and_cost(client, technician, month_of_work):
    client.force_login(technician)
    page = client.get("/reports/hours/", {"period": "month"}).content.decode()
    assert "/reports/hours/export.csv?period=month&amp;report=reactive_cost" in page

    response = client.get("/reports/hours/export.csv", {"period": "month", "report": "reactive_cost"})

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(row["client"], row["hours"], row["rate"], row["cost"]) for row in rows] == [
        ("Acme Dental", "1.5", "80.0", "120.0")
    ]


def test_interruptions_csv_without_project_work_still_has_its_header(client, technician):
    client.force_login(technician)

    response = client.get("/reports/hours/export.csv", {"period": "month", "report": "interruptions"})

    assert response.content.decode().splitlines() == [
        "technician_id,technician,project_days,interruptions,per_day,hours_lost"
    ]
