"""`steward rebuild_time_days`: recompute the per-day work summaries the hours report reads."""

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError

from steward.work.days import rebuild_days


def _date(value):
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Not a date: {value!r}. Use YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = (
        "Recompute each technician's day summaries (project and reactive minutes, interruptions) from the time "
        "entries. Run it after loading time entries without going through Steward, e.g. an import."
    )

    def add_arguments(self, parser):
        parser.add_argument("--start", type=_date, help="first day to recompute (YYYY-MM-DD); default: the first")
        parser.add_argument("--end", type=_date, help="last day to recompute, included; default: the last")

    def handle(self, *args, start=None, end=None, **options):
        if start and end and end < start:
            raise CommandError("--end is before --start.")
        started = time.monotonic()
        written = rebuild_days(start, end)
        self.stdout.write(f"{written:,} technician-days summarised in {time.monotonic() - started:.1f} s.")
