"""Two database tools for the few paths that handle a whole national campaign at once (the
scores of 5,000 organizations, the survey counters): the ORM defines the query, the driver
does the work.

- :func:`raw_rows` runs a ``values_list`` queryset and returns the rows as the driver gives
  them, without Django's per-value converters (a few microseconds each, which is most of the
  time for tens of thousands of values). The caller knows the raw forms: booleans may be 0/1,
  a JSON column is text (both on SQLite and, as Django configures psycopg, on PostgreSQL), a
  date-time is text on SQLite — fine to copy back unchanged into a column of the same kind.
- :func:`upsert` writes rows with ``INSERT … ON CONFLICT … DO UPDATE`` (SQLite ≥ 3.24 and
  PostgreSQL alike; on PostgreSQL the rows are sent as one array per column, or thousands of
  them by COPY), rows in key order so that two transactions touching the same rows never
  deadlock; the update either sets the new values or adds them to the stored ones (counters).
- :func:`ids_where` selects rows by a list of ids without sending thousands of parameters
  when the ids are dense (a national campaign's assessments): a range, the extra rows to be
  dropped by the caller.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connections, transaction
from django.db.models import Field, Model, Q, QuerySet

BATCH_VALUES = 4000  # parameters per statement, well under SQLite's limit
COPY_AT_LEAST = 1000  # rows: on PostgreSQL, fewer go as arrays in one statement
DENSE_AT_LEAST = 64  # fewer ids are always listed: a short IN list costs nothing


def raw_rows(queryset: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """The rows of ``queryset`` (a ``values_list``) without Django's converters."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    return rows


def upsert(model: type[Model], keys: Sequence[str], columns: Sequence[str],
           rows: Iterable[Sequence[Any]], *, add: bool = False, using: str = "default") -> int:
    """Insert ``rows`` (values for ``keys`` then ``columns``, already in the database's form);
    a row whose ``keys`` exist updates ``columns`` — set to the new values, or with ``add``
    the new values added to the stored ones. Returns how many rows were written."""
    connection = connections[using]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(c) for c in (*keys, *columns))
    conflict = ", ".join(quote(k) for k in keys)
    if add:
        updates = ", ".join(f"{quote(c)} = {table}.{quote(c)} + excluded.{quote(c)}" for c in columns)
    else:
        updates = ", ".join(f"{quote(c)} = excluded.{quote(c)}" for c in columns)
    width = len(keys) + len(columns)
    one = "(" + ", ".join(["%s"] * width) + ")"
    ordered = sorted(rows, key=lambda row: tuple(row[:len(keys)]))
    if not ordered:
        return 0
    head = f"INSERT INTO {table} ({names})"
    tail = f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}"
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # In-process: one prepared statement run per row costs a third of multi-row
            # statements, which SQLite parses afresh with thousands of parameters each.
            cursor.executemany(f"{head} VALUES {one} {tail}", ordered)
        elif connection.vendor == "postgresql" and len(ordered) >= COPY_AT_LEAST:
            # Thousands of rows: COPY (formatted by the driver's C code) into a scratch table
            # of this session, emptied into the target by the statement that writes it.
            scratch = quote(f"{model._meta.db_table}_upsert")
            with transaction.atomic(using=using):  # the scratch rows live until commit
                cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {scratch} ON COMMIT DELETE ROWS "
                               f"AS SELECT {names} FROM {table} WITH NO DATA")
                with cursor.cursor.copy(f"COPY {scratch} ({names}) FROM STDIN") as copy:
                    for row in ordered:
                        copy.write_row(row)
                cursor.execute(f"WITH moved AS (DELETE FROM {scratch} RETURNING {names}) "
                               f"{head} SELECT * FROM moved {tail}")
        elif connection.vendor == "postgresql":
            # One array per column, unnested in order: a handful of parameters whatever the
            # number of rows, instead of one per value for the driver to place into the text.
            arrays = ", ".join(f"%s::{_sql_type(model, c, connection)}[]" for c in (*keys, *columns))
            cursor.execute(f"{head} SELECT * FROM unnest({arrays}) {tail}",
                           [list(column) for column in zip(*ordered, strict=True)])
        else:
            per_statement = max(1, BATCH_VALUES // width)
            for start in range(0, len(ordered), per_statement):
                chunk = ordered[start:start + per_statement]
                cursor.execute(f"{head} VALUES {', '.join([one] * len(chunk))} {tail}",
                               [value for row in chunk for value in row])
    return len(ordered)


def _sql_type(model: type[Model], column: str, connection: Any) -> str:
    """The SQL type to cast a parameter to for ``column`` (a field's name or column)."""
    field = model._meta.get_field(column)
    assert isinstance(field, Field)
    kind = field.db_type(connection)  # a foreign key: the type of the key it points to
    assert kind is not None and "serial" not in kind
    return str(kind)


def ids_where(field: str, ids: Sequence[int]) -> Q:
    """A filter on ``field`` that keeps at least the rows whose value is in ``ids``.

    Dense ids (at least half of the range between the smallest and the largest) are selected
    as that range: two parameters instead of thousands, which Django would prepare one by one
    and the database parse; the caller drops the rows outside ``ids``. Sparse ids are listed
    (``IN``), so a few ids never read a whole range, and so are fewer than
    ``DENSE_AT_LEAST``."""
    if not ids:
        return Q(**{f"{field}__in": []})
    low, high = min(ids), max(ids)
    if len(ids) >= DENSE_AT_LEAST and len(set(ids)) * 2 >= high - low + 1:
        return Q(**{f"{field}__gte": low, f"{field}__lte": high})
    return Q(**{f"{field}__in": ids})
