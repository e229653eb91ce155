"""Long text columns compressed with LZ4 instead of PostgreSQL's default pglz.

PostgreSQL compresses a text value over about 2 KB when the row is written. With pglz that
costs as much as the rest of inserting a ticket whose description is a long email; LZ4
(PostgreSQL 14 and later, when built with it, as Debian's and the official images are)
is several times faster at a similar ratio. Existing values stay as they are until written
again. Other databases, and servers without LZ4, keep their default: nothing else changes.
"""

import logging

from django.db import DatabaseError, migrations, transaction

log = logging.getLogger(__name__)


def compress_with_lz4(table: str, *columns: str) -> migrations.RunPython:
    """A migration operation: LZ4 for these columns of ``table`` where the server can, else nothing."""

    def forwards(apps, schema_editor):
        connection = schema_editor.connection
        if connection.vendor != "postgresql" or connection.pg_version < 140000:
            return
        quote = connection.ops.quote_name
        for column in columns:
            try:
                with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
                    cursor.execute(f"ALTER TABLE {quote(table)} ALTER COLUMN {quote(column)} SET COMPRESSION lz4")
            except DatabaseError as exc:  # a server built without LZ4
                log.warning("%s.%s keeps the default compression: %s", table, column, exc)

    return migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)
