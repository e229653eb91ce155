"""`steward forecast backtest` on a small made-up history of finished projects."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from steward.projects.choices import ProjectStatus, TaskStatus
from steward.projects.forecast.backtest import run_backtest
from steward.projects.models import Project, Task
from steward.work.choices import WorkType
from steward.work.models import TimeEntry

START = dt.date(2026, 1, 5)


def at(day, hour=9):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def finished_projects(technician):
    """Six projects of 40–140 h done one after the other; three met their deadline, three did not."""
    # Tom's reactive load, 10–16 h a week, logged since the start.
    day = START - dt.timedelta(days=70)
    while day < dt.date(2026, 9, 1):
        if day.isoweekday() <= 5:
            TimeEntry.objects.create(
                technician=technician, started_at=at(day), duration_minutes=120 + (day.toordinal() % 3) * 30,
                work_type=WorkType.REACTIVE,
            )
        day += dt.timedelta(days=1)
    begin = START
    for number, (hours, slack_days) in enumerate(((40, 30), (80, -20), (60, 25), (140, -30), (50, 20), (90, -15))):
        weeks = hours / 25  # about 25 free hours a week
        done_on = begin + dt.timedelta(days=int(weeks * 7) + 3)
        project = Project.objects.create(
            name=f"Project {number}", status=ProjectStatus.DONE, starts_on=begin, completed_on=done_on,
            deadline=done_on + dt.timedelta(days=slack_days),
        )
        Project.objects.filter(pk=project.pk).update(created_at=at(begin, 8))
        for part in range(4):
            finished_at = begin + dt.timedelta(days=int((part + 1) * (done_on - begin).days / 4))
            task = Task.objects.create(
                project=project, name=f"Part {part}", estimate_hours=hours / 4, assignee=technician,
                status=TaskStatus.DONE, completed_at=at(finished_at, 17),
            )
            Task.objects.filter(pk=task.pk).update(created_at=at(begin, 8))
            # 10 % over the estimate, logged in six-hour days up to the day it was finished.
            minutes, back = int(hours / 4 * 66), 0
            while minutes > 0:
                TimeEntry.objects.create(
                    technician=technician, started_at=at(finished_at - dt.timedelta(days=back), 10),
                    duration_minutes=min(minutes, 360), work_type=WorkType.PROJECT, task=task,
                )
                minutes, back = minutes - 360, back + 1
        begin = done_on + dt.timedelta(days=1)


def test_backtest_prints_brier_score_reliability_and_p50_error(finished_projects):
    out = StringIO()
    call_command("forecast", "backtest", "--simulations", "300", stdout=out)
    text = out.getvalue()

    assert "Forecasts: 18 of 6 finished projects" in text
    brier = float(text.split("Brier score: ")[1].split()[0])
    assert 0 <= brier <= 1
    assert "share on time" in text and " %" in text
    assert "P50 date error: mean absolute" in text


def test_backtest_scores_honest_forecasts_better_than_a_coin(finished_projects):
    report = run_backtest([0.5], simulations=500)
    assert len(report.points) == 6
    # The projects that made it were forecast more likely to make it than those that did not.
    made_it = [p.probability for p in report.points if p.on_time]
    late = [p.probability for p in report.points if not p.on_time]
    assert min(made_it) > max(late)
    assert report.brier_score < 0.25


def test_backtest_without_finished_projects_says_so(db):
    out = StringIO()
    call_command("forecast", "backtest", stdout=out)
    assert "No finished projects" in out.getvalue()
    assert "Brier score" not in out.getvalue()


def test_backtest_refuses_bad_fractions(db):
    with pytest.raises(CommandError, match="as-of-fractions"):
        call_command("forecast", "backtest", "--as-of-fractions", "half")
