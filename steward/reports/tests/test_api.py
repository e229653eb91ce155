import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest

from steward.work import services
from steward.work.choices import WorkType

LONDON = ZoneInfo("Europe/London")
FEB = "start=2026-02-01&end=2026-02-28"


@pytest.fixture(autouse=True)
def _provider_in_london(settings):
    settings.TIME_ZONE = "Europe/London"


@pytest.fixture
def week_8(technician, ticket_a, client_b):
    """3 h reactive for Acme and 2 h project work for Birch in week 8 of 2026."""
    services.log_time(technician, ticket=ticket_a, duration_minutes=180, work_type=WorkType.REACTIVE,
                      started_at=dt.datetime(2026, 2, 16, 9, tzinfo=LONDON))
    services.log_time(technician, client=client_b, duration_minutes=120, work_type=WorkType.PROJECT,
                      started_at=dt.datetime(2026, 2, 18, 9, tzinfo=LONDON))


def test_hours_by_week_and_work_type(api_as, technician, week_8):
    response = api_as(technician).get(f"/reports/hours?{FEB}&group_by=week&group_by=work_type")

    assert response.status_code == 200
    assert response.json() == {
        "period": {"start": "2026-02-01", "end": "2026-02-28"},
        "group_by": ["week", "work_type"],
        "rows": [
            {"week": "2026-W08", "work_type": "reactive", "hours": 3.0, "entries": 1},
            {"week": "2026-W08", "work_type": "project", "hours": 2.0, "entries": 1},
        ],
        "total_hours": 5.0,
    }


def test_filters_by_client_and_work_type(api_as, technician, week_8, client_b):
    api = api_as(technician)

    by_client = api.get(f"/reports/hours?{FEB}&group_by=client&client={client_b.pk}").json()
    reactive = api.get(f"/reports/hours?{FEB}&group_by=client&work_type=reactive").json()

    assert [(row["client"], row["hours"]) for row in by_client["rows"]] == [("Birch Law", 2.0)]
    assert [(row["client"], row["hours"]) for row in reactive["rows"]] == [("Acme Dental", 3.0)]


def test_csv_by_format_or_accept_header(api_as, technician, week_8):
    api = api_as(technician)

    by_format = api.get(f"/reports/hours?{FEB}&group_by=work_type&format=csv")
    by_accept = api.client.get(f"/api/v1/reports/hours?{FEB}&group_by=work_type", HTTP_ACCEPT="text/csv",
                               **api.headers)

    for response in (by_format, by_accept):
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        assert rows == [{"work_type": "reactive", "hours": "3.0", "entries": "1"},
                        {"work_type": "project", "hours": "2.0", "entries": "1"}]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        (f"{FEB}&group_by=colour", "group_by"),
        (f"{FEB}&group_by=week&group_by=month", "group_by"),
        (f"{FEB}&group_by=week&group_by=client&group_by=work_type", "group_by"),
        ("start=2026-02-31&end=2026-03-01&group_by=week", "start"),
        ("start=2026-03-01&end=2026-02-01&group_by=week", "end"),
        (f"{FEB}&group_by=week&work_type=fun", "work_type"),
    ],
)
def test_bad_parameters_get_422_naming_the_field(api_as, technician, query, field):
    response = api_as(technician).get(f"/reports/hours?{query}")

    assert response.status_code == 422
    assert field in [error["field"] for error in response.json()["errors"]]


def test_client_side_tokens_get_an_empty_report(api_as, week_8, client_a_admin, client_a_user):
    for user in (client_a_admin, client_a_user):
        response = api_as(user).get(f"/reports/hours?{FEB}&group_by=client")
        assert response.status_code == 200
        assert response.json()["rows"] == [] and response.json()["total_hours"] == 0
        assert "Acme" not in api_as(user).get(f"/reports/hours?{FEB}&group_by=client&format=csv").content.decode()
