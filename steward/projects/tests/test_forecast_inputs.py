"""The forecaster's inputs from the database, refreshes, and the background refresh after changes."""

import datetime as dt

import numpy as np
import pytest
from django.core.cache import cache
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from steward.core import events
from steward.projects import forecasting, tasks
from steward.projects.choices import ProjectEvent, ProjectStatus, TaskStatus
from steward.projects.models import Forecast, ForecastSettings, Project, Task
from steward.work import services as work_services
from steward.work.choices import WorkEvent, WorkType
from steward.work.models import Absence, Capacity, TimeEntry

AS_OF = dt.date(2026, 6, 1)  # a Monday


def at(day: dt.date, hour=9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def created_on(obj, day):
    """Rows get created_at = now; the backtest needs them as entered on an earlier day."""
    type(obj).objects.filter(pk=obj.pk).update(created_at=at(day, 8))


def log(technician, day, hours, work_type=WorkType.REACTIVE, task=None):
    return TimeEntry.objects.create(
        technician=technician, started_at=at(day), duration_minutes=int(hours * 60), work_type=work_type, task=task
    )


@pytest.fixture
def history(technician, other_technician):
    """Tom and Tara's plan and time as they stood around 1 June 2026, plus what came after."""
    Capacity.objects.create(technician=technician, weekly_hours=32, work_days="1234")
    for absence in (
        Absence.objects.create(technician=technician, starts_on=dt.date(2026, 6, 2), ends_on=dt.date(2026, 6, 3)),
        Absence.objects.create(
            technician=technician, starts_on=dt.date(2026, 6, 4), ends_on=dt.date(2026, 6, 4), hours_per_day=2
        ),
    ):
        created_on(absence, dt.date(2026, 5, 1))
    move = Project.objects.create(name="Server move", status=ProjectStatus.ACTIVE, deadline=dt.date(2026, 7, 31))
    created_on(move, dt.date(2026, 5, 1))
    order = Task.objects.create(project=move, name="Order", estimate_hours=10, assignee=technician)
    install = Task.objects.create(project=move, name="Install", assignee=other_technician)
    install.depends_on.add(order)
    finished_early = Task.objects.create(
        project=move, name="Survey", estimate_hours=5, assignee=technician, status=TaskStatus.DONE,
        completed_at=at(dt.date(2026, 5, 20)),
    )
    finished_later = Task.objects.create(
        project=move, name="Labels", estimate_hours=2, assignee=technician, status=TaskStatus.DONE,
        completed_at=at(dt.date(2026, 6, 15)),
    )
    added_later = Task.objects.create(project=move, name="Added later", estimate_hours=3, assignee=technician)
    for task in (order, install, finished_early, finished_later):
        created_on(task, dt.date(2026, 5, 1))
    created_on(added_later, dt.date(2026, 6, 10))
    old = Project.objects.create(name="Old", status=ProjectStatus.DONE, completed_on=dt.date(2026, 5, 15))
    future = Project.objects.create(name="Future", status=ProjectStatus.PLANNED)
    created_on(old, dt.date(2026, 1, 1))
    created_on(future, dt.date(2026, 7, 1))

    log(technician, dt.date(2026, 5, 11), 1, WorkType.ADMIN)  # Tom's first logged hour
    log(technician, dt.date(2026, 5, 18), 1.5)
    log(technician, dt.date(2026, 5, 25), 3)
    log(technician, dt.date(2026, 5, 19), 6, WorkType.PROJECT, finished_early)
    log(technician, dt.date(2026, 5, 26), 2, WorkType.PROJECT, order)
    log(technician, dt.date(2026, 5, 27), 2, WorkType.PROJECT, order)
    log(technician, dt.date(2026, 6, 2), 3, WorkType.PROJECT, order)  # after the day replayed
    log(technician, dt.date(2026, 6, 2), 5)
    return {"move": move, "order": order, "install": install, "labels": finished_later}


def test_build_inputs_reads_only_what_was_known_on_the_day(history, technician, other_technician, django_assert_max_num_queries):
    ForecastSettings.current()  # the settings row exists once the provider has used forecasts

    # when: one query per table
    with django_assert_max_num_queries(10):
        portfolio = forecasting.build_inputs(as_of=AS_OF)

    # then: only the project open that day, with its tasks open that day
    assert [p.name for p in portfolio.projects] == ["Server move"]
    tasks_by_name = {t.name: t for t in portfolio.projects[0].tasks}
    assert set(tasks_by_name) == {"Order", "Install", "Labels"}
    assert tasks_by_name["Order"].remaining_hours == pytest.approx(6.0)  # 10 h estimate, 4 h logged before 1 June
    assert tasks_by_name["Install"].remaining_hours is None
    assert tasks_by_name["Install"].depends_on == (history["order"].pk,)

    techs = {t.id: t for t in portfolio.technicians}
    tom, tara = techs[technician.pk], techs[other_technician.pk]
    assert tom.capacity_hours[0] == pytest.approx(32 - 16 - 2)  # two days away, then a 2-hour absence
    assert tom.capacity_hours[1] == pytest.approx(32)
    assert tara.capacity_hours[0] == pytest.approx(40)  # no capacity row: 40 h Monday to Friday
    assert len(tom.capacity_hours) == 105
    np.testing.assert_allclose(tom.reactive_history, [0, 1.5, 3])  # from Tom's first logged week
    np.testing.assert_allclose(tom.other_history, [1, 0, 0])  # the admin hour; project time is not load
    assert len(tara.reactive_history) == 0
    np.testing.assert_allclose(portfolio.estimate_ratios, [6 / 5])


def test_build_inputs_today_uses_the_assignees_remaining_hours(history, technician):
    Task.objects.filter(pk=history["order"].pk).update(remaining_hours=1.5)
    portfolio = forecasting.build_inputs()
    names = {p.name: p for p in portfolio.projects}
    assert set(names) == {"Server move", "Future"}
    move = {t.name: t for t in names["Server move"].tasks}
    assert set(move) == {"Order", "Install", "Added later"}
    assert move["Order"].remaining_hours == pytest.approx(1.5)


def test_refresh_forecasts_stores_one_forecast_per_open_project(history, other_technician):
    # when
    stored = forecasting.refresh_forecasts(simulations=500)

    # then
    assert {f.project.name for f in stored} == {"Server move", "Future"}
    move = forecasting.latest_forecast(history["move"])
    assert move.simulations == 500 and move.as_of == timezone.localdate()
    assert move.p50_date is not None and move.p90_date >= move.p50_date
    assert 0 <= move.reactive_delay_share <= 1
    assert any(f"No history for {other_technician.display_name}" in line for line in move.explanations)
    assert any("No estimate for “Install”" in line for line in move.explanations)
    assert move.distribution and dt.date.fromisoformat(move.distribution[0][0]) >= timezone.localdate()
    future = forecasting.latest_forecast(Project.objects.get(name="Future"))
    assert future.probability_on_time is None
    assert any("Nothing left to plan" in line for line in future.explanations)

    forecasting.refresh_forecasts(simulations=500)
    assert Forecast.objects.filter(project=history["move"]).count() == 2
    assert forecasting.latest_forecast(history["move"]).pk > move.pk


def test_what_if_compares_the_plan_with_a_change_without_touching_it(history, technician):
    results = forecasting.what_if({"reactive_reduction": 1.0}, simulations=500)
    current, scenario = results[history["move"].pk]
    assert scenario.p50_date <= current.p50_date
    assert scenario.reactive_delay_share == 0.0
    assert not Forecast.objects.exists()


@pytest.fixture
def clean_queue():
    cache.delete(tasks.REFRESH_QUEUED_KEY)
    HUEY.storage.flush_schedule()
    yield
    cache.delete(tasks.REFRESH_QUEUED_KEY)
    HUEY.storage.flush_schedule()


def test_a_burst_of_changes_queues_one_refresh_after_commit(db, technician, clean_queue, django_capture_on_commit_callbacks):
    # when: a timesheet saves several entries, then the plan changes, in one burst
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            events.publish(WorkEvent.TIME_CHANGED, technician_id=technician.pk, task_id=None)
        events.publish(ProjectEvent.PLAN_CHANGED, project_id=1)
        assert HUEY.scheduled_count() == 0  # nothing before the commit

    # then
    assert HUEY.scheduled_count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        events.publish(WorkEvent.CAPACITY_CHANGED, technician_id=technician.pk)
    assert HUEY.scheduled_count() == 1


def test_logging_time_through_the_service_queues_a_refresh(technician, clean_queue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        work_services.log_time(technician, duration_minutes=45, work_type=WorkType.REACTIVE, note="Printer")
    assert HUEY.scheduled_count() == 1


def test_the_refresh_task_stores_forecasts_and_lets_the_next_change_queue_again(history, clean_queue):
    cache.add(tasks.REFRESH_QUEUED_KEY, True)
    tasks.refresh_forecasts_task()
    assert Forecast.objects.filter(project=history["move"]).count() == 1
    assert cache.get(tasks.REFRESH_QUEUED_KEY) is None
