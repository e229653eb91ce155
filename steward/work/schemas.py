"""API schemas for time entries."""

import datetime as dt

from ninja import Field, Schema
from pydantic import field_validator

from steward.accounts.schemas import UserRef
from steward.clients.schemas import ClientRef
from steward.core.api import plus_from_query
from steward.work.choices import WorkType


class TicketRef(Schema):
    id: int
    number: int
    subject: str


class TimeEntryOut(Schema):
    id: int
    technician: UserRef
    ticket: TicketRef | None
    client: ClientRef | None
    started_at: dt.datetime
    duration_minutes: int
    hours: float
    work_type: WorkType
    billable: bool
    note: str
    created_at: dt.datetime


class TimeEntryIn(Schema):
    ticket: int | None = Field(None, description="Ticket number; the client then follows from the ticket.")
    client: int | None = Field(None, description="Client id, for work not tied to a ticket.")
    technician: int | None = Field(None, description="User id; defaults to the token's user.")
    duration_minutes: int = Field(ge=1, le=24 * 60)
    work_type: WorkType = WorkType.REACTIVE
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
