from collections import Counter
from datetime import date
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db.models import F, Max

from steward import demo
from steward.accounts.choices import Role
from steward.accounts.models import User
from steward.clients.models import Client, Contact
from steward.demo.builder import DemoExists, build_demo
from steward.desk.choices import Impact, Urgency
from steward.desk.models import Ticket, TicketNumber
from steward.desk.services import DEFAULT_PRIORITY_MATRIX
from steward.work.choices import WorkType
from steward.work.models import TimeEntry

LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 3, 2)


@pytest.fixture
def fast_hashing(settings):
    """Builds that don't test logins need not pay for slow password hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def ticket_fingerprint():
    return list(Ticket.objects.order_by("number").values_list("number", "subject", "status", "created_at", "priority"))


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


@pytest.mark.django_db(transaction=True)
def test_demo_is_the_same_for_the_same_seed_and_day(fast_hashing):
    # given
    build_demo(seed=7, scale=0.05, today=TODAY)
    first = ticket_fingerprint()

    # when
    build_demo(seed=7, scale=0.05, today=TODAY, flush=True)
    again = ticket_fingerprint()
    build_demo(seed=8, scale=0.05, today=TODAY, flush=True)
    other = ticket_fingerprint()

    # then
    assert len(first) > 200
    assert first == again
    assert first != other


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
