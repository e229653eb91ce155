"""Background forecast refreshes: after time is logged or the plan changes, and every night."""

from django.core.cache import cache
from django.db import transaction
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from steward.core import events
from steward.projects import early_warning, forecasting  # noqa: F401  (the worker must know early warning's mail task)
from steward.projects.choices import ProjectEvent
from steward.work.choices import WorkEvent

REFRESH_QUEUED_KEY = "projects:forecast-refresh-queued"
# A burst of time entries (a timesheet saved, a week submitted) becomes one refresh this much later.
REFRESH_DELAY_SECONDS = 30
# Safety net: if a queued refresh is lost, the marker expires and the next change queues one again.
REFRESH_QUEUED_TIMEOUT = 15 * 60
REFRESH_EVENTS = (WorkEvent.TIME_CHANGED, WorkEvent.CAPACITY_CHANGED, ProjectEvent.PLAN_CHANGED)


@db_task()
def refresh_forecasts_task():
    """Forecast every open project now; changes made while it runs queue the next refresh."""
    cache.delete(REFRESH_QUEUED_KEY)
    forecasting.refresh_forecasts()


@db_periodic_task(crontab(hour="2", minute="40"))
def nightly_forecast_refresh_task():
    """Every night: history moves on even when nobody logs time."""
    forecasting.refresh_forecasts()


def queue_forecast_refresh(**_event) -> None:
    """Event handler: refresh the forecasts a little after the change commits, once per burst."""
    transaction.on_commit(_enqueue_refresh)


def _enqueue_refresh() -> bool:
    if not cache.add(REFRESH_QUEUED_KEY, True, timeout=REFRESH_QUEUED_TIMEOUT):
        return False
    refresh_forecasts_task.schedule(delay=REFRESH_DELAY_SECONDS)
    return True


def subscribe() -> None:
    for event in REFRESH_EVENTS:
        events.subscribe(event, queue_forecast_refresh)
