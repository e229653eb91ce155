import datetime as dt
from importlib import import_module

import pytest
from django.utils import timezone

from steward.projects import services
from steward.projects.models import ProjectTemplate
from steward.work.choices import WorkType
from steward.work.models import TimeEntry


@pytest.fixture
def project_a(technician, client_a):
    """Acme's server replacement, owned by Tom, due in two months."""
    today = timezone.localdate()
    return services.create_project(
        technician, name="Acme server replacement", client=client_a, owner=technician,
        starts_on=today, deadline=today + dt.timedelta(days=60),
    )


@pytest.fixture
def internal_project(technician):
    return services.create_project(technician, name="Rebuild the lab", owner=technician)


@pytest.fixture
def standard_templates(db):
    """The templates Steward ships (a data migration); put back when an earlier test flushed the tables."""
    from django.apps import apps

    import_module("steward.projects.migrations.0003_project_templates").add_templates(apps, None)
    return ProjectTemplate.objects.all()


@pytest.fixture
def server_template(standard_templates):
    return standard_templates.get(name="Server replacement")


@pytest.fixture
def log_task_time():
    """log_task_time(task, minutes, technician) -> a project time entry on the task."""

    def log(task, minutes, technician):
        return TimeEntry.objects.create(
            technician=technician, task=task, client=task.project.client, duration_minutes=minutes,
            started_at=timezone.now() - dt.timedelta(hours=2), work_type=WorkType.PROJECT,
        )

    return log
