import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from steward.clients.models import Contract
from steward.desk import services as desk
from steward.desk.models import Software
from steward.reports import queries
from steward.reports.queries import ReportError
from steward.work import services
from steward.work.choices import WorkType

LONDON = ZoneInfo("Europe/London")
FEB = {"start": dt.date(2026, 2, 1), "end": dt.date(2026, 2, 28)}


@pytest.fixture(autouse=True)
def _provider_in_london(settings):
    settings.TIME_ZONE = "Europe/London"


def at(day, hour, minute=0):
    return dt.datetime(2026, 2, day, hour, minute, tzinfo=LONDON)


def log(actor, when, minutes, work_type, **extra):
    return services.log_time(actor, started_at=when, duration_minutes=minutes, work_type=work_type, **extra)


@pytest.fixture
def week_8(technician, ticket_a, client_b):
    """Week 8 of 2026 (16–22 Feb): 3 h reactive on Acme's ticket, 2 h project work for Birch."""
    log(technician, at(16, 9), 120, WorkType.REACTIVE, ticket=ticket_a)
    log(technician, at(17, 9), 60, WorkType.REACTIVE, ticket=ticket_a)
    log(technician, at(18, 9), 120, WorkType.PROJECT, client=client_b)


def test_hours_by_week_and_work_type_split_the_week_exactly(technician, week_8):
    report = queries.hours_report(technician, **FEB, group_by=["week", "work_type"])

    assert report["rows"] == [
        {"week": "2026-W08", "work_type": "reactive", "hours": 3.0, "entries": 2},
        {"week": "2026-W08", "work_type": "project", "hours": 2.0, "entries": 1},
    ]
    assert report["total_hours"] == 5.0
    assert report["period"] == {"start": "2026-02-01", "end": "2026-02-28"}


def test_weeks_are_the_providers_local_weeks(technician, client_b):
    # 23:30 on Sunday 22 Feb in London is still week 8 there (00:30 on Monday in Helsinki)
    log(technician, dt.datetime(2026, 2, 22, 23, 30, tzinfo=LONDON), 30, WorkType.ADMIN, client=client_b)

    rows = queries.hours_report(technician, **FEB, group_by=["week"])["rows"]

    assert rows == [{"week": "2026-W08", "hours": 0.5, "entries": 1}]


def test_period_boundaries_use_local_midnight(technician, client_b, settings):
    settings.TIME_ZONE = "Europe/Helsinki"  # UTC+2 in winter
    log(technician, dt.datetime(2026, 1, 31, 23, 0, tzinfo=dt.UTC), 60, WorkType.ADMIN, client=client_b)

    rows = queries.hours_report(technician, **FEB, group_by=["month"])["rows"]

    assert rows == [{"month": "2026-02", "hours": 1.0, "entries": 1}]


def test_grouping_by_client_category_and_software_names_them(technician, week_8, ticket_a, printers, outlook):
    ticket_a.category, ticket_a.software = printers, outlook
    ticket_a.save(update_fields=["category", "software"])

    by_client = queries.hours_report(technician, **FEB, group_by=["client"])["rows"]
    by_category = queries.hours_report(technician, **FEB, group_by=["category"])["rows"]
    by_software = queries.hours_report(technician, **FEB, group_by=["software", "month"])["rows"]

    assert [(row["client"], row["hours"]) for row in by_client] == [("Acme Dental", 3.0), ("Birch Law", 2.0)]
    assert [(row["category"], row["hours"]) for row in by_category] == [
        ("Hardware › Printers", 3.0), ("No category", 2.0)
    ]
    assert {(row["software"], row["month"], row["hours"]) for row in by_software} == {
        ("Microsoft Outlook", "2026-02", 3.0), ("No software", "2026-02", 2.0)
    }


def test_filters_narrow_the_report(technician, other_technician, week_8, client_b):
    log(other_technician, at(18, 14), 45, WorkType.PROJECT, client=client_b, billable=False)

    by_tech = queries.hours_report(technician, **FEB, group_by=["technician"])["rows"]
    unbillable = queries.hours_report(technician, **FEB, group_by=["technician"], filters={"billable": False})
    reactive = queries.hours_report(technician, **FEB, group_by=["client"], filters={"work_type": "reactive"})

    assert [(row["technician"], row["hours"]) for row in by_tech] == [("Tom Tech", 5.0), ("Tara Tech", 0.75)]
    assert [(row["technician"], row["hours"]) for row in unbillable["rows"]] == [("Tara Tech", 0.75)]
    assert [(row["client"], row["hours"]) for row in reactive["rows"]] == [("Acme Dental", 3.0)]


def test_bad_grouping_and_period_name_the_field(technician):
    with pytest.raises(ReportError) as unknown:
        queries.hours_report(technician, **FEB, group_by=["colour"])
    with pytest.raises(ReportError) as too_many:
        queries.hours_report(technician, **FEB, group_by=["week", "client", "work_type"])
    with pytest.raises(ReportError) as backwards:
        queries.hours_report(technician, start=FEB["end"], end=FEB["start"], group_by=["week"])

    assert (unknown.value.field, too_many.value.field, backwards.value.field) == ("group_by", "group_by", "end")
    assert "colour" in unknown.value.message


def test_client_side_users_get_an_empty_report(week_8, client_a_admin, client_a_user):
    for user in (client_a_admin, client_a_user):
        report = queries.hours_report(user, **FEB, group_by=["client"])
        assert report["rows"] == [] and report["total_hours"] == 0
        assert queries.reactive_cost_by_client(user, **FEB) == []
        assert queries.interruptions(user, **FEB) == []


def test_reactive_cost_uses_the_contract_running_in_the_period(technician, week_8, client_a):
    Contract.objects.create(client=client_a, name="Old", starts_on=dt.date(2024, 1, 1),
                            ends_on=dt.date(2025, 12, 31), hourly_rate=60)
    Contract.objects.create(client=client_a, name="2026", starts_on=dt.date(2026, 1, 1), hourly_rate=85)
    Contract.objects.create(client=client_a, name="Next", starts_on=dt.date(2026, 6, 1), hourly_rate=99)

    rows = queries.reactive_cost_by_client(technician, **FEB)

    assert rows == [
        {"client_id": client_a.pk, "client": "Acme Dental", "hours": 3.0, "entries": 2, "rate": 85.0, "cost": 255.0}
    ]


def test_reactive_cost_falls_back_to_the_latest_contract_or_no_rate(technician, week_8, client_a, client_b):
    log(technician, at(19, 9), 30, WorkType.REACTIVE, client=client_b)
    Contract.objects.create(client=client_a, name="Old", starts_on=dt.date(2023, 1, 1),
                            ends_on=dt.date(2023, 12, 31), hourly_rate=50)
    Contract.objects.create(client=client_a, name="Older", starts_on=dt.date(2022, 1, 1),
                            ends_on=dt.date(2022, 12, 31), hourly_rate=40)

    rows = {row["client"]: row for row in queries.reactive_cost_by_client(technician, **FEB)}

    assert (rows["Acme Dental"]["rate"], rows["Acme Dental"]["cost"]) == (50.0, 150.0)
    assert (rows["Birch Law"]["rate"], rows["Birch Law"]["cost"]) == (None, 0.0)


def test_top_reactive_categories_and_software(technician, client_a, printers, category, outlook):
    excel = Software.objects.create(name="Excel", vendor="Microsoft")
    jams = desk.open_ticket(technician, client=client_a, subject="Jams", category=printers, software=outlook)
    sheets = desk.open_ticket(technician, client=client_a, subject="Macros", category=category, software=excel)
    log(technician, at(10, 9), 90, WorkType.REACTIVE, ticket=jams)
    log(technician, at(11, 9), 30, WorkType.REACTIVE, ticket=sheets)
    log(technician, at(12, 9), 600, WorkType.PROJECT, ticket=sheets)  # not reactive: left out

    categories = queries.top_reactive_categories(technician, **FEB, limit=10)
    software = queries.top_reactive_software(technician, **FEB, limit=1)

    assert [(row["category"], row["hours"]) for row in categories] == [("Hardware › Printers", 1.5), ("Hardware", 0.5)]
    assert [(row["software"], row["hours"]) for row in software] == [("Microsoft Outlook", 1.5)]


def test_reactive_share_trend_by_week(technician, week_8, client_b):
    log(technician, at(24, 9), 60, WorkType.PROJECT, client=client_b)

    trend = queries.reactive_share_trend(technician, **FEB, by="week")

    assert trend == [
        {"week": "2026-W08", "hours": 5.0, "reactive_hours": 3.0, "reactive_share": 60.0},
        {"week": "2026-W09", "hours": 1.0, "reactive_hours": 0.0, "reactive_share": 0.0},
    ]


def test_interruptions_count_reactive_runs_between_project_work(technician, other_technician, client_b):
    # given Tom's Monday: project, reactive, reactive, project, admin, reactive, project, reactive (end of day)
    day = [(8, WorkType.PROJECT, 60), (9, WorkType.REACTIVE, 15), (10, WorkType.REACTIVE, 15),
           (11, WorkType.PROJECT, 60), (12, WorkType.ADMIN, 30), (13, WorkType.REACTIVE, 30),
           (14, WorkType.PROJECT, 60), (16, WorkType.REACTIVE, 45)]
    for hour, work_type, minutes in day:
        log(technician, at(16, hour), minutes, work_type, client=client_b)
    # his Tuesday is project work only; a reactive-only day does not count as a project day
    log(technician, at(17, 9), 240, WorkType.PROJECT, client=client_b)
    log(technician, at(18, 9), 30, WorkType.REACTIVE, client=client_b)
    # Tara works reactively before her project work, never in between
    log(other_technician, at(16, 8), 30, WorkType.REACTIVE, client=client_b)
    log(other_technician, at(16, 9), 60, WorkType.PROJECT, client=client_b)

    rows = {row["technician"]: row for row in queries.interruptions(technician, **FEB)}

    # then Monday has two interruptions (09:00–10:30 and 13:00), 1 h lost, over two project days
    assert rows["Tom Tech"] == {
        "technician_id": technician.pk, "technician": "Tom Tech", "project_days": 2, "interruptions": 2,
        "per_day": 1.0, "hours_lost": 1.0,
    }
    assert (rows["Tara Tech"]["interruptions"], rows["Tara Tech"]["per_day"]) == (0, 0.0)


def test_dashboard_has_every_week_of_the_period_for_its_charts(technician, week_8):
    report = queries.hours_dashboard(technician, FEB["start"], FEB["end"])

    assert report["bucket"] == "week"
    assert report["periods"] == ["2026-W05", "2026-W06", "2026-W07", "2026-W08", "2026-W09"]
    assert [(row["work_type"].value, row["hours"]) for row in report["work_type_totals"]] == [
        ("reactive", 3.0), ("proactive", 0), ("project", 2.0), ("admin", 0)
    ]


def test_interruptions_from_day_summaries_match_the_entries(technician, other_technician, client_b, client_a, settings):
    settings.TIME_ZONE = "Europe/Helsinki"  # local midnight is 22:00 UTC: days differ from UTC days
    helsinki = ZoneInfo("Europe/Helsinki")

    def helsinki_at(day, hour, minute=0):
        return dt.datetime(2026, 2, day, hour, minute, tzinfo=helsinki)

    P, R, A = WorkType.PROJECT, WorkType.REACTIVE, WorkType.ADMIN
    plan = {
        technician: [
            # project → reactive → project twice, with admin in between and reactive at the end
            (16, 8, 0, P, 60), (16, 9, 0, R, 15), (16, 9, 30, R, 20), (16, 10, 0, P, 60), (16, 11, 0, A, 30),
            (16, 12, 0, R, 25), (16, 13, 0, P, 45), (16, 17, 0, R, 40),
            # a day beginning with reactive work, then project, reactive, project
            (17, 7, 0, R, 30), (17, 8, 0, P, 60), (17, 9, 0, R, 10), (17, 10, 0, P, 30),
            # project late on the 18th, reactive just after local midnight, project again: two days, no interruption
            (18, 23, 0, P, 50), (19, 0, 10, R, 20), (19, 0, 40, P, 30),
            # a day without project work
            (20, 9, 0, R, 120), (20, 11, 0, A, 60),
        ],
        other_technician: [
            (16, 8, 0, R, 30), (16, 9, 0, P, 60),
            # project and reactive just before local midnight, project just after: no interruption on either day
            (17, 23, 30, P, 20), (17, 23, 50, R, 5), (18, 0, 5, P, 25),
            (23, 8, 0, P, 60), (23, 9, 0, R, 45), (23, 10, 0, R, 15), (23, 11, 0, P, 60),
        ],
    }
    for who, entries in plan.items():
        for day, hour, minute, work_type, minutes in entries:
            services.log_time(technician, technician=who, client=client_b, started_at=helsinki_at(day, hour, minute),
                              duration_minutes=minutes, work_type=work_type)

    from_days = queries.interruptions(technician, **FEB)
    from_entries = queries._interruptions_from_entries(technician, FEB["start"], FEB["end"], {})

    assert from_days == from_entries
    assert {row["technician"]: (row["project_days"], row["interruptions"], row["hours_lost"]) for row in from_days} == {
        "Tom Tech": (4, 3, 1.17),  # 15+20+25 min on the 16th, 10 min on the 17th
        "Tara Tech": (4, 1, 1.0),
    }
    # a technician filter reads the summaries too, and still agrees
    only_tom = queries.interruptions(technician, **FEB, filters={"technician": technician.pk, "client": None})
    assert only_tom == [row for row in from_entries if row["technician_id"] == technician.pk]
    # a client filter cannot use per-day summaries: Acme has no project work, so nothing is interrupted
    assert queries.interruptions(technician, **FEB, filters={"client": client_a.pk}) == []


def test_the_dashboard_trend_matches_the_trend_query(technician, week_8, client_b):
    log(technician, at(24, 9), 60, WorkType.PROJECT, client=client_b)

    dashboard = queries.hours_dashboard(technician, **FEB)

    assert dashboard["trend"] == queries.reactive_share_trend(technician, **FEB, by=dashboard["bucket"])
    assert [row["reactive_share"] for row in dashboard["trend"]] == [60.0, 0.0]
