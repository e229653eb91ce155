"""PostgreSQL timestamps are read by psycopg's own loader (C code), with the same aware UTC values."""

from datetime import UTC, datetime, timedelta, timezone

from django.db import connection

from steward.core.postgres import UtcTimestampLoader
from steward.core.testing import require_postgres
from steward.desk.models import Ticket
from steward.desk.services import open_ticket


def test_timestamps_come_back_as_the_same_instant_in_utc(db, client_a):
    require_postgres()
    paris_morning = datetime(2026, 3, 5, 10, 0, tzinfo=timezone(timedelta(hours=1)))
    ticket = open_ticket(None, client=client_a, subject="Printer", at=paris_morning)

    with connection.cursor() as cursor:
        cursor.execute("SELECT '2024-03-05 10:00:00+02'::timestamptz, NULL::timestamptz")
        assert cursor.fetchone() == (datetime(2024, 3, 5, 8, 0, tzinfo=UTC), None)
        assert isinstance(cursor.cursor.adapters.get_loader(1184, 0)(1184, cursor.cursor), UtcTimestampLoader)
    stored = Ticket.objects.get(pk=ticket.pk).created_at
    assert stored == paris_morning and stored.tzinfo is UTC and stored.hour == 9
