"""API schemas for time entries, timesheets, capacity, absences and the timer."""

import datetime as dt

from ninja import Field, Schema
from pydantic import field_validator

from steward.accounts.schemas import UserRef
from steward.clients.schemas import ClientRef
from steward.core.api import plus_from_query
from steward.work.choices import AbsenceKind, EntryStatus, WorkType


class TicketRef(Schema):
    id: int
    number: int
    subject: str


class TimeEntryOut(Schema):
    id: int
    technician: UserRef
    ticket: TicketRef | None
    client: ClientRef | None
    task: int | None = Field(description="Project task id, for project work.")
    started_at: dt.datetime
    duration_minutes: int
    hours: float
    work_type: WorkType
    billable: bool
    note: str
    status: EntryStatus
    created_at: dt.datetime

    @staticmethod
    def resolve_task(obj):
        return obj.task_id


class TimeEntryIn(Schema):
    ticket: int | None = Field(None, description="Ticket number; the client then follows from the ticket.")
    task: int | None = Field(None, description="Project task id; the client then follows from its project.")
    client: int | None = Field(None, description="Client id, for work not tied to a ticket.")
    technician: int | None = Field(None, description="User id; defaults to the token's user.")
    duration_minutes: int = Field(ge=1, le=24 * 60)
    work_type: WorkType | None = Field(
        None, description="Defaults from what the time is for: task → project, change ticket → proactive, other ticket → reactive, else admin."
    )
    billable: bool = True
    note: str = ""
    started_at: dt.datetime | None = Field(None, description="Defaults to now minus the duration.")


class TimeEntryPatch(Schema):
    started_at: dt.datetime = None
    duration_minutes: int = Field(None, ge=1, le=24 * 60)
    work_type: WorkType = None
    billable: bool = None
    note: str = None


class TimeEntryFilters(Schema):
    technician: int | None = None
    client: int | None = None
    ticket: int | None = Field(None, description="Ticket number.")
    work_type: WorkType | None = None
    started_after: dt.datetime | None = Field(None, description="Inclusive, ISO 8601.")
    started_before: dt.datetime | None = Field(None, description="Exclusive, ISO 8601.")

    _restore_plus = field_validator("started_after", "started_before", mode="before")(plus_from_query)


class TimesheetRowOut(Schema):
    key: str = Field(description="ticket-<id>, task-<id> or client-<id or 0>-<work type>.")
    label: str
    ticket: TicketRef | None
    task: int | None
    client: ClientRef | None
    work_type: WorkType
    billable: bool
    minutes: list[int] = Field(description="Minutes on each day, Monday to Sunday.")
    total_minutes: int

    @staticmethod
    def resolve_task(obj):
        return obj.task.pk if obj.task else None

    @staticmethod
    def resolve_total_minutes(obj):
        return obj.total


class AbsenceOut(Schema):
    id: int
    technician: UserRef
    kind: AbsenceKind
    starts_on: dt.date
    ends_on: dt.date
    hours_per_day: float | None = Field(description="Hours away on each day; null: whole days.")
    note: str


class TimesheetOut(Schema):
    technician: UserRef
    week: str
    status: EntryStatus
    return_reason: str = Field(description="Why a manager returned the week, until it is submitted again.")
    days: list[dt.date]
    rows: list[TimesheetRowOut]
    day_totals: list[int]
    week_total_minutes: int
    expected_hours: float = Field(description="Working hours of the week from capacity, minus absences.")
    absences: list[AbsenceOut]

    @staticmethod
    def resolve_week_total_minutes(obj):
        return obj.week_total


class WeekChangeOut(Schema):
    week: str
    status: EntryStatus
    entries: int = Field(description="How many entries changed.")


class ReturnIn(Schema):
    reason: str = Field(min_length=1, max_length=500)


class AbsenceIn(Schema):
    technician: int | None = Field(None, description="User id; defaults to the token's user.")
    kind: AbsenceKind = AbsenceKind.LEAVE
    starts_on: dt.date
    ends_on: dt.date | None = Field(None, description="Defaults to starts_on.")
    hours_per_day: float | None = Field(None, gt=0, le=24, description="Null: whole days.")
    note: str = Field("", max_length=200)


class AbsenceFilters(Schema):
    technician: int | None = None
    ending_after: dt.date | None = Field(None, description="Only absences ending on or after this day.")


class CapacityOut(Schema):
    technician: UserRef
    weekly_hours: float
    work_days: str = Field(description='ISO weekdays worked, "12345" = Monday to Friday.')
    target_utilisation: float = Field(description="Billable share of available hours aimed at, 0–1.")


class CapacityIn(Schema):
    weekly_hours: float = Field(ge=0, le=80)
    work_days: str = Field("12345", pattern=r"^[1-7]{1,7}$")
    target_utilisation: float = Field(0.8, ge=0, le=1)


class TimerOut(Schema):
    running: bool
    started_at: dt.datetime | None = None
    elapsed_seconds: int | None = None
    ticket: TicketRef | None = None
    task: int | None = None
    client: ClientRef | None = None
    work_type: WorkType | None = None
    note: str = ""


class TimerStartIn(Schema):
    ticket: int | None = Field(None, description="Ticket number.")
    task: int | None = Field(None, description="Project task id.")
    client: int | None = Field(None, description="Client id, for work on neither.")
    work_type: WorkType | None = None
    note: str = ""
