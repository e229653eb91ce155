"""Timesheet grid numbers, available hours and utilisation."""

import datetime as dt

from django.utils import timezone

from steward.work import queries, services
from steward.work.choices import AbsenceKind, WorkType

WEEK = "2026-W02"  # Monday 5 to Sunday 11 January 2026


def at(day, hour=9):
    return timezone.make_aware(dt.datetime(2026, 1, day, hour))


def test_timesheet_has_a_row_per_ticket_task_and_client_work_type_with_totals(technician, client_a, ticket_a, acme_task):
    # given time on a ticket (twice on Monday), a task and proactive client work, and one entry the week after
    services.log_time(technician, ticket=ticket_a, duration_minutes=30, started_at=at(5))
    services.log_time(technician, ticket=ticket_a, duration_minutes=15, started_at=at(5, 14))
    services.log_time(technician, task=acme_task, duration_minutes=120, started_at=at(6))
    services.log_time(technician, client=client_a, duration_minutes=60, started_at=at(6, 13), work_type=WorkType.PROACTIVE,
                      billable=False)
    services.log_time(technician, client=client_a, duration_minutes=60, started_at=at(12))
    services.add_absence(technician, starts_on=dt.date(2026, 1, 9), ends_on=dt.date(2026, 1, 9), kind=AbsenceKind.LEAVE)

    sheet = queries.timesheet(technician, WEEK)

    rows = {row.key: row for row in sheet.rows}
    assert set(rows) == {f"ticket-{ticket_a.pk}", f"task-{acme_task.pk}", f"client-{client_a.pk}-proactive"}
    assert rows[f"ticket-{ticket_a.pk}"].minutes == [45, 0, 0, 0, 0, 0, 0]
    assert rows[f"client-{client_a.pk}-proactive"].billable is False
    assert sheet.day_totals == [45, 180, 0, 0, 0, 0, 0] and sheet.week_total == 225
    assert sheet.status == "draft" and [absence.kind for absence in sheet.absences] == ["leave"]
    assert sheet.expected_hours == 32  # 40 h Monday to Friday, Friday away


def test_timesheet_status_follows_its_entries(technician, admin_user, client_a):
    services.log_time(technician, client=client_a, duration_minutes=60, started_at=at(5))
    services.submit_week(technician, WEEK)
    assert queries.timesheet(technician, WEEK).status == "submitted"
    services.approve_week(admin_user, technician, WEEK)
    assert queries.timesheet(technician, WEEK).locked
    services.return_week(admin_user, technician, WEEK, "Split Monday")
    sheet = queries.timesheet(technician, WEEK)
    assert (sheet.status, sheet.return_reason) == ("draft", "Split Monday")


def test_available_hours_spread_part_time_weeks_and_subtract_absences(technician, other_technician, admin_user):
    # given Tom works 24 h on Mon, Wed, Fri and is away half of Wednesday; Tara has no capacity row
    services.set_capacity(technician, 24, "135", 0.8)
    services.add_absence(technician, starts_on=dt.date(2026, 1, 7), ends_on=dt.date(2026, 1, 7), hours_per_day=4)
    services.add_absence(other_technician, starts_on=dt.date(2026, 1, 8), ends_on=dt.date(2026, 1, 20))

    hours = queries.available_hours([technician.pk, other_technician.pk], dt.date(2026, 1, 5), dt.date(2026, 1, 11))

    assert list(hours[technician.pk].values()) == [8, 0, 4, 0, 8, 0, 0]
    assert list(hours[other_technician.pk].values()) == [8, 8, 8, 0, 0, 0, 0]


def test_utilisation_is_billable_over_available_hours(technician, client_a):
    services.set_capacity(technician, 20, "12345", 0.5)
    services.log_time(technician, client=client_a, duration_minutes=300, started_at=at(5))
    services.log_time(technician, client=client_a, duration_minutes=120, started_at=at(6), billable=False)
    result = queries.utilisation(technician, dt.date(2026, 1, 5), dt.date(2026, 1, 9))
    assert (result.logged_hours, result.billable_hours, result.available_hours) == (7, 5, 20)
    assert result.rate == 0.25 and result.below_target


def test_weeks_awaiting_approval_total_by_work_type(technician, other_technician, client_a, acme_task):
    services.log_time(technician, task=acme_task, duration_minutes=120, started_at=at(5))
    services.log_time(technician, client=client_a, duration_minutes=30, started_at=at(6), work_type=WorkType.ADMIN)
    services.log_time(other_technician, client=client_a, duration_minutes=30, started_at=at(6))
    services.submit_week(technician, WEEK)
    [item] = queries.weeks_awaiting_approval()
    assert (item.technician, item.week, item.total_minutes) == (technician, WEEK, 150)
    assert dict(item.by_work_type) == {"Reactive": 0, "Proactive": 0, "Project": 120, "Admin": 30}
