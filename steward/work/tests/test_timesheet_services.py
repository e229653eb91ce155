"""Timesheet rules: default work types, locked weeks, approval, copying, timers, capacity and absences."""

import datetime as dt

import pytest
from django.utils import timezone

from steward.core.exceptions import Conflict, NotPermitted
from steward.desk import services as desk_services
from steward.work import services
from steward.work.choices import AbsenceKind, EntryStatus, WorkEvent, WorkType
from steward.work.models import Capacity, RunningTimer, TimeEntry
from steward.work.services import CapacityError, TimeEntryError, TimerError

WEEK = "2026-W02"  # Monday 5 to Sunday 11 January 2026


def at(day, hour=9):
    return timezone.make_aware(dt.datetime(2026, 1, day, hour))


def test_default_work_type_follows_what_the_time_is_for(technician, client_a, ticket_a, acme_task):
    change = desk_services.open_ticket(technician, client=client_a, subject="Move the firewall", type="change")
    assert services.default_work_type(task=acme_task) == WorkType.PROJECT
    assert services.default_work_type(ticket=change) == WorkType.PROACTIVE
    assert services.default_work_type(ticket=ticket_a) == WorkType.REACTIVE
    assert services.default_work_type() == WorkType.ADMIN
    assert services.log_time(technician, ticket=change, duration_minutes=10).work_type == WorkType.PROACTIVE
    assert services.log_time(technician, ticket=change, duration_minutes=10, work_type="reactive").work_type == "reactive"


def test_log_time_on_a_task_takes_the_projects_client_and_announces_it(technician, acme_task, published):
    entry = services.log_time(technician, task=acme_task, duration_minutes=90)
    assert entry.client_id == acme_task.project.client_id and entry.work_type == WorkType.PROJECT
    assert (WorkEvent.TIME_CHANGED, {"technician_id": technician.pk, "task_id": acme_task.pk}) in published


def test_log_time_on_a_ticket_and_a_task_together_is_refused(technician, ticket_a, acme_task):
    with pytest.raises(TimeEntryError) as error:
        services.log_time(technician, ticket=ticket_a, task=acme_task, duration_minutes=10)
    assert error.value.field == "task"


def test_submitted_entries_are_locked_for_the_technician_but_not_for_an_admin(technician, admin_user, client_a):
    entry = services.log_time(technician, client=client_a, duration_minutes=60, started_at=at(5))
    assert services.submit_week(technician, WEEK) == 1
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED
    with pytest.raises(NotPermitted, match="ask a manager"):
        services.update_time_entry(entry, {"duration_minutes": 30}, actor=technician)
    with pytest.raises(NotPermitted):
        services.delete_time_entry(technician, entry)
    with pytest.raises(TimeEntryError, match="already submitted"):
        services.log_time(technician, client=client_a, duration_minutes=5, started_at=at(6))
    services.update_time_entry(entry, {"duration_minutes": 30}, actor=admin_user)
    entry.refresh_from_db()
    assert entry.duration_minutes == 30


def test_only_admins_approve_and_return_weeks(technician, other_technician, admin_user, client_a):
    entry = services.log_time(technician, client=client_a, duration_minutes=60, started_at=at(5))
    services.submit_week(technician, WEEK)
    with pytest.raises(NotPermitted):
        services.approve_week(other_technician, technician, WEEK)
    assert services.approve_week(admin_user, technician, WEEK) == 1
    entry.refresh_from_db()
    assert (entry.status, entry.approved_by) == (EntryStatus.APPROVED, admin_user) and entry.approved_at
    with pytest.raises(TimeEntryError, match="correct"):
        services.return_week(admin_user, technician, WEEK, "  ")
    services.return_week(admin_user, technician, WEEK, "Monday is missing the Acme visit")
    entry.refresh_from_db()
    assert entry.status == EntryStatus.DRAFT and entry.approved_by is None
    assert entry.return_reason == "Monday is missing the Acme visit"
    services.update_time_entry(entry, {"duration_minutes": 120}, actor=technician)  # editable again


def test_submitting_an_empty_week_or_approving_an_unsubmitted_one_is_refused(technician, admin_user):
    with pytest.raises(Conflict, match="no draft time"):
        services.submit_week(technician, WEEK)
    with pytest.raises(Conflict, match="has not submitted"):
        services.approve_week(admin_user, technician, WEEK)


def test_copy_last_week_copies_non_ticket_work_onto_free_days(technician, client_a, ticket_a, acme_task):
    # given last week: a task on Monday, admin on Tuesday, proactive on Wednesday, a ticket on Thursday
    services.log_time(technician, task=acme_task, duration_minutes=120, started_at=at(5))
    services.log_time(technician, duration_minutes=30, started_at=at(6), work_type=WorkType.ADMIN)
    services.log_time(technician, client=client_a, duration_minutes=45, started_at=at(7), work_type=WorkType.PROACTIVE)
    services.log_time(technician, ticket=ticket_a, duration_minutes=60, started_at=at(8))
    # and this week Monday is already filled, Tuesday is a holiday
    services.log_time(technician, client=client_a, duration_minutes=15, started_at=at(12))
    services.add_absence(technician, starts_on=dt.date(2026, 1, 13), ends_on=dt.date(2026, 1, 13), kind=AbsenceKind.HOLIDAY)

    copied = services.copy_last_week(technician, "2026-W03")

    # then only Wednesday's proactive work is copied, as a draft on Wednesday
    assert copied == 1
    copy = TimeEntry.objects.get(technician=technician, started_at=at(14))
    assert (copy.client, copy.work_type, copy.duration_minutes, copy.status) == (client_a, "proactive", 45, "draft")


def test_set_day_minutes_creates_updates_merges_and_deletes(technician, ticket_a):
    day = dt.date(2026, 1, 6)
    services.set_day_minutes(technician, technician, day, 90, ticket=ticket_a)
    services.log_time(technician, ticket=ticket_a, duration_minutes=10, started_at=at(6, 15), note="second run")
    services.set_day_minutes(technician, technician, day, 60, ticket=ticket_a)
    entries = list(TimeEntry.objects.filter(ticket=ticket_a))
    assert [entry.duration_minutes for entry in entries] == [60] and entries[0].note == "second run"
    services.set_day_minutes(technician, technician, day, 0, ticket=ticket_a)
    assert not TimeEntry.objects.exists()


def test_stop_timer_logs_whole_minutes_rounded_up(technician, ticket_a):
    services.start_timer(technician, ticket=ticket_a)
    RunningTimer.objects.filter(technician=technician).update(started_at=timezone.now() - dt.timedelta(minutes=4, seconds=5))
    entry = services.stop_timer(technician)
    assert (entry.duration_minutes, entry.ticket, entry.work_type) == (5, ticket_a, WorkType.REACTIVE)
    assert not RunningTimer.objects.exists()


def test_starting_a_timer_stops_and_logs_the_running_one(technician, ticket_a, acme_task):
    services.start_timer(technician, ticket=ticket_a)
    timer = services.start_timer(technician, task=acme_task)
    assert TimeEntry.objects.get().ticket == ticket_a and TimeEntry.objects.get().duration_minutes == 1
    assert timer.task == acme_task and timer.client_id == acme_task.project.client_id


def test_timer_over_a_day_is_refused_and_can_be_discarded(technician, client_a):
    services.start_timer(technician, client=client_a)
    RunningTimer.objects.update(started_at=timezone.now() - dt.timedelta(hours=25))
    with pytest.raises(TimerError, match="by hand"):
        services.stop_timer(technician)
    services.discard_timer(technician)
    assert not RunningTimer.objects.exists() and not TimeEntry.objects.exists()
    with pytest.raises(TimerError, match="No timer"):
        services.stop_timer(technician)


def test_set_capacity_validates_and_announces(technician, admin_user, published):
    capacity = services.set_capacity(technician, 24, "531", 0.7, actor=admin_user)
    assert (capacity.weekly_hours, capacity.work_days) == (24, "135")
    assert (WorkEvent.CAPACITY_CHANGED, {"technician_id": technician.pk}) in published
    with pytest.raises(CapacityError) as error:
        services.set_capacity(technician, 90, "12345", 0.8)
    assert error.value.field == "weekly_hours"
    with pytest.raises(CapacityError):
        services.set_capacity(technician, 40, "890", 0.8)
    with pytest.raises(NotPermitted):
        services.set_capacity(technician, 40, "12345", 0.8, actor=technician)
    assert Capacity.objects.get().weekly_hours == 24


def test_absences_refuse_bad_dates_and_overlaps(technician, other_technician):
    with pytest.raises(CapacityError) as error:
        services.add_absence(technician, starts_on=dt.date(2026, 2, 3), ends_on=dt.date(2026, 2, 1))
    assert error.value.field == "ends_on"
    absence = services.add_absence(technician, starts_on=dt.date(2026, 2, 2), ends_on=dt.date(2026, 2, 6))
    with pytest.raises(Conflict, match="already away"):
        services.add_absence(technician, starts_on=dt.date(2026, 2, 6), ends_on=dt.date(2026, 2, 9))
    with pytest.raises(NotPermitted):
        services.remove_absence(absence, actor=other_technician)
    services.remove_absence(absence, actor=technician)
    services.add_absence(technician, starts_on=dt.date(2026, 2, 6), ends_on=dt.date(2026, 2, 9), kind=AbsenceKind.TRAINING)
