import importlib.util
import re
from collections import Counter
from datetime import date, datetime, time, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db.models import F, Max, Sum
from django.utils import timezone

from steward import demo
from steward.accounts.choices import Role
from steward.accounts.models import User
from steward.clients.models import Client, Contact
from steward.demo.builder import DemoExists, build_demo
from steward.desk.choices import Impact, Urgency
from steward.desk.models import Ticket, TicketNumber
from steward.desk.services import DEFAULT_PRIORITY_MATRIX
from steward.projects.choices import OPEN_PROJECT_STATUSES, ProjectStatus, TaskStatus
from steward.projects.models import Forecast, Project, ProjectTicket, Task
from steward.work.choices import AbsenceKind, EntryStatus, WorkType
from steward.work.models import Absence, Capacity, TimeEntry

LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 3, 2)


@pytest.fixture
def fast_hashing(settings):
    """Builds that don't test logins need not pay for slow password hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def ticket_fingerprint():
    return list(Ticket.objects.order_by("number").values_list("number", "subject", "status", "created_at", "priority"))


def project_fingerprint():
    return list(Project.objects.order_by("name").values_list("name", "status", "deadline", "completed_on")) + list(
        Task.objects.order_by("project__name", "position").values_list("name", "status", "remaining_hours")
    )


@pytest.mark.django_db(transaction=True)
def test_demo_command_builds_a_believable_year():
    # when
    out = StringIO()
    call_command("demo", "--seed", "42", stdout=out)

    # then: the volumes of a small provider's year
    assert Client.objects.count() == 15
    assert 270 <= Contact.objects.count() <= 330
    assert User.objects.filter(role=Role.TECHNICIAN).count() == 6
    assert 7000 <= Ticket.objects.count() <= 9000
    assert 22_000 <= TimeEntry.objects.count() <= 40_000
    assert set(TimeEntry.objects.values_list("work_type", flat=True).distinct()) == set(WorkType.values)
    assert "Demo built in" in out.getvalue() and demo.ADMIN_PASSWORD in out.getvalue()

    # and arrivals follow the working week
    weekdays = Counter(
        created.astimezone(LONDON).weekday() for created in Ticket.objects.values_list("created_at", flat=True)
    )
    assert weekdays[0] > weekdays[5] * 3
    assert weekdays[0] > weekdays[4]

    # and every ticket belongs to its requester's and site's client
    assert not Ticket.objects.filter(requester__isnull=False).exclude(requester__client=F("client")).exists()
    assert not Ticket.objects.filter(site__isnull=False).exclude(site__client=F("client")).exists()

    # and priorities come from the matrix unless a technician overrode them
    for impact, urgency, priority in Ticket.objects.filter(priority_overridden=False).values_list(
        "impact", "urgency", "priority"
    ).distinct():
        assert priority == DEFAULT_PRIORITY_MATRIX[(Impact(impact), Urgency(urgency))]

    # and the services' bookkeeping holds: last activity, numbering, status timestamps
    stale = Ticket.objects.annotate(last=Max("entries__created_at")).exclude(updated_at=F("last"))
    assert not stale.exists()
    assert TicketNumber.objects.get(pk=1).last_number == Ticket.objects.aggregate(n=Max("number"))["n"]
    assert not Ticket.objects.filter(status__in=("resolved", "closed"), resolved_at__isnull=True).exists()
    assert not Ticket.objects.open().filter(resolved_at__isnull=False).exists()

    # and the demo logins work
    for _, username, password in demo.logins():
        assert authenticate(username=username, password=password) is not None, username

    # and the planning data tells its story
    today = timezone.localdate()
    assert_projects_finished_and_in_flight(today)
    assert_time_is_on_project_tasks()
    assert_absences_have_no_time(today)
    assert_past_weeks_approved(today)
    assert_reactive_spike_holds_back_the_warehouse_project(today)
    if importlib.util.find_spec("steward.projects.forecasting"):  # the risks show on first start
        assert_forecasts_show_risk(out.getvalue())


def local_day(moment):
    return moment.astimezone(LONDON).date()


def assert_projects_finished_and_in_flight(today):
    projects = list(Project.objects.all())
    assert len(projects) == 10
    finished = [p for p in projects if p.status == ProjectStatus.DONE]
    open_ = [p for p in projects if p.status in OPEN_PROJECT_STATUSES]
    assert len(finished) == 4 and len(open_) == 6
    assert Project.objects.filter(client__isnull=True).count() == 1  # the provider's own project
    # Finished projects: some met their deadline, some missed it.
    assert all(p.completed_on and p.deadline and p.completed_on < today for p in finished)
    assert any(p.completed_on <= p.deadline for p in finished)
    assert any(p.completed_on > p.deadline for p in finished)
    # Open ones are due in the next one to four months, with estimated, assigned tasks.
    for project in open_:
        assert today + timedelta(days=28) <= project.deadline <= today + timedelta(days=130), project
        tasks = list(project.tasks.all())
        assert 6 <= len(tasks) <= 25
        assert all(t.estimate_hours and t.assignee_id for t in tasks), project
    assert Task.depends_on.through.objects.count() > 50
    in_flight = Task.objects.filter(project__status=ProjectStatus.ACTIVE)
    assert in_flight.filter(status=TaskStatus.DONE).exists()
    assert in_flight.filter(status=TaskStatus.TODO).exists()
    assert not in_flight.filter(status=TaskStatus.IN_PROGRESS, remaining_hours__isnull=True).exists()
    assert in_flight.filter(status=TaskStatus.IN_PROGRESS).exists()
    assert not Task.objects.filter(project__status=ProjectStatus.DONE).exclude(status=TaskStatus.DONE).exists()
    links = ProjectTicket.objects.select_related("project", "ticket")
    assert links.count() >= 5
    assert all(link.ticket.client_id == link.project.client_id for link in links)


def assert_time_is_on_project_tasks():
    project_time = TimeEntry.objects.filter(work_type=WorkType.PROJECT)
    assert project_time.count() > 300
    assert not project_time.filter(task__isnull=True).exists()
    assert not TimeEntry.objects.filter(task__isnull=False).exclude(work_type=WorkType.PROJECT).exists()
    assert not project_time.exclude(client_id=F("task__project__client_id")).filter(client__isnull=False).exists()
    # Estimates were a little optimistic, as they usually are, but not wildly off.
    ratios = []
    for task in Task.objects.filter(status=TaskStatus.DONE).annotate(minutes=Sum("time_entries__duration_minutes")):
        ratios.append(task.minutes / 60 / float(task.estimate_hours))
    assert len(ratios) > 40
    assert all(0.7 <= ratio <= 2.0 for ratio in ratios)
    assert 1.0 < sum(ratios) / len(ratios) < 1.5


def assert_absences_have_no_time(today):
    assert Capacity.objects.count() == 6
    assert Capacity.objects.filter(weekly_hours=24, work_days="123").count() == 1  # the part-timer
    kinds = set(Absence.objects.values_list("kind", flat=True))
    assert {AbsenceKind.HOLIDAY, AbsenceKind.LEAVE, AbsenceKind.SICK, AbsenceKind.TRAINING} <= kinds
    assert Absence.objects.filter(starts_on__gt=today, kind=AbsenceKind.LEAVE).exists()  # leave booked ahead
    # Leave and courses are one row per stretch away, not one per day.
    lengths = [(a.ends_on - a.starts_on).days for a in Absence.objects.filter(kind__in=(AbsenceKind.LEAVE, AbsenceKind.TRAINING))]
    assert max(lengths) >= 9 and sum(1 for n in lengths if n > 0) >= 12
    away = set()
    for technician_id, starts_on, ends_on in Absence.objects.filter(hours_per_day__isnull=True).values_list(
        "technician_id", "starts_on", "ends_on"
    ):
        away.update((technician_id, starts_on + timedelta(days=i)) for i in range((ends_on - starts_on).days + 1))
    logged = {(tech, local_day(started)) for tech, started in TimeEntry.objects.values_list("technician_id", "started_at")}
    assert len(away) > 150
    assert not away & logged


def assert_past_weeks_approved(today):
    this_monday = today - timedelta(days=today.weekday())
    last_week = datetime.combine(this_monday - timedelta(days=7), time(), tzinfo=LONDON)
    this_week = datetime.combine(this_monday, time(), tzinfo=LONDON)
    older = TimeEntry.objects.filter(started_at__lt=last_week)
    assert not older.exclude(status=EntryStatus.APPROVED).exists()
    assert not older.exclude(approved_by__username=demo.ADMIN_USERNAME).exists()
    statuses = Counter(
        TimeEntry.objects.filter(started_at__gte=last_week, started_at__lt=this_week).values_list("status", flat=True)
    )
    assert statuses[EntryStatus.SUBMITTED] > statuses[EntryStatus.DRAFT] > 0  # one technician is late
    assert not TimeEntry.objects.filter(started_at__gte=this_week).exclude(status=EntryStatus.DRAFT).exists()


def assert_reactive_spike_holds_back_the_warehouse_project(today):
    warehouse = Project.objects.get(client__short_code="NGL")
    recent = today - timedelta(days=14)

    def weekly_reactive(since, until):
        minutes = TimeEntry.objects.filter(
            technician__username="marek", work_type=WorkType.REACTIVE, started_at__date__gte=since,
            started_at__date__lt=until,
        ).aggregate(m=Sum("duration_minutes"))["m"]
        return minutes / 60 / ((until - since).days / 7)

    assert weekly_reactive(recent, today) > 1.2 * weekly_reactive(today - timedelta(days=26 * 7), recent)
    recent_phishing = Ticket.objects.filter(client=warehouse.client, tags__name="phishing",
                                            created_at__date__gte=today - timedelta(days=30))
    assert recent_phishing.count() >= 5


def assert_forecasts_show_risk(output):
    latest = {}
    for forecast in Forecast.objects.select_related("project", "project__client").order_by("computed_at"):
        latest[forecast.project] = forecast
    at_risk = {p.name for p, f in latest.items() if f.probability_on_time is not None
               and f.probability_on_time * 100 < p.risk_threshold}
    assert 2 <= len(at_risk) <= 3
    assert Project.objects.get(client__short_code="NGL").name in at_risk
    assert any(f.probability_on_time and f.probability_on_time > 0.9 for f in latest.values())
    assert re.search(r"projects at risk +(\d+)", output).group(1) == str(len(at_risk))


@pytest.mark.django_db(transaction=True)
def test_demo_is_the_same_for_the_same_seed_and_day(fast_hashing):
    # given
    build_demo(seed=7, scale=0.05, today=TODAY)
    first = ticket_fingerprint(), project_fingerprint()

    # when
    build_demo(seed=7, scale=0.05, today=TODAY, flush=True)
    again = ticket_fingerprint(), project_fingerprint()
    build_demo(seed=8, scale=0.05, today=TODAY, flush=True)
    other = ticket_fingerprint(), project_fingerprint()

    # then
    assert len(first[0]) > 200 and len(first[1]) > 80
    assert first == again
    assert first[0] != other[0] and first[1] != other[1]


@pytest.mark.django_db(transaction=True)
def test_demo_refuses_to_overwrite_existing_clients_without_flush(fast_hashing):
    # given
    Client.objects.create(name="Real Customer Ltd", short_code="REAL")

    # when / then
    with pytest.raises(CommandError, match="--flush"):
        call_command("demo", "--scale", "0.02", stdout=StringIO())
    assert list(Client.objects.values_list("short_code", flat=True)) == ["REAL"]
    assert not Ticket.objects.exists()
    with pytest.raises(DemoExists):
        build_demo(scale=0.02, today=TODAY)

    # and with --flush the demo replaces them
    call_command("demo", "--scale", "0.02", "--flush", stdout=StringIO())
    assert not Client.objects.filter(short_code="REAL").exists()
    assert Client.objects.count() == 15
    assert Ticket.objects.exists()
