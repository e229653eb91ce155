"""Writing many rows' own values in one statement."""

from contextlib import nullcontext

from django.db import connection
from django.db.backends.utils import CursorDebugWrapper
from django.db.models import NOT_PROVIDED


def insert_rows(objects: list) -> list:
    """Insert new objects of one model and give them their keys, as ``bulk_create`` does.

    On PostgreSQL the rows go in with COPY. Django's bulk INSERT passes every value as a
    query parameter of its own, which Django and the driver then handle one by one in Python:
    for a batch of tickets that costs more than the database spends writing them. COPY takes
    the rows as one stream, escaped in the driver's C code; the keys are drawn from the
    table's sequence first. Elsewhere (SQLite), and for models COPY cannot fill as Django
    would (inherited tables, database-side defaults, generated columns), ``bulk_create``.
    """
    if not objects:
        return objects
    model = type(objects[0])
    meta = model._meta
    fields = meta.concrete_fields
    if (
        connection.vendor != "postgresql"
        or meta.parents
        or any(f.generated or f.db_default is not NOT_PROVIDED for f in fields)
    ):
        return model.objects.bulk_create(objects)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        db = cursor.db  # the connection itself: the module's proxy costs a lookup on every use
        for obj in objects:
            obj._prepare_related_fields_for_save(operation_name="bulk_create")
        new = [obj for obj in objects if obj.pk is None]
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(new)],
        )
        for obj, (key,) in zip(new, sorted(cursor.fetchall()), strict=True):
            obj.pk = key
        rows = [[field.get_db_prep_save(field.pre_save(obj, True), db) for field in fields] for obj in objects]

        def copy(sql, params, many, context):
            with db.wrap_database_errors, cursor.cursor.copy(sql) as stream:
                for row in rows:
                    stream.write_row(row)

        sql = f"COPY {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) FROM STDIN"
        logged = cursor.debug_sql(sql) if isinstance(cursor, CursorDebugWrapper) else nullcontext()
        with logged:
            # Through the connection's execute wrappers, so what watches its queries sees this one too.
            cursor._execute_with_wrappers(sql, None, False, copy)
    for obj in objects:
        obj._state.adding = False
        obj._state.db = db.alias
    return objects


def update_rows(objects, fields, *, only_where: dict | None = None) -> int:
    """Write ``fields`` of each object (all of one model) in one UPDATE joined to its values (arrays on PostgreSQL).

    ``only_where``: {field: value} a row must still have to be written; returns the rows written.

    What ``QuerySet.bulk_update`` does, without its CASE WHEN per field and row, whose
    building in Python costs more than the statement for a few hundred values.
    """
    if not objects:
        return 0
    meta = type(objects[0])._meta
    columns = [meta.pk, *(meta.get_field(name) for name in fields)]
    if connection.vendor == "postgresql":
        # One array per column, unnested: a short statement whatever the number of rows, which the
        # driver prepares once instead of going through a parameter per value.
        names = ", ".join(f"column{i + 1}" for i in range(len(columns)))
        source = f"unnest({', '.join(f'%s::{f.cast_db_type(connection)}[]' for f in columns)}) AS v({names})"
        params = [[f.get_db_prep_save(getattr(obj, f.attname), connection) for obj in objects] for f in columns]
    else:
        # A VALUES list's columns are column1, column2…
        source = f"(VALUES {', '.join(['(' + ', '.join(['%s'] * len(columns)) + ')'] * len(objects))}) AS v"
        params = [f.get_db_prep_save(getattr(obj, f.attname), connection) for obj in objects for f in columns]
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    assignments = ", ".join(f"{quote(f.column)} = v.column{i + 1}" for i, f in enumerate(columns) if i)
    conditions = ""
    for name, value in (only_where or {}).items():
        field = meta.get_field(name)
        conditions += f" AND {table}.{quote(field.column)} = %s"
        params.append(field.get_db_prep_save(value, connection))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {assignments} FROM {source} "
            f"WHERE {table}.{quote(meta.pk.column)} = v.column1{conditions}",
            params,
        )
        return cursor.rowcount
