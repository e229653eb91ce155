import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Count

from steward.core import events
from steward.core.exceptions import NotPermitted
from steward.projects import services
from steward.projects.choices import ProjectEvent, ProjectStatus, TaskStatus
from steward.projects.models import Project, Task
from steward.projects.services import DependencyCycle, ProjectError, TicketAlreadyLinked


@pytest.fixture
def plan_events():
    seen = []

    def handler(project_id):
        seen.append(project_id)

    events.subscribe(ProjectEvent.PLAN_CHANGED, handler)
    yield seen
    events.unsubscribe(ProjectEvent.PLAN_CHANGED, handler)


def test_done_project_records_completion_day_and_reopening_clears_it(project_a, technician):
    services.update_project(project_a, technician, {"status": ProjectStatus.DONE})
    assert project_a.completed_on is not None
    services.update_project(project_a, technician, {"status": ProjectStatus.ACTIVE})
    assert Project.objects.get(pk=project_a.pk).completed_on is None


def test_deadline_in_the_past_is_accepted(project_a, technician):
    services.update_project(project_a, technician, {"starts_on": None, "deadline": dt.date(2020, 1, 1)})
    assert Project.objects.get(pk=project_a.pk).deadline == dt.date(2020, 1, 1)


def test_client_user_cannot_create_a_project(client_a_user):
    with pytest.raises(NotPermitted):
        services.create_project(client_a_user, name="Sneaky")


def test_portfolio_order_follows_the_given_ids(project_a, internal_project, technician):
    services.set_priority_order(technician, [internal_project.pk, project_a.pk])
    assert list(Project.objects.order_by("priority").values_list("name", flat=True)) == [
        "Rebuild the lab", "Acme server replacement"]
    services.move_project(technician, internal_project, +1)
    assert Project.objects.order_by("priority").first() == project_a


def test_every_plan_change_announces_itself(project_a, technician, plan_events):
    task = services.add_task(project_a, technician, name="Order server", estimate_hours=2)
    services.update_task(task, technician, {"estimate_hours": 3})
    services.complete_task(task, technician)
    assert plan_events == [project_a.pk] * 3


def test_negative_estimate_is_refused(project_a, technician):
    with pytest.raises(ProjectError) as refused:
        services.add_task(project_a, technician, name="Order server", estimate_hours=-1)
    assert refused.value.field == "estimate_hours"


def test_assignee_must_be_staff(project_a, technician, client_a_user):
    with pytest.raises(ProjectError, match="technician or admin") as refused:
        services.add_task(project_a, technician, name="Order server", assignee=client_a_user)
    assert refused.value.field == "assignee"


def test_dependency_on_another_projects_task_is_refused(project_a, internal_project, technician):
    elsewhere = services.add_task(internal_project, technician, name="Rack the lab")
    with pytest.raises(ProjectError, match="another project"):
        services.add_task(project_a, technician, name="Order server", depends_on=[elsewhere])


def test_dependency_closing_a_cycle_is_refused_naming_the_tasks(project_a, technician):
    assess = services.add_task(project_a, technician, name="Assess")
    order = services.add_task(project_a, technician, name="Order", depends_on=[assess])
    build = services.add_task(project_a, technician, name="Build", depends_on=[order])
    with pytest.raises(DependencyCycle) as refused:
        services.update_task(assess, technician, {"depends_on": [build]})
    assert "“Assess” → “Build” → “Order” → “Assess”" in refused.value.message
    assert refused.value.field == "depends_on"
    assert list(assess.depends_on.all()) == []


def test_completing_sets_completed_at_and_nothing_left_and_reopening_undoes_it(project_a, technician):
    task = services.add_task(project_a, technician, name="Order", estimate_hours=4, remaining_hours=3)
    services.complete_task(task, technician)
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.completed_at is not None and task.remaining_hours == 0
    services.reopen_task(task, technician)
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS and task.completed_at is None and task.remaining_hours is None


def test_only_the_assignee_or_an_admin_re_estimates(project_a, technician, other_technician, admin_user):
    task = services.add_task(project_a, technician, name="Build", estimate_hours=8, assignee=technician)
    with pytest.raises(NotPermitted):
        services.re_estimate(task, 5, other_technician)
    services.re_estimate(task, 5, technician)
    services.re_estimate(task, Decimal("6.5"), admin_user)
    assert Task.objects.get(pk=task.pk).remaining_hours == Decimal("6.5")


def test_ticket_of_another_client_cannot_be_linked(project_a, ticket_b, technician):
    with pytest.raises(ProjectError, match="another client") as refused:
        services.link_ticket(project_a, ticket_b, technician)
    assert refused.value.field == "number"


def test_internal_project_takes_any_clients_ticket_but_a_ticket_joins_one_project(
    project_a, internal_project, ticket_a, technician
):
    services.link_ticket(internal_project, ticket_a, technician)
    with pytest.raises(TicketAlreadyLinked, match="Rebuild the lab"):
        services.link_ticket(project_a, ticket_a, technician)
    services.unlink_ticket(internal_project, ticket_a, technician)
    services.link_ticket(project_a, ticket_a, technician)
    assert project_a.ticket_links.get().ticket == ticket_a


def test_template_creates_project_with_its_tasks_phases_and_dependencies(server_template, client_a, technician):
    project = services.create_from_template(
        server_template, actor=technician, name="Acme new server", client=client_a, owner=technician,
        starts_on=dt.date(2026, 3, 2), deadline=dt.date(2026, 4, 30), assignee=technician,
    )
    tasks = {task.name: task for task in project.tasks.all()}
    assert len(tasks) == server_template.tasks.count() == 8
    assert sorted(tasks["Migrate data"].depends_on.values_list("name", flat=True)) == ["Install line-of-business applications"]
    assert tasks["Cut-over weekend"].phase.name == "Migration"
    assert tasks["Build and configure"].estimate_hours == 8
    assert all(task.assignee == technician for task in tasks.values())
    assert list(project.phases.values_list("name", flat=True)) == ["Preparation", "Build", "Migration", "Close-out"]


def test_every_shipped_template_has_six_to_fourteen_tasks(standard_templates):
    counts = dict(standard_templates.annotate(n=Count("tasks")).values_list("name", "n"))
    assert set(counts) >= {"Server replacement", "CRM roll-out", "Microsoft 365 migration", "Office move"}
    assert all(6 <= counts[name] <= 14 for name in counts)


def test_template_tasks_may_only_depend_on_earlier_ones(admin_user):
    with pytest.raises(ProjectError, match="listed before"):
        services.save_template(admin_user, name="Backwards", tasks=[
            {"name": "First", "estimate_hours": 1, "depends_on": [1]}, {"name": "Second", "estimate_hours": 1},
        ])
