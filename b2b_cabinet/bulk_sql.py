"""Bulk writes for batch use-cases: thousands of rows in a few statements, values converted as ``save()`` does.

- :func:`bulk_insert` appends rows nobody needs back as instances (timeline events, outbox rows);
- :func:`update_rows` and :func:`bulk_set` write some fields of many rows by primary key.

On PostgreSQL an insert is one ``COPY … FROM STDIN`` and an update one
``UPDATE … FROM unnest(%s::type[], …)`` per :data:`CHUNK` rows. The per-row forms these replace
(``executemany``, one statement per row even when pipelined) cost the server a parse, a plan and
a round of constraint bookkeeping per row: for a 1C file of 10,000 status documents that was
50,000 statements and most of the import's time. Elsewhere (SQLite, in-process, no round trips)
one ``executemany`` is as fast and is kept.

``COPY`` goes through the driver's cursor directly, so it does not appear in ``connection.queries``
or pass through ``execute_wrapper`` hooks.

Django's ``bulk_create``/``bulk_update`` are not used on these paths: ``bulk_create`` builds a model
instance per row and ``bulk_update`` a ``CASE WHEN pk=… THEN …`` expression per row and field,
which alone took seconds for 10,000 rows.
"""

from __future__ import annotations

import re
from datetime import datetime

from django.db import transaction

#: Rows per ``UPDATE … FROM unnest(…)`` statement (arrays of this length per column).
CHUNK = 2000
#: Fields whose Python values the database driver adapts as they are (``get_db_prep_save`` is the
#: identity for them on PostgreSQL); calling it 350,000 times for a 1C file cost a second.
PLAIN_TYPES = frozenset({
    "AutoField", "BigAutoField", "SmallAutoField", "BigIntegerField", "IntegerField", "SmallIntegerField",
    "PositiveIntegerField", "PositiveBigIntegerField", "PositiveSmallIntegerField", "ForeignKey",
    "OneToOneField", "BooleanField", "CharField", "TextField", "SlugField", "EmailField",
})


def rows_per_batch(preferred: int = 2000) -> int:
    """How many rows one batch of a bulk use-case should hold: ``preferred``, or fewer where the
    database caps the parameters of one statement (Django's SQLite backend: 999), since a batch's
    ids go into ``IN (…)`` lists."""
    limit = transaction.get_connection().features.max_query_params
    return min(preferred, limit - 99) if limit else preferred


def _postgres(connection) -> bool:
    return connection.vendor == "postgresql"


def _aware_or_prepared(field):
    """A converter passing aware datetimes as they are (what ``get_db_prep_save`` returns for them)."""
    def convert(value, connection):
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value
        return field.get_db_prep_save(value, connection)
    return convert


def _converters(fields, connection) -> list:
    """Per column: None (pass the value as is) or a function ``(value, connection)`` preparing it."""
    if not _postgres(connection):
        return [f.get_db_prep_save for f in fields]
    converters = []
    for f in fields:
        kind = f.get_internal_type()
        converters.append(None if kind in PLAIN_TYPES else _aware_or_prepared(f) if kind == "DateTimeField"
                          else f.get_db_prep_save)
    return converters


def _prepared(values, converters, connection) -> list:
    return [v if c is None else c(v, connection) for v, c in zip(values, converters, strict=True)]


def bulk_insert(model, rows: list[dict]) -> None:
    """Insert ``rows`` (field name → value, the same names in every row); no instances are built.

    Foreign keys are given as ids under the field's name (``{"order": 12}``).
    """
    if not rows:
        return
    meta = model._meta
    connection = transaction.get_connection()
    quote = connection.ops.quote_name
    fields = [meta.get_field(name) for name in rows[0]]
    converters = _converters(fields, connection)
    table, columns = quote(meta.db_table), ", ".join(quote(f.column) for f in fields)
    with connection.cursor() as cursor:
        if _postgres(connection):
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(_prepared(row.values(), converters, connection))
            return
        sql = f"INSERT INTO {table} ({columns}) VALUES (" + ", ".join(["%s"] * len(fields)) + ")"
        cursor.executemany(sql, [_prepared(row.values(), converters, connection) for row in rows])


def _array_type(field, connection) -> str:
    # Cast character columns through text: a cast to varchar(n) would silently truncate, while
    # assigning text to the column raises on an over-long value, as a normal UPDATE does.
    db_type = field.rel_db_type(connection) if field.is_relation else field.db_type(connection)
    return "text" if re.match(r"(varchar|character varying)\b", db_type or "") else db_type


def update_rows(model, fields: list[str], rows: list[tuple]) -> None:
    """Set ``fields`` of ``model`` rows: each row is ``(pk, value, value, …)`` in the order of ``fields``."""
    if not rows:
        return
    meta = model._meta
    connection = transaction.get_connection()
    quote = connection.ops.quote_name
    columns = [meta.get_field(name) for name in fields]
    converters = [None, *_converters(columns, connection)]
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    prepared = [_prepared(row, converters, connection) for row in rows]
    with connection.cursor() as cursor:
        if not _postgres(connection):
            sql = (f"UPDATE {table} SET " + ", ".join(f"{quote(c.column)} = %s" for c in columns)
                   + f" WHERE {pk} = %s")
            cursor.executemany(sql, [[*row[1:], row[0]] for row in prepared])
            return
        names = ["pk", *(f"c{i}" for i in range(len(columns)))]
        types = [_array_type(meta.pk, connection), *(_array_type(c, connection) for c in columns)]
        sql = (f"UPDATE {table} SET " + ", ".join(f"{quote(c.column)} = v.c{i}" for i, c in enumerate(columns))
               + " FROM unnest(" + ", ".join(f"%s::{t}[]" for t in types) + f") AS v({', '.join(names)})"
               + f" WHERE {table}.{pk} = v.pk")
        for start in range(0, len(prepared), CHUNK):
            cursor.execute(sql, [list(column) for column in zip(*prepared[start:start + CHUNK], strict=True)])


def bulk_set(objs: list, fields: list[str]) -> None:
    """Write ``fields`` of ``objs`` (instances of one model) by primary key, as ``save(update_fields=…)`` would."""
    if not objs:
        return
    meta = objs[0]._meta
    attnames = [meta.get_field(name).attname for name in fields]
    update_rows(type(objs[0]), fields, [(obj.pk, *(getattr(obj, a) for a in attnames)) for obj in objs])
