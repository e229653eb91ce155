import datetime as dt

import pytest
from django.utils import timezone

from steward.work import services
from steward.work.choices import WorkType


@pytest.fixture
def time_entry(technician, ticket_a):
    """Half an hour Tom spent on Acme's printer ticket, yesterday."""
    return services.log_time(
        technician,
        ticket=ticket_a,
        duration_minutes=30,
        started_at=timezone.now() - dt.timedelta(days=1),
        work_type=WorkType.REACTIVE,
        note="Cleared the paper path",
    )


@pytest.fixture
def acme_task(technician, client_a):
    """A task of Acme's server replacement project."""
    from steward.projects.models import Project, Task

    project = Project.objects.create(client=client_a, name="Server replacement", owner=technician)
    return Task.objects.create(project=project, name="Order server", estimate_hours=4)


@pytest.fixture
def published():
    """Every work event published during the test, as (event, data) pairs."""
    from steward.core import events
    from steward.work.choices import WorkEvent

    seen = []
    handlers = {event: (lambda event=event, **data: seen.append((event, data))) for event in WorkEvent.values}
    for event, handler in handlers.items():
        events.subscribe(event, handler)
    yield seen
    for event, handler in handlers.items():
        events.unsubscribe(event, handler)
