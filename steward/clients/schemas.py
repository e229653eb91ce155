"""API schemas for clients, sites, contacts, contracts and business hours."""

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from steward.clients.choices import Weekday
from steward.core.api import is_staff_request


class ClientRef(Schema):
    id: int
    name: str
    short_code: str


class SiteRef(Schema):
    id: int
    name: str


class ContactRef(Schema):
    id: int
    name: str
    email: str

    @staticmethod
    def resolve_name(obj):
        return obj.full_name


class StaffNotes(Schema):
    """The provider's internal notes: shown to staff, null for client-side users."""

    notes: str | None = Field(None, description="Internal notes; null unless the caller is staff.")

    @staticmethod
    def resolve_notes(obj, context):
        return obj.notes if is_staff_request(context) else None


# --- Clients --------------------------------------------------------------------


class ClientOut(StaffNotes):
    id: int
    name: str
    short_code: str
    email_domains: list[str]
    phone: str
    website: str
    industry: str
    is_active: bool
    send_acknowledgements: bool
    created_at: dt.datetime
    updated_at: dt.datetime


class ClientIn(Schema):
    name: str = Field(max_length=200)
    short_code: str = Field(max_length=16, description="2–16 capital letters, digits or dashes, e.g. ACME.")
    email_domains: list[str] = Field(default_factory=list, description="Mail from these domains files under this client.")
    phone: str = Field("", max_length=40)
    website: str = Field("", max_length=200)
    industry: str = Field("", max_length=100)
    notes: str = ""
    is_active: bool = True
    send_acknowledgements: bool = Field(True, description="Email a \"we have your request\" acknowledgement for new tickets.")


class ClientPatch(Schema):
    name: str = Field(None, max_length=200)
    short_code: str = Field(None, max_length=16)
    email_domains: list[str] = None
    phone: str = Field(None, max_length=40)
    website: str = Field(None, max_length=200)
    industry: str = Field(None, max_length=100)
    notes: str = None
    is_active: bool = None
    send_acknowledgements: bool = None


class ClientFilters(Schema):
    q: str | None = Field(None, description="Part of the name, or the exact short code.")
    is_active: bool | None = None


# --- Sites ----------------------------------------------------------------------


class SiteOut(Schema):
    id: int
    client: ClientRef
    name: str
    address: str
    city: str
    postcode: str
    country: str
    timezone: str
    phone: str


class SiteIn(Schema):
    client: int = Field(description="Id of the client the site belongs to.")
    name: str = Field(max_length=200)
    address: str = ""
    city: str = Field("", max_length=100)
    postcode: str = Field("", max_length=20)
    country: str = Field("", max_length=100)
    timezone: str = Field("UTC", max_length=64, description="IANA time zone, e.g. Europe/London.")
    phone: str = Field("", max_length=40)


class SitePatch(Schema):
    name: str = Field(None, max_length=200)
    address: str = None
    city: str = Field(None, max_length=100)
    postcode: str = Field(None, max_length=20)
    country: str = Field(None, max_length=100)
    timezone: str = Field(None, max_length=64)
    phone: str = Field(None, max_length=40)


class SiteFilters(Schema):
    client: int | None = None


# --- Contacts -------------------------------------------------------------------


class ContactOut(StaffNotes):
    id: int
    client: ClientRef
    site: SiteRef | None
    name: str
    first_name: str
    last_name: str
    email: str
    phone: str
    mobile: str
    title: str
    is_vip: bool
    is_active: bool
    portal_access: bool
    user_id: int | None = Field(description="The portal user linked to this contact, if any.")
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_name(obj):
        return obj.full_name


class ContactIn(Schema):
    client: int
    site: int | None = None
    first_name: str = Field(max_length=100)
    last_name: str = Field("", max_length=100)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    mobile: str = Field("", max_length=40)
    title: str = Field("", max_length=100)
    is_vip: bool = False
    is_active: bool = True
    portal_access: bool = False
    notes: str = ""


class ContactPatch(Schema):
    site: int | None = None
    first_name: str = Field(None, max_length=100)
    last_name: str = Field(None, max_length=100)
    email: str = Field(None, max_length=254)
    phone: str = Field(None, max_length=40)
    mobile: str = Field(None, max_length=40)
    title: str = Field(None, max_length=100)
    is_vip: bool = None
    is_active: bool = None
    portal_access: bool = None
    notes: str = None


class ContactFilters(Schema):
    client: int | None = None
    q: str | None = Field(None, description="Part of the name, email address or phone number.")


# --- Contracts ------------------------------------------------------------------


class ContractOut(StaffNotes):
    id: int
    client: ClientRef
    name: str
    starts_on: dt.date
    ends_on: dt.date | None
    included_hours_per_month: Decimal
    hourly_rate: Decimal
    covered_devices: int
    covered_users: int
    sla_plan: str


class ContractIn(Schema):
    client: int
    name: str = Field(max_length=200)
    starts_on: dt.date
    ends_on: dt.date | None = None
    included_hours_per_month: Decimal = Field(Decimal(0), ge=0, max_digits=7, decimal_places=2)
    hourly_rate: Decimal = Field(Decimal(0), ge=0, max_digits=9, decimal_places=2)
    covered_devices: int = Field(0, ge=0)
    covered_users: int = Field(0, ge=0)
    sla_plan: str = Field("", max_length=100)
    notes: str = ""


class ContractPatch(Schema):
    name: str = Field(None, max_length=200)
    starts_on: dt.date = None
    ends_on: dt.date | None = None
    included_hours_per_month: Decimal = Field(None, ge=0, max_digits=7, decimal_places=2)
    hourly_rate: Decimal = Field(None, ge=0, max_digits=9, decimal_places=2)
    covered_devices: int = Field(None, ge=0)
    covered_users: int = Field(None, ge=0)
    sla_plan: str = Field(None, max_length=100)
    notes: str = None


class ContractFilters(Schema):
    client: int | None = None


# --- Business hours -------------------------------------------------------------


class SlotSchema(Schema):
    weekday: Weekday = Field(description="0 = Monday … 6 = Sunday.")
    opens: dt.time
    closes: dt.time


class HolidaySchema(Schema):
    date: dt.date
    name: str = Field(max_length=100)


class BusinessHoursIn(Schema):
    timezone: str = Field(max_length=64, description="IANA time zone, e.g. Europe/London.")
    slots: list[SlotSchema] = Field(default_factory=list, description="Weekly opening slots; replaces the old ones.")
    holidays: list[HolidaySchema] = Field(default_factory=list, description="Closed days; replaces the old ones.")


class BusinessHoursOut(Schema):
    client_id: int
    timezone: str
    slots: list[SlotSchema]
    holidays: list[HolidaySchema]

    @staticmethod
    def resolve_slots(obj):
        return list(obj.slots.all())

    @staticmethod
    def resolve_holidays(obj):
        return list(obj.holidays.all())
