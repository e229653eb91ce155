"""PostgreSQL connections: reading timestamps in the driver's C code."""

from datetime import UTC

from django.db.backends.signals import connection_created

try:
    from psycopg import postgres
    from psycopg.adapt import Loader
    from psycopg.pq import Format
except ImportError:  # SQLite-only installs
    postgres = None


def read_timestamps_in_c(sender, connection, **kwargs) -> None:
    """Load timestamptz columns with psycopg's own loader instead of Django's.

    Django registers a loader written in Python that parses every timestamp and then sets
    its zone; a batch of inbound mail reads thousands of them. The connection runs in UTC
    (Django sets it), so psycopg's loader, C code when installed, gives the same aware UTC
    datetimes. ``timezone`` is what Django's cursors check before registering theirs again.
    """
    if postgres is None or connection.vendor != "postgresql" or connection.timezone != UTC:
        return
    connection.connection.adapters.register_loader("timestamptz", UtcTimestampLoader)


if postgres is not None:
    _TIMESTAMPTZ = postgres.types["timestamptz"].oid

    class UtcTimestampLoader(Loader):
        """psycopg's timestamptz loader (C when installed), with the ``timezone`` Django looks for."""

        timezone = UTC

        def __init__(self, oid, context=None):
            super().__init__(oid, context)
            self._psycopg = postgres.adapters.get_loader(_TIMESTAMPTZ, Format.TEXT)(oid, context)
            # The driver calls ``load`` as found on the instance: psycopg's own, with no Python in between.
            self.load = self._psycopg.load

        def load(self, data):
            return self._psycopg.load(data)


def connect_signals() -> None:
    connection_created.connect(read_timestamps_in_c, dispatch_uid="steward-timestamps-in-c")
