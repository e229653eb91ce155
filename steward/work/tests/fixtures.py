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
