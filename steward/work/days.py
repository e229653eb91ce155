"""Each technician's local day summed up: project and reactive minutes, and how often reactive
work interrupted project work.

The hours report sums these rows instead of ordering a year of entries. The services refresh
a technician's days inside the transaction that changes their entries; whatever writes
entries in bulk (the demo, imports, benchmarks) calls ``rebuild_days`` afterwards, and
``steward rebuild_time_days`` does it for a whole install.
"""

import datetime as dt
from itertools import groupby
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q

from steward.work.choices import WorkType

PROJECT, REACTIVE = WorkType.PROJECT.value, WorkType.REACTIVE.value
SUMMARY_FIELDS = ("project_minutes", "reactive_minutes", "interruptions", "interrupted_minutes")
BATCH = 5000
# First key of the PostgreSQL advisory lock taken per technician while their days are recomputed.
LOCK_SPACE = 7407


def provider_zone():
    return ZoneInfo(settings.TIME_ZONE)


def local_day(instant: dt.datetime) -> dt.date:
    """The provider's calendar day of an instant (not the server's, nor the viewer's)."""
    return instant.astimezone(provider_zone()).date()


def day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=provider_zone())


def summarise_day(entries) -> tuple[int, int, int, int]:
    """(project_minutes, reactive_minutes, interruptions, interrupted_minutes) of one technician's day.

    ``entries`` are (started_at, work_type, duration_minutes) of that day in any order; work
    types other than project and reactive are left out. In start order, a run of reactive
    entries with project work both before and after it is one interruption, and its minutes
    are interrupted minutes. Reactive work before the day's first or after its last project
    entry interrupts nothing.
    """
    work = sorted((entry for entry in entries if entry[1] in (PROJECT, REACTIVE)), key=lambda entry: entry[0])
    project = sum(minutes for _, kind, minutes in work if kind == PROJECT)
    reactive = sum(minutes for _, kind, minutes in work if kind == REACTIVE)
    interruptions = interrupted = 0
    seen_project, run_minutes, in_run = False, 0, False
    for _, kind, minutes in work:
        if kind == PROJECT:
            if in_run:
                interruptions += 1
                interrupted += run_minutes
            seen_project, run_minutes, in_run = True, 0, False
        elif seen_project:
            run_minutes += minutes
            in_run = True
    return project, reactive, interruptions, interrupted


def _models(entry_model=None, day_model=None):
    if entry_model is None or day_model is None:
        from steward.work.models import TimeDay, TimeEntry

        return entry_model or TimeEntry, day_model or TimeDay
    return entry_model, day_model


def _rows(day_model, grouped):
    """TimeDay rows for ((technician_id, day), entries) groups; days without project or reactive work give none."""
    for (technician_id, day), entries in grouped:
        summary = summarise_day(entries)
        if summary[0] or summary[1]:
            yield day_model(technician_id=technician_id, day=day, **dict(zip(SUMMARY_FIELDS, summary, strict=True)))


def _lock(technician_id):
    # Two transactions changing one technician's entries at once would each write a summary
    # missing the other's change; the second waits here and then reads both.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_SPACE, technician_id])


@transaction.atomic
def refresh_days(technician_id, days) -> None:
    """Recompute and store the technician's TimeDay rows of ``days`` (local dates) from their entries."""
    TimeEntry, TimeDay = _models()
    days = sorted(set(days))
    if not days:
        return
    _lock(technician_id)
    spans = Q()
    for day in days:
        spans |= Q(started_at__gte=day_start(day), started_at__lt=day_start(day + dt.timedelta(days=1)))
    entries = (
        TimeEntry.objects.filter(spans, technician_id=technician_id, work_type__in=(PROJECT, REACTIVE))
        .order_by("started_at", "id")
        .values_list("started_at", "work_type", "duration_minutes")
    )
    by_day = {}
    for entry in entries:
        by_day.setdefault(local_day(entry[0]), []).append(entry)
    rows = list(_rows(TimeDay, (((technician_id, day), by_day[day]) for day in days if day in by_day)))
    if rows:
        TimeDay.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["technician", "day"], update_fields=SUMMARY_FIELDS
        )
    TimeDay.objects.filter(technician_id=technician_id, day__in=days).exclude(
        day__in=[row.day for row in rows]
    ).delete()


def rebuild_days(start: dt.date | None = None, end: dt.date | None = None, *, entry_model=None, day_model=None) -> int:
    """Recompute every technician's TimeDay rows from ``start`` to ``end`` (local dates, inclusive; None: no
    bound) in one ordered pass over the entries; returns how many rows were written.

    For after bulk loads that bypass the services. ``entry_model``/``day_model`` let a migration pass its
    historical models.
    """
    TimeEntry, TimeDay = _models(entry_model, day_model)
    entries = TimeEntry.objects.filter(work_type__in=(PROJECT, REACTIVE))
    stored = TimeDay.objects.all()
    if start is not None:
        entries = entries.filter(started_at__gte=day_start(start))
        stored = stored.filter(day__gte=start)
    if end is not None:
        entries = entries.filter(started_at__lt=day_start(end + dt.timedelta(days=1)))
        stored = stored.filter(day__lte=end)
    # Each technician's entries in start order (the report index delivers them sorted), so each
    # technician-day arrives as one consecutive group.
    ordered = (
        entries.order_by("technician_id", "started_at", "id")
        .values_list("technician_id", "started_at", "work_type", "duration_minutes")
        .iterator(chunk_size=BATCH)
    )
    grouped = groupby(ordered, key=lambda entry: (entry[0], local_day(entry[1])))
    written = 0
    with transaction.atomic():
        stored.delete()
        batch = []
        for row in _rows(TimeDay, ((key, [entry[1:] for entry in group]) for key, group in grouped)):
            batch.append(row)
            if len(batch) == BATCH:
                TimeDay.objects.bulk_create(batch)
                written, batch = written + len(batch), []
        TimeDay.objects.bulk_create(batch)
        written += len(batch)
    return written
