"""Where the hours go: time entries aggregated by work type, technician, client, request
category, affected software, week or month.

Every figure is a GROUP BY in the database (never a loop over entries in Python), and
periods are bucketed in the provider's timezone (settings.TIME_ZONE), so "week 8" means
the provider's week 8 whatever the server's clock says. Only the provider's staff get
rows: time entries are internal, so client-side users get an empty report.
"""

import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, Count, IntegerField, Q, Sum, When
from django.db.models.functions import TruncDate, TruncMonth, TruncWeek

from steward.accounts.models import User
from steward.clients.models import Client, Contract
from steward.core.exceptions import DomainError
from steward.desk.models import Category, Software
from steward.work.choices import WorkType
from steward.work.models import TimeDay, TimeEntry

GROUPS = ("work_type", "technician", "client", "category", "software", "week", "month")
MAX_GROUPS = 2
MAX_PERIOD_DAYS = 5 * 366
FILTERS = ("technician", "client", "work_type", "billable")

# Columns each grouping reads; category and software come from the entry's ticket.
GROUP_COLUMNS = {
    "work_type": "work_type",
    "technician": "technician_id",
    "client": "client_id",
    "category": "ticket__category_id",
    "software": "ticket__software_id",
}
NO_LABEL = {
    "technician": "No technician",
    "client": "No client",
    "category": "No category",
    "software": "No software",
}


# A year of entries is a million rows: with PostgreSQL's default 4 MB the week buckets' aggregate
# and the join to tickets spill to disk (sort-based grouping, hash join in batches), which
# alone took these reports past one second. Just-in-time compilation cost more than it saved
# on these short scans. Both are set for the report's transaction only.
REPORT_WORK_MEM = "64MB"


@contextmanager
def report_transaction():
    """Run the report's queries in a transaction with room to aggregate in memory.

    Inside a caller's transaction the setting simply joins it: opening a nested block here
    would let a refused request (a ReportError) spoil the caller's transaction.
    """
    if connection.in_atomic_block:
        _tune_for_reports()
        yield
        return
    with transaction.atomic():
        _tune_for_reports()
        yield


def _tune_for_reports():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL work_mem = '{REPORT_WORK_MEM}'; SET LOCAL jit = off")


class ReportError(DomainError):
    """A report request that cannot be answered as asked (unknown grouping, bad period)."""


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive

    @property
    def days(self):
        return (self.end - self.start).days + 1

    def bounds(self):
        """The period as [from, until) instants, midnight to midnight in the provider's timezone."""
        zone = provider_zone()
        since = dt.datetime.combine(self.start, dt.time(), tzinfo=zone)
        until = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(), tzinfo=zone)
        return since, until

    def as_dict(self):
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


def provider_zone():
    return ZoneInfo(settings.TIME_ZONE)


def period(start, end) -> Period:
    """A checked reporting period; dates are inclusive."""
    if end < start:
        raise ReportError("The end of the period is before its start.", field="end")
    if (end - start).days >= MAX_PERIOD_DAYS:
        raise ReportError("Choose a period of at most five years.", field="end")
    return Period(start, end)


def check_group_by(group_by) -> list[str]:
    """The grouping as asked, or a ReportError naming ``group_by``."""
    group_by = list(dict.fromkeys(group_by or ()))
    unknown = [name for name in group_by if name not in GROUPS]
    if unknown:
        raise ReportError(f"Cannot group by {', '.join(unknown)}; choose from {', '.join(GROUPS)}.", field="group_by")
    if not 1 <= len(group_by) <= MAX_GROUPS:
        raise ReportError("Group by one or two of: " + ", ".join(GROUPS) + ".", field="group_by")
    if {"week", "month"} <= set(group_by):
        raise ReportError("Group by week or by month, not both.", field="group_by")
    return group_by


def entries_in(user, span: Period, filters=None):
    """The time entries of the period the user may see, with the report's filters applied."""
    since, until = span.bounds()
    entries = TimeEntry.objects.visible_to(user).filter(started_at__gte=since, started_at__lt=until)
    filters = filters or {}
    if filters.get("technician") is not None:
        entries = entries.filter(technician_id=filters["technician"])
    if filters.get("client") is not None:
        entries = entries.filter(client_id=filters["client"])
    if filters.get("work_type"):
        if filters["work_type"] not in WorkType.values:
            raise ReportError(
                f"Unknown work type {filters['work_type']!r}; choose from {', '.join(WorkType.values)}.",
                field="work_type",
            )
        entries = entries.filter(work_type=filters["work_type"])
    if filters.get("billable") is not None:
        entries = entries.filter(billable=filters["billable"])
    return entries.order_by()


def _bucket(name):
    zone = provider_zone()
    return TruncWeek("started_at", tzinfo=zone) if name == "week" else TruncMonth("started_at", tzinfo=zone)


def period_label(name, value) -> str:
    """"2026-W08" for a week, "2026-02" for a month."""
    value = value.date() if isinstance(value, dt.datetime) else value
    if name == "week":
        year, week, _ = value.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{value:%Y-%m}"


def period_labels(span: Period, bucket: str) -> list[str]:
    """Every week or month of the period, in order, so charts show the empty ones too."""
    labels, day = [], span.start
    while day <= span.end:
        labels.append(period_label(bucket, day))
        day += dt.timedelta(days=7) if bucket == "week" else dt.timedelta(days=32 - day.day)
    if labels[-1] != period_label(bucket, span.end):
        labels.append(period_label(bucket, span.end))
    return list(dict.fromkeys(labels))


def _grouped(entries, group_by):
    """values() + SUM/COUNT for the groups; returns (queryset, {group: column alias})."""
    aliases, buckets = {}, {}
    for name in group_by:
        if name in ("week", "month"):
            buckets[f"g_{name}"] = _bucket(name)
            aliases[name] = f"g_{name}"
        else:
            aliases[name] = GROUP_COLUMNS[name]
    rows = (
        entries.annotate(**buckets)
        .values(*aliases.values())
        .annotate(minutes=Sum("duration_minutes"), entries=Count("id"))
        .order_by(*buckets, "-minutes", *(alias for alias in aliases.values() if alias not in buckets))
    )
    return rows, aliases


def _labels(name, ids):
    """Display names for the ids of one grouping, in one query."""
    ids = [pk for pk in ids if pk is not None]
    if name == "technician":
        return {user.pk: user.display_name for user in User.objects.filter(pk__in=ids)}
    if name == "client":
        return dict(Client.objects.filter(pk__in=ids).values_list("pk", "name"))
    if name == "category":
        return {category.pk: str(category) for category in Category.objects.filter(pk__in=ids).select_related("parent")}
    if name == "software":
        return {software.pk: str(software) for software in Software.objects.filter(pk__in=ids)}
    return {}


@report_transaction()
def hours_report(user, *, start, end, group_by, filters=None) -> dict:
    """Hours and entry counts of the period grouped by one or two of GROUPS, largest groups first within periods."""
    span = period(start, end)
    group_by = check_group_by(group_by)
    rows, aliases = _grouped(entries_in(user, span, filters), group_by)
    raw = list(rows)
    labels = {
        name: _labels(name, {row[aliases[name]] for row in raw})
        for name in group_by
        if name in NO_LABEL
    }
    out = []
    for row in raw:
        item = {}
        for name in group_by:
            value = row[aliases[name]]
            if name in ("week", "month"):
                item[name] = period_label(name, value)
            elif name == "work_type":
                item[name] = value
            else:
                item[f"{name}_id"] = value
                item[name] = labels[name].get(value, NO_LABEL[name]) if value is not None else NO_LABEL[name]
        item["hours"] = round(row["minutes"] / 60, 2)
        item["entries"] = row["entries"]
        out.append(item)
    return {
        "period": span.as_dict(),
        "group_by": group_by,
        "rows": out,
        "total_hours": round(sum(row["minutes"] for row in raw) / 60, 2),
    }


def _reactive(user, start, end, filters=None):
    return entries_in(user, period(start, end), filters).filter(work_type=WorkType.REACTIVE)


def client_rates(client_ids, start, end) -> dict:
    """Hourly rate per client: the contract running during the period (the latest-starting if several), else
    the latest contract; clients without a contract are left out."""
    rates = {}
    contracts = Contract.objects.filter(client_id__in=client_ids).order_by("client_id", "-starts_on", "-pk")
    for contract in contracts.only("client_id", "starts_on", "ends_on", "hourly_rate"):
        active = contract.starts_on <= end and (contract.ends_on is None or contract.ends_on >= start)
        best = rates.get(contract.client_id)
        # Ordered newest first: the first contract seen is the latest; an active one beats it.
        if best is None or (active and not best[1]):
            rates[contract.client_id] = (contract.hourly_rate, active)
    return {client_id: rate for client_id, (rate, _) in rates.items()}


@report_transaction()
def reactive_cost_by_client(user, start, end, filters=None, limit=None) -> list[dict]:
    """Reactive hours per client with their cost (hours × the client's contract rate), costliest first."""
    rows = list(
        _reactive(user, start, end, filters)
        .filter(client__isnull=False)
        .values("client_id")
        .annotate(minutes=Sum("duration_minutes"), entries=Count("id"))
    )
    ids = [row["client_id"] for row in rows]
    names = _labels("client", ids)
    rates = client_rates(ids, start, end)
    out = []
    for row in rows:
        rate = rates.get(row["client_id"])
        hours = Decimal(row["minutes"]) / 60
        out.append(
            {
                "client_id": row["client_id"],
                "client": names.get(row["client_id"], NO_LABEL["client"]),
                "hours": round(float(hours), 2),
                "entries": row["entries"],
                "rate": None if rate is None else float(rate),
                "cost": round(float(hours * (rate or 0)), 2),
            }
        )
    out.sort(key=lambda row: (-row["cost"], -row["hours"], row["client"]))
    return out[:limit] if limit else out


@report_transaction()
def _top_reactive(user, start, end, name, limit, filters):
    column = GROUP_COLUMNS[name]
    rows = list(
        _reactive(user, start, end, filters)
        .filter(**{f"{column}__isnull": False})
        .values(column)
        .annotate(minutes=Sum("duration_minutes"), entries=Count("id"))
        .order_by("-minutes", column)[:limit]
    )
    names = _labels(name, [row[column] for row in rows])
    return [
        {
            f"{name}_id": row[column],
            name: names.get(row[column], NO_LABEL[name]),
            "hours": round(row["minutes"] / 60, 2),
            "entries": row["entries"],
        }
        for row in rows
    ]


def top_reactive_categories(user, start, end, limit=10, filters=None) -> list[dict]:
    """The request categories that took the most reactive hours."""
    return _top_reactive(user, start, end, "category", limit, filters)


def top_reactive_software(user, start, end, limit=10, filters=None) -> list[dict]:
    """The software whose tickets took the most reactive hours: where a client's software is inadequate."""
    return _top_reactive(user, start, end, "software", limit, filters)


@report_transaction()
def reactive_share_trend(user, start, end, by="week", filters=None) -> list[dict]:
    """Per week (or month): all hours, reactive hours and the reactive share in percent."""
    if by not in ("week", "month"):
        raise ReportError("The trend goes by week or by month.", field="group_by")
    rows = (
        entries_in(user, period(start, end), filters)
        .annotate(bucket=_bucket(by))
        .values("bucket")
        .annotate(
            minutes=Sum("duration_minutes"),
            reactive=Sum("duration_minutes", filter=Q(work_type=WorkType.REACTIVE), default=0),
        )
        .order_by("bucket")
    )
    return [
        {
            by: period_label(by, row["bucket"]),
            "hours": round(row["minutes"] / 60, 2),
            "reactive_hours": round(row["reactive"] / 60, 2),
            "reactive_share": round(100 * row["reactive"] / row["minutes"], 1) if row["minutes"] else 0.0,
        }
        for row in rows
    ]


def _trend_from(rows, bucket) -> list[dict]:
    """The reactive share trend out of hours by period × work type (saves the dashboard a pass over the entries)."""
    periods: dict[str, list[float]] = {}
    for row in rows:
        hours = periods.setdefault(row[bucket], [0.0, 0.0])
        hours[0] += row["hours"]
        if row["work_type"] == WorkType.REACTIVE:
            hours[1] += row["hours"]
    return [
        {
            bucket: label,
            "hours": round(total, 2),
            "reactive_hours": round(reactive, 2),
            "reactive_share": round(100 * reactive / total, 1) if total else 0.0,
        }
        for label, (total, reactive) in sorted(periods.items())
    ]


@report_transaction()
def interruptions(user, start, end, filters=None) -> list[dict]:
    """Per technician: how often reactive work pulled them off project work, on days they did project work.

    On each local day, project and reactive entries are taken in start order; a run of reactive
    entries with project work both before and after it that day is one interruption
    (project → reactive → project), and its hours are the hours lost to it.
    """
    filters = filters or {}
    # The day summaries are per technician and day only: a client, work-type or billable filter
    # picks single entries, which changes the days' order of work, so those read the entries.
    if any(filters.get(name) not in (None, "") for name in ("client", "work_type", "billable")):
        return _interruptions_from_entries(user, start, end, filters)
    span = period(start, end)
    days = TimeDay.objects.visible_to(user).filter(day__gte=span.start, day__lte=span.end, project_minutes__gt=0)
    if filters.get("technician") is not None:
        days = days.filter(technician_id=filters["technician"])
    raw = days.values_list("technician_id").annotate(
        days=Count("id"), interruptions=Sum("interruptions"), minutes=Sum("interrupted_minutes")
    ).order_by()
    return _interruption_rows(list(raw))


def _interruptions_from_entries(user, start, end, filters) -> list[dict]:
    """interruptions() straight from the entries, in one window pass: for filters the day summaries cannot apply."""
    project, reactive = WorkType.PROJECT, WorkType.REACTIVE
    entries = (
        entries_in(user, period(start, end), filters)
        .filter(work_type__in=(project, reactive))
        .annotate(
            day=TruncDate("started_at", tzinfo=provider_zone()),
            # A number rather than the work type's text: cheaper to carry through the window.
            is_project=Case(When(work_type=project, then=1), default=0, output_field=IntegerField()),
        )
        .values("technician_id", "started_at", "day", "is_project", "duration_minutes")
    )
    if entries.query.is_empty():
        return []
    sql, params = entries.query.sql_with_params()
    # One window pass over each technician's entries in start order, which the index on
    # (technician, started_at, ...) delivers without sorting a year of rows; days are then
    # summed up by GROUP BY. A day's interruptions are the returns to project work straight
    # after reactive work, less one when the day began with reactive work (that return is
    # the start of the project work, not a resumption). Reactive minutes between the day's
    # first and last project entries are the hours lost.
    query = f"""
        WITH ordered AS (
            SELECT e.technician_id, e.started_at, e.day, e.is_project,
                   LAG(e.is_project) OVER w AS previous_is_project,
                   LAG(e.day) OVER w AS previous_day,
                   SUM((1 - e.is_project) * e.duration_minutes) OVER w AS reactive_so_far
            FROM ({sql}) e
            WINDOW w AS (PARTITION BY e.technician_id ORDER BY e.started_at
                         ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
        ), days AS (
            SELECT o.technician_id, o.day,
                   SUM(CASE WHEN o.is_project = 1 AND o.previous_is_project = 0 AND o.previous_day = o.day
                            THEN 1 ELSE 0 END) AS returns,
                   MIN(CASE WHEN o.is_project = 1 THEN o.started_at END) AS first_project,
                   MIN(CASE WHEN o.is_project = 0 THEN o.started_at END) AS first_reactive,
                   MAX(CASE WHEN o.is_project = 1 THEN o.reactive_so_far END)
                       - MIN(CASE WHEN o.is_project = 1 THEN o.reactive_so_far END) AS lost
            FROM ordered o
            GROUP BY o.technician_id, o.day
        )
        SELECT d.technician_id,
               COUNT(d.first_project),
               SUM(d.returns - CASE WHEN d.first_reactive < d.first_project THEN 1 ELSE 0 END),
               SUM(COALESCE(d.lost, 0))
        FROM days d
        GROUP BY d.technician_id
    """
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        raw = cursor.fetchall()
    return _interruption_rows(raw)


def _interruption_rows(raw) -> list[dict]:
    """Report rows from (technician_id, project days, interruptions, interrupted minutes), most interrupted first."""
    names = _labels("technician", [row[0] for row in raw])
    # PostgreSQL sums integers as numeric (Decimal): whole numbers and floats, whichever path gave the row.
    raw = [(technician_id, days, int(count or 0), int(minutes or 0)) for technician_id, days, count, minutes in raw]
    out = [
        {
            "technician_id": technician_id,
            "technician": names.get(technician_id, NO_LABEL["technician"]),
            "project_days": days,
            "interruptions": count,
            "per_day": round(count / days, 2),
            "hours_lost": round(minutes / 60, 2),
        }
        for technician_id, days, count, minutes in raw
        if days
    ]
    out.sort(key=lambda row: (-row["per_day"], row["technician"]))
    return out


def long_period(span: Period) -> bool:
    """Past about four months, weekly bars get too thin: the dashboard goes by month."""
    return span.days > 120


@report_transaction()
def hours_dashboard(user, start, end, filters=None) -> dict:
    """Everything the hours dashboard shows, in a fixed number of queries whatever the volume."""
    span = period(start, end)
    bucket = "month" if long_period(span) else "week"
    by_work_type = hours_report(user, start=start, end=end, group_by=[bucket, "work_type"], filters=filters)
    totals = {}
    for row in by_work_type["rows"]:
        totals[row["work_type"]] = totals.get(row["work_type"], 0) + row["hours"]
    total = by_work_type["total_hours"]
    return {
        "period": span,
        "bucket": bucket,
        "periods": period_labels(span, bucket),
        "total_hours": total,
        "work_type_totals": [
            {"work_type": work_type, "hours": round(totals.get(work_type.value, 0), 2),
             "share": round(100 * totals.get(work_type.value, 0) / total, 1) if total else 0.0}
            for work_type in WorkType
        ],
        "by_work_type": by_work_type["rows"],
        "trend": _trend_from(by_work_type["rows"], bucket),
        "cost_by_client": reactive_cost_by_client(user, start, end, filters=filters),
        "categories": top_reactive_categories(user, start, end, limit=10, filters=filters),
        "software": top_reactive_software(user, start, end, limit=10, filters=filters),
        "interruptions": interruptions(user, start, end, filters=filters),
    }
