import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from steward.projects import queries, services
from steward.projects.models import Forecast


def test_progress_comes_from_hours_logged_against_estimates(project_a, technician, log_task_time):
    # given an 8 h task with 3 h logged, a 4 h task re-estimated to 1 h after 2 h logged, and a done task
    build = services.add_task(project_a, technician, name="Build", estimate_hours=8)
    migrate = services.add_task(project_a, technician, name="Migrate", estimate_hours=4, assignee=technician)
    order = services.add_task(project_a, technician, name="Order", estimate_hours=2)
    log_task_time(build, 180, technician)
    log_task_time(migrate, 120, technician)
    log_task_time(order, 60, technician)
    services.re_estimate(migrate, 1, technician)
    services.complete_task(order, technician)

    project = queries.attach_progress(queries.projects_for(technician))[0]

    # logged 3 + 2 + 1 = 6 h; remaining 5 + 1 + 0 = 6 h
    assert project.progress.logged == Decimal("6.00")
    assert project.progress.remaining == Decimal("6.00")
    assert project.progress.percent == 50
    assert project.progress.by_status == {"todo": 2, "in_progress": 0, "done": 1}


def test_overrun_task_has_nothing_remaining_rather_than_negative(project_a, technician, log_task_time):
    task = services.add_task(project_a, technician, name="Build", estimate_hours=1)
    log_task_time(task, 150, technician)
    detail = queries.project_detail(technician, project_a.pk)
    assert detail.task_list[0].logged_hours == Decimal("2.50")
    assert detail.task_list[0].remaining == 0
    assert detail.progress.percent == 100


def test_list_reads_latest_forecast_and_filters(project_a, internal_project, technician, client_a, ticket_a):
    Forecast.objects.create(project=project_a, computed_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
                            as_of=dt.date(2026, 1, 1), simulations=100, probability_on_time=0.9)
    Forecast.objects.create(project=project_a, computed_at=dt.datetime(2026, 1, 8, tzinfo=dt.UTC),
                            as_of=dt.date(2026, 1, 8), simulations=100, probability_on_time=0.55)
    services.link_ticket(project_a, ticket_a, technician)
    acme = queries.projects_for(technician, client=client_a.pk).get()
    assert acme.probability_on_time == 0.55 and acme.linked_tickets == 1
    assert [p.name for p in queries.projects_for(technician, client="internal")] == ["Rebuild the lab"]


def test_list_progress_costs_the_same_queries_for_many_projects(technician, log_task_time):
    def count_for(n):
        for i in range(n):
            project = services.create_project(technician, name=f"P{i}")
            task = services.add_task(project, technician, name="T", estimate_hours=2)
            log_task_time(task, 30, technician)
        with CaptureQueriesContext(connection) as captured:
            queries.attach_progress(queries.projects_for(technician))
        return len(captured)

    assert count_for(2) == count_for(20)


def test_client_people_see_no_projects(project_a, client_a_admin):
    assert not queries.projects_for(client_a_admin).exists()
    assert queries.project_detail(client_a_admin, project_a.pk) is None


def test_schedule_places_undated_tasks_after_their_dependencies_at_six_hours_a_day(technician):
    monday = dt.date(2026, 3, 2)
    project = services.create_project(technician, name="Move", starts_on=monday)
    survey = services.add_task(project, technician, name="Survey", estimate_hours=12, assignee=technician)
    cabling = services.add_task(project, technician, name="Cabling", estimate_hours=6, depends_on=[survey])
    fixed = services.add_task(project, technician, name="Order line", starts_on=dt.date(2026, 3, 3), due_on=dt.date(2026, 3, 20))
    bars = {bar.task.name: bar for bar in queries.schedule(project, queries.project_detail(technician, project.pk).task_list, monday)}
    assert (bars["Survey"].start, bars["Survey"].end) == (monday, dt.date(2026, 3, 3))  # 12 h = 2 days
    assert bars["Cabling"].start == dt.date(2026, 3, 4)
    assert (bars["Order line"].start, bars["Order line"].end, bars["Order line"].planned) == (fixed.starts_on, fixed.due_on, True)
    assert bars["Cabling"].task == cabling


def test_schedule_skips_weekends(technician):
    friday = dt.date(2026, 3, 6)
    project = services.create_project(technician, name="Move", starts_on=friday)
    services.add_task(project, technician, name="Long", estimate_hours=18)
    bar = queries.schedule(project, queries.project_detail(technician, project.pk).task_list, friday)[0]
    assert bar.end == dt.date(2026, 3, 10)  # Fri, Mon, Tue
