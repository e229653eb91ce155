import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from steward.work import services
from steward.work.choices import WorkType
from steward.work.days import rebuild_days, summarise_day
from steward.work.models import RunningTimer, TimeDay

HELSINKI = ZoneInfo("Europe/Helsinki")  # UTC+2 in winter: local days differ from UTC ones near midnight
P, R, A = WorkType.PROJECT.value, WorkType.REACTIVE.value, WorkType.ADMIN.value


@pytest.fixture(autouse=True)
def _provider_in_helsinki(settings):
    settings.TIME_ZONE = "Europe/Helsinki"


def at(day, hour, minute=0):
    return dt.datetime(2026, 2, day, hour, minute, tzinfo=HELSINKI)


def log(who, when, minutes, work_type, client):
    return services.log_time(who, started_at=when, duration_minutes=minutes, work_type=work_type, client=client)


def summary(technician, day):
    """(project, reactive, interruptions, interrupted minutes) stored for the technician's day, or None."""
    row = TimeDay.objects.filter(technician=technician, day=day).first()
    return None if row is None else (row.project_minutes, row.reactive_minutes, row.interruptions,
                                     row.interrupted_minutes)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # project, two reactive (one run), project, admin, reactive, project, trailing reactive
        ([(8, P, 60), (9, R, 15), (10, R, 15), (11, P, 60), (12, A, 30), (13, R, 30), (14, P, 60), (16, R, 45)],
         (180, 105, 2, 60)),
        # reactive before the first project work interrupts nothing
        ([(8, R, 30), (9, P, 60), (10, R, 20)], (60, 50, 0, 0)),
        # no project work at all
        ([(8, R, 30), (9, A, 60)], (0, 30, 0, 0)),
        # given out of order: start order decides
        ([(11, P, 30), (9, P, 30), (10, R, 25)], (60, 25, 1, 25)),
    ],
)
def test_summarise_day_counts_reactive_runs_between_project_work(day, expected):
    entries = [(at(16, hour), kind, minutes) for hour, kind, minutes in day]

    assert summarise_day(entries) == expected


def test_logging_time_keeps_the_days_summary(technician, client_b):
    log(technician, at(16, 8), 60, P, client_b)
    assert summary(technician, dt.date(2026, 2, 16)) == (60, 0, 0, 0)

    log(technician, at(16, 9), 30, R, client_b)
    log(technician, at(16, 10), 60, P, client_b)

    assert summary(technician, dt.date(2026, 2, 16)) == (120, 30, 1, 30)


def test_a_day_is_the_providers_local_day(technician, client_b):
    # 00:30 on the 17th in Helsinki is 22:30 UTC on the 16th
    log(technician, at(16, 23), 20, P, client_b)
    log(technician, at(17, 0, 30), 15, R, client_b)
    log(technician, at(17, 1), 20, P, client_b)

    assert summary(technician, dt.date(2026, 2, 16)) == (20, 0, 0, 0)
    assert summary(technician, dt.date(2026, 2, 17)) == (20, 15, 0, 0)  # the day began with reactive work


def test_moving_an_entry_to_another_day_updates_both_days(technician, client_b):
    log(technician, at(16, 8), 60, P, client_b)
    moved = log(technician, at(16, 9), 30, R, client_b)
    log(technician, at(16, 10), 60, P, client_b)
    log(technician, at(17, 8), 60, P, client_b)
    log(technician, at(17, 10), 60, P, client_b)

    services.update_time_entry(moved, {"started_at": at(17, 9), "duration_minutes": 45}, actor=technician)

    assert summary(technician, dt.date(2026, 2, 16)) == (120, 0, 0, 0)
    assert summary(technician, dt.date(2026, 2, 17)) == (120, 45, 1, 45)


def test_changing_the_work_type_updates_the_day(technician, client_b):
    log(technician, at(16, 8), 60, P, client_b)
    entry = log(technician, at(16, 9), 30, A, client_b)
    log(technician, at(16, 10), 60, P, client_b)

    services.update_time_entry(entry, {"work_type": R}, actor=technician)

    assert summary(technician, dt.date(2026, 2, 16)) == (120, 30, 1, 30)


def test_deleting_entries_updates_and_then_removes_the_day(technician, client_b):
    first = log(technician, at(16, 8), 60, P, client_b)
    reactive = log(technician, at(16, 9), 30, R, client_b)
    log(technician, at(16, 10), 60, P, client_b)

    services.delete_time_entry(technician, first)
    assert summary(technician, dt.date(2026, 2, 16)) == (60, 30, 0, 0)

    services.delete_time_entry(technician, reactive)
    services.delete_time_entry(technician, technician.time_entries.get())
    assert summary(technician, dt.date(2026, 2, 16)) is None


def test_timesheet_cell_edits_update_the_day(technician, client_b):
    day = dt.date(2026, 2, 16)

    services.set_day_minutes(technician, technician, day, 90, client=client_b, work_type=P)
    assert summary(technician, day) == (90, 0, 0, 0)

    services.set_day_minutes(technician, technician, day, 120, client=client_b, work_type=P)
    assert summary(technician, day) == (120, 0, 0, 0)

    services.set_day_minutes(technician, technician, day, 0, client=client_b, work_type=P)
    assert summary(technician, day) is None


def test_copying_last_week_summarises_the_new_days(technician, client_b):
    log(technician, at(9, 8), 60, P, client_b)
    log(technician, at(9, 9), 30, R, client_b)
    log(technician, at(9, 10), 60, P, client_b)

    services.copy_last_week(technician, "2026-W08")

    assert summary(technician, dt.date(2026, 2, 16)) == (120, 30, 1, 30)


def test_stopping_the_timer_summarises_the_day(technician, client_b):
    services.start_timer(technician, client=client_b, work_type=P)
    started = timezone.now() - dt.timedelta(minutes=29, seconds=50)  # rounded up to 30 minutes
    RunningTimer.objects.filter(technician=technician).update(started_at=started)

    services.stop_timer(technician)

    assert summary(technician, started.astimezone(HELSINKI).date()) == (30, 0, 0, 0)


def test_rebuild_recomputes_what_bulk_loads_left_out(technician, other_technician, client_b):
    log(technician, at(16, 8), 60, P, client_b)
    log(technician, at(16, 9), 30, R, client_b)
    log(technician, at(16, 10), 60, P, client_b)
    log(other_technician, at(17, 0, 30), 30, R, client_b)
    log(technician, at(18, 8), 60, P, client_b)
    kept = sorted(TimeDay.objects.values_list("technician_id", "day", "project_minutes", "reactive_minutes",
                                              "interruptions", "interrupted_minutes"))
    TimeDay.objects.filter(day__lte=dt.date(2026, 2, 17)).delete()
    TimeDay.objects.filter(day=dt.date(2026, 2, 18)).update(project_minutes=1)

    assert rebuild_days(start=dt.date(2026, 2, 16), end=dt.date(2026, 2, 17)) == 2
    # outside the range nothing changes
    assert summary(technician, dt.date(2026, 2, 18)) == (1, 0, 0, 0)

    out = io.StringIO()
    call_command("rebuild_time_days", stdout=out)

    assert "3 technician-days summarised" in out.getvalue()
    assert sorted(TimeDay.objects.values_list("technician_id", "day", "project_minutes", "reactive_minutes",
                                              "interruptions", "interrupted_minutes")) == kept


def test_client_side_users_see_no_day_summaries(technician, client_b, client_a_admin):
    log(technician, at(16, 8), 60, P, client_b)

    assert TimeDay.objects.visible_to(technician).count() == 1
    assert not TimeDay.objects.visible_to(client_a_admin).exists()
