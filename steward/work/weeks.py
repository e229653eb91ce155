"""ISO weeks ("2026-W02") as the unit of a timesheet, in the site's time zone."""

import datetime as dt
import re

from django.utils import timezone

WEEK_PATTERN = re.compile(r"^(\d{4})-W(\d{2})$")


def parse_week(week: str) -> dt.date:
    """The Monday of an ISO week string; ValueError for anything else."""
    match = WEEK_PATTERN.match(week or "")
    if not match or not 1 <= int(match[2]) <= 53:
        raise ValueError(f"Not a week: {week!r}. Use the form 2026-W02.")
    monday = dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
    return monday


def week_of(day: dt.date) -> str:
    year, number, _ = day.isocalendar()
    return f"{year}-W{number:02d}"


def current_week() -> str:
    return week_of(timezone.localdate())


def shift_week(week: str, weeks: int) -> str:
    return week_of(parse_week(week) + dt.timedelta(weeks=weeks))


def week_days(week: str) -> list[dt.date]:
    monday = parse_week(week)
    return [monday + dt.timedelta(days=offset) for offset in range(7)]


def day_start(day: dt.date) -> dt.datetime:
    """Local midnight of ``day`` as an aware datetime."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def week_range(week: str) -> tuple[dt.datetime, dt.datetime]:
    """[Monday 00:00, next Monday 00:00) in local time."""
    monday = parse_week(week)
    return day_start(monday), day_start(monday + dt.timedelta(days=7))
