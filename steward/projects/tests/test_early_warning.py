import datetime as dt

import pytest
from django.utils import timezone

from steward.core import events
from steward.projects import early_warning
from steward.projects.choices import ProjectEvent, ProjectStatus
from steward.projects.models import Forecast, ForecastSettings, Project


@pytest.fixture
def crm(client_a, technician):
    return Project.objects.create(
        client=client_a, name="CRM roll-out", owner=technician, deadline=dt.date(2027, 3, 14), risk_threshold=70
    )


def forecast(project, chance, bottleneck=None, reactive=0.2, explanations=(), p90=dt.date(2027, 4, 2)):
    return Forecast.objects.create(
        project=project, computed_at=timezone.now(), as_of=dt.date(2027, 1, 4), simulations=1000,
        probability_on_time=chance, p50_date=dt.date(2027, 3, 10), p90_date=p90, bottleneck=bottleneck,
        reactive_delay_share=reactive, explanations=list(explanations),
    )


def run_check(project, previous, latest, capture):
    with capture(execute=True):
        return early_warning.check(project, previous, latest)


def test_dropping_below_threshold_emails_owner_once_with_reason(
    crm, technician, mailoutbox, django_capture_on_commit_callbacks
):
    # given: a project that was safe, now with Tom's reactive load eating the schedule
    safe = forecast(crm, 0.82)
    risky = forecast(
        crm, 0.55, bottleneck=technician, reactive=0.64,
        explanations=["Tom Tech spent 64% of his hours on reactive work in the last 4 weeks, usually 45%."],
    )
    # when
    reason = run_check(crm, safe, risky, django_capture_on_commit_callbacks)
    # then
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["tom@example.test"]
    assert mail.subject == "Deadline at risk: CRM roll-out"
    assert "CRM roll-out for Acme" in mail.body
    assert "chance of meeting 14 March 2027 fell from 82% to 55%" in mail.body
    assert "Main cause: Tom Tech's reactive load (64% of the delay)" in mail.body
    assert "usually 45%" in mail.body and "bottleneck: Tom Tech" in mail.body
    assert "P90 now 2 April 2027" in mail.body
    assert f"/projects/{crm.pk}/" in mail.body
    assert reason in mail.body

    # when: the next refresh finds it still at risk, a little worse
    still = forecast(crm, 0.50, bottleneck=technician, reactive=0.6)
    assert run_check(crm, risky, still, django_capture_on_commit_callbacks) is None
    # then: no second email
    assert len(mailoutbox) == 1


def test_first_forecast_below_threshold_warns(crm, mailoutbox, django_capture_on_commit_callbacks):
    reason = run_check(crm, None, forecast(crm, 0.40), django_capture_on_commit_callbacks)
    assert "is 40%, below the 70% you set" in reason
    assert len(mailoutbox) == 1


def test_sharp_drop_warns_even_while_at_risk_or_above_threshold(
    crm, mailoutbox, django_capture_on_commit_callbacks
):
    ForecastSettings.current()  # default: 15 points
    # Still above the threshold, but 20 points down: the owner hears about it.
    reason = run_check(crm, forecast(crm, 0.99), forecast(crm, 0.79), django_capture_on_commit_callbacks)
    assert "fell from 99% to 79%" in reason
    # Already at risk, then another sharp fall: warned again.
    run_check(crm, forecast(crm, 0.60), forecast(crm, 0.40), django_capture_on_commit_callbacks)
    # Already at risk, a small fall: quiet.
    run_check(crm, forecast(crm, 0.40), forecast(crm, 0.35), django_capture_on_commit_callbacks)
    assert [mail.subject for mail in mailoutbox] == ["Deadline at risk: CRM roll-out"] * 2


def test_sharp_drop_threshold_comes_from_settings(crm, mailoutbox, django_capture_on_commit_callbacks):
    settings = ForecastSettings.current()
    settings.sharp_drop_points = 30
    settings.save()
    run_check(crm, forecast(crm, 0.99), forecast(crm, 0.79), django_capture_on_commit_callbacks)
    assert mailoutbox == []


def test_warning_publishes_deadline_at_risk(crm, django_capture_on_commit_callbacks):
    heard = []

    def listener(project, forecast, reason, **_):
        heard.append((project.pk, forecast.probability_on_time, reason))

    events.subscribe(ProjectEvent.DEADLINE_AT_RISK, listener)
    try:
        latest = forecast(crm, 0.5)
        run_check(crm, None, latest, django_capture_on_commit_callbacks)
    finally:
        events.unsubscribe(ProjectEvent.DEADLINE_AT_RISK, listener)
    assert heard and heard[0][:2] == (crm.pk, 0.5) and "CRM roll-out" in heard[0][2]


def test_mail_failure_does_not_break_the_check(crm, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_PORT = 1  # nothing listens: sending fails in the task, after commit
    reason = run_check(crm, None, forecast(crm, 0.5), django_capture_on_commit_callbacks)
    assert reason.startswith("CRM roll-out")
    assert Forecast.objects.filter(project=crm).count() == 1


def test_projects_at_risk_lists_only_open_projects_below_their_threshold(crm, client_a, technician, client_b_user):
    # given
    forecast(crm, 0.9)
    forecast(crm, 0.55, bottleneck=technician, reactive=0.7)  # the latest counts
    safe = Project.objects.create(client=client_a, name="Backup upgrade", deadline=dt.date(2027, 5, 1))
    forecast(safe, 0.95)
    done = Project.objects.create(client=client_a, name="Old rollout", status=ProjectStatus.DONE)
    forecast(done, 0.1)
    strict = Project.objects.create(name="Office move", risk_threshold=90, deadline=dt.date(2027, 2, 1))
    forecast(strict, 0.85)
    # when
    rows = early_warning.projects_at_risk(technician)
    # then: least likely first, with the cause
    assert [row["project"].name for row in rows] == ["CRM roll-out", "Office move"]
    assert rows[0]["cause"].startswith("Tom Tech's reactive load (70% of the delay)")
    assert early_warning.projects_at_risk(client_b_user) == []


def test_real_refresh_warns_the_owner_once(client_a, technician, mailoutbox, django_capture_on_commit_callbacks):
    from steward.projects import forecasting
    from steward.projects.models import Task
    from steward.work.models import Capacity

    # given: three weeks of Tom's work due in two
    Capacity.objects.create(technician=technician, weekly_hours=40)
    project = Project.objects.create(
        client=client_a, name="CRM roll-out", owner=technician,
        deadline=timezone.localdate() + dt.timedelta(weeks=2),
    )
    Task.objects.create(project=project, name="Import contacts", estimate_hours=120, assignee=technician)
    # when the forecasts are refreshed twice
    with django_capture_on_commit_callbacks(execute=True):
        forecasting.refresh_forecasts(simulations=500)
    with django_capture_on_commit_callbacks(execute=True):
        forecasting.refresh_forecasts(simulations=500)
    # then the owner heard once, with the numbers of the first forecast
    first = Forecast.objects.filter(project=project).order_by("id").first()
    assert len(mailoutbox) == 1
    assert f"is {round(first.probability_on_time * 100)}%, below the 70% you set" in mailoutbox[0].body
    assert "No history for Tom Tech" in mailoutbox[0].body
