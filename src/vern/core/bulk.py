"""Inserting many rows without a model instance each: one multi-row INSERT … RETURNING per batch.

Django's ``bulk_create`` builds and prepares a model instance per row, which costs more than the
database does when an import writes tens of thousands of rows. Here a row is a dict of field
values; foreign keys may be ``Ref``s to rows inserted earlier in the same run, whose primary keys
are known once those are written. Every concrete field gets its value or the field's default
(``auto_now_add`` fields the current time), adapted for the database the way Django's own fields do
it (``connection.ops``), so the rows are exactly what ``bulk_create`` would have written.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import psycopg
from django.db import connection, models
from django.utils import timezone

# Rows per INSERT statement: SQLite allows 32,766 parameters in one statement.
BATCH = 1000


class Ref:
    """A row's primary key, known once the row is written."""

    __slots__ = ("pk",)

    def __init__(self, pk: int | None = None) -> None:
        self.pk = pk

    def __reduce__(self) -> tuple[type[Ref], tuple[int | None]]:
        # Pickled as a call (Ref(pk)): twice as fast both ways as the default for __slots__.
        return Ref, (self.pk,)


def _adapter(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    """How a value of the field is written, or None if as it is."""
    kind = field.get_internal_type()
    ops = connection.ops
    if field.is_relation:
        # A Ref, a saved model instance, or the key itself.
        return lambda value: value.pk if isinstance(value, (Ref, models.Model)) else value
    if kind == "UUIDField":
        native = connection.features.has_native_uuid_field

        def to_uuid(value: Any) -> Any:
            if value is None:
                return None
            if native:
                return str(value)  # PostgreSQL parses the text itself: the column is cast to uuid[]
            return (value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))).hex

        return to_uuid
    if kind == "DateField":
        return ops.adapt_datefield_value
    if kind == "DateTimeField":
        return ops.adapt_datetimefield_value
    if kind in {"JSONField", "BinaryField", "DecimalField"}:
        return lambda value: field.get_db_prep_save(value, connection)
    return None


def _is_now(field: models.Field[Any, Any]) -> bool:
    return bool(getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False))


class Table:
    """The rows to insert into one model's table."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        meta = model._meta
        self.fields = [f for f in meta.concrete_fields if not f.primary_key]
        self.adapters = [_adapter(f) for f in self.fields]
        self.rows: list[tuple[Ref, dict[str, Any]]] = []

    def _columns(self, chunk: list[tuple[Ref, dict[str, Any]]], now: Any) -> list[list[Any]]:
        """The chunk's values, column by column, adapted; a row without a field gets the time
        (auto_now) or the field's default, a fresh one per row if the default is a callable."""
        columns = []
        for field, adapt in zip(self.fields, self.adapters, strict=True):
            name = field.name
            if not _is_now(field) and field.has_default() and callable(field.default):
                column = [row[name] if name in row else field.get_default() for _ref, row in chunk]
            else:
                fill = now if _is_now(field) else field.get_default()
                column = [row.get(name, fill) for _ref, row in chunk]
            columns.append(column if adapt is None else [adapt(value) for value in column])
        return columns

    def _unnest(
        self, table: str, columns: str, pk: str, columns_values: list[list[Any]]
    ) -> tuple[str, list[Any]]:
        """PostgreSQL's statement: one array per column, so a few placeholders whatever the number
        of rows (psycopg parses every placeholder of a statement in Python), and one value for a
        column that is the same in every row (a default, the user recording): dumping an array
        costs Python a call per element."""
        selected: list[str] = []
        constants: list[Any] = []
        arrays: list[tuple[str, list[Any]]] = []
        names: list[str] = []
        last = len(self.fields) - 1
        for n, (f, values) in enumerate(zip(self.fields, columns_values, strict=True)):
            kind = f.db_type(connection)
            # At least one array stays: unnest gives the number of rows.
            if values.count(values[0]) == len(values) and (arrays or n < last):
                selected.append(f"%b::{kind}")
                constants.append(values[0])
            else:
                selected.append(f"u.c{n}")
                names.append(f"c{n}")
                arrays.append((f"%b::{kind}[]", values))
        unnest = ", ".join(placeholder for placeholder, _values in arrays)
        sql = (
            f"INSERT INTO {table} ({columns}) SELECT {', '.join(selected)} "  # noqa: S608
            f"FROM unnest({unnest}) AS u({', '.join(names)}) RETURNING {pk}"
        )
        return sql, constants + [values for _placeholder, values in arrays]

    def add(self, **values: Any) -> Ref:
        ref = Ref()
        self.rows.append((ref, values))
        return ref

    def insert(self) -> None:
        if not self.rows:
            return
        quote = connection.ops.quote_name
        table = quote(self.model._meta.db_table)
        columns = ", ".join(quote(f.column) for f in self.fields)
        pk = quote(self.model._meta.pk.column)
        now = timezone.now()
        postgres = connection.vendor == "postgresql"
        with connection.cursor() as cursor:
            for start in range(0, len(self.rows), BATCH):
                chunk = self.rows[start : start + BATCH]
                columns_values = self._columns(chunk, now)
                if postgres:
                    sql, params = self._unnest(table, columns, pk, columns_values)
                else:
                    row = "(" + ", ".join(["%s"] * len(self.fields)) + ")"
                    rows = ", ".join([row] * len(chunk))
                    sql = f"INSERT INTO {table} ({columns}) VALUES {rows} RETURNING {pk}"  # noqa: S608
                    params = [
                        value for row_values in zip(*columns_values, strict=True) for value in row_values
                    ]
                # Identifiers from the model, quoted by the backend; every value is a parameter.
                if postgres:
                    # Bound on the server, in binary (%b): Django's client-side binding would quote
                    # every array element into the statement in Python. Same connection, same
                    # transaction.
                    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as bound:
                        bound.execute(sql, params)
                        keys = bound.fetchall()
                else:
                    cursor.execute(sql, params)
                    keys = cursor.fetchall()
                for (ref, _values), (key,) in zip(chunk, keys, strict=True):
                    ref.pk = key
        self.rows.clear()
