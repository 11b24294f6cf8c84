"""Loading and inserting model rows with plain SQL on the engine's hot path.

`Model.objects.get()` builds and compiles a query every time (a few hundred microseconds);
a step loads its step, run and container rows thousands of times a second. These helpers
keep one SQL text per model and apply the same converters the ORM would (JSON, datetimes
on SQLite), so the instances are indistinguishable from ORM-loaded ones.

Each function looks the connection up once: `django.db.connection` is a proxy that finds
the thread's connection on every attribute access, which adds up at this rate.
"""
from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    BigIntegerField,
    BooleanField,
    CharField,
    Field,
    ForeignKey,
    IntegerField,
    Model,
    TextField,
)

_Converter = tuple[Any, list[Callable[..., Any]]]
_SHAPES: dict[tuple[type[Model], str, str, tuple[str, ...]], tuple[str, list[str], list[_Converter]]] = {}


def db() -> BaseDatabaseWrapper:
    """This thread's default connection (the object, not the proxy)."""
    return connections[DEFAULT_DB_ALIAS]


class RawCursor:
    """The driver's cursor with the `%s` placeholders the rest of Django uses.

    Django's cursor wrapper rewrites every statement's placeholders for SQLite with a
    regular expression and checks for a running event loop on each call; at a hundred
    statements per run that is a tenth of the engine's time. Errors are still Django's
    (`wrap_database_errors`), so callers catch the same exceptions."""

    __slots__ = ("_cursor", "_qmark")

    def __init__(self, cursor: Any, qmark: bool) -> None:
        self._cursor, self._qmark = cursor, qmark

    def _sql(self, sql: str) -> str:
        if not self._qmark:
            return sql
        converted = _QMARK.get(sql)
        if converted is None:
            converted = _QMARK[sql] = sql.replace("%s", "?")
        return converted

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self._cursor.execute(self._sql(sql), params)

    def executemany(self, sql: str, params: Sequence[Sequence[Any]]) -> None:
        self._cursor.executemany(self._sql(sql), params)

    def fetchone(self) -> Any:
        return self._cursor.fetchone()

    def fetchall(self) -> list[Any]:
        return list(self._cursor.fetchall())


_QMARK: dict[str, str] = {}


@contextlib.contextmanager
def raw(conn: BaseDatabaseWrapper | None = None) -> Iterator[RawCursor]:
    """A `RawCursor` on this thread's connection, inside its current transaction if any.
    Statements must use `%s` placeholders only (no literal `%`)."""
    conn = conn or db()
    if conn.connection is None:
        conn.ensure_connection()
    with conn.wrap_database_errors:
        cursor = conn.connection.cursor()
        try:
            yield RawCursor(cursor, conn.vendor == "sqlite")
        finally:
            cursor.close()


def _shape(conn: BaseDatabaseWrapper, model: type[Model], alias: str = "",
           skip: tuple[str, ...] = ()) -> tuple[str, list[str], list[_Converter]]:
    key = (model, conn.vendor, alias, skip)
    shape = _SHAPES.get(key)
    if shape is None:
        table = model._meta.db_table
        fields = [f for f in model._meta.concrete_fields if f.name not in skip]
        prefix = f"{conn.ops.quote_name(alias)}." if alias else ""
        columns = ", ".join(prefix + conn.ops.quote_name(str(f.column)) for f in fields)
        converters = []
        for f in fields:
            col = f.get_col(table)
            converters.append((col, conn.ops.get_db_converters(col) + f.get_db_converters(conn)))
        shape = (columns, [f.attname for f in fields], converters)
        _SHAPES[key] = shape
    return shape


def columns(model: type[Model], alias: str = "", skip: tuple[str, ...] = ()) -> str:
    """The quoted column list `instance()` expects, in order (`alias.`-qualified when
    given; `skip` leaves fields out, and the instance defers them)."""
    return _shape(db(), model, alias, skip)[0]


def width(model: type[Model], skip: tuple[str, ...] = ()) -> int:
    return len(_shape(db(), model, "", skip)[1])


def instance[M: Model](model: type[M], row: Sequence[Any], skip: tuple[str, ...] = (),
                       conn: BaseDatabaseWrapper | None = None) -> M:
    """A model instance from a row selected with `columns(model, …, skip)`."""
    conn = conn or db()
    _, attnames, converters = _shape(conn, model, "", skip)
    values = []
    for value, (col, fns) in zip(row, converters, strict=True):
        for fn in fns:
            value = fn(value, col, conn)
        values.append(value)
    return model.from_db(conn.alias, attnames, values)


def get[M: Model](model: type[M], pk: Any, *, for_update: bool = False) -> M | None:
    """The row with primary key `pk` (locked FOR UPDATE where the database has row locks)."""
    conn = db()
    lock = " FOR UPDATE" if for_update and conn.features.has_select_for_update else ""
    table, pk_column = str(model._meta.db_table), str(model._meta.pk.column)
    sql = (f"SELECT {_shape(conn, model)[0]} FROM {conn.ops.quote_name(table)} "
           f"WHERE {conn.ops.quote_name(pk_column)} = %s{lock}")
    with raw(conn) as cursor:
        cursor.execute(sql, [pk])
        row = cursor.fetchone()
    return instance(model, row, conn=conn) if row is not None else None


def update_returning[M: Model](model: type[M], assignments: str, where: str, params: Sequence[Any]) -> M | None:
    """`UPDATE … SET <assignments> WHERE <where> RETURNING <all columns>` as an instance,
    or None when no row matched (SQLite ≥ 3.35 and PostgreSQL both have RETURNING)."""
    conn = db()
    sql = (f"UPDATE {conn.ops.quote_name(model._meta.db_table)} SET {assignments} WHERE {where} "
           f"RETURNING {_shape(conn, model)[0]}")
    with raw(conn) as cursor:
        cursor.execute(sql, list(params))
        row = cursor.fetchone()
    return instance(model, row, conn=conn) if row is not None else None


# Field types whose database value is the Python value itself when it already has the
# exact type the column holds; anything else goes through get_db_prep_save.
_PLAIN: dict[type[Field[Any, Any]], tuple[type, ...]] = {
    CharField: (str,), TextField: (str,), IntegerField: (int,), BigIntegerField: (int,), BooleanField: (bool,),
    ForeignKey: (int,),
}
_INSERTS: dict[tuple[type[Model], str], tuple[str, list[tuple[Field[Any, Any], tuple[type, ...], bool]]]] = {}


def insert[M: Model](obj: M) -> M:
    """INSERT one new instance and set its primary key, as `save()` would for a new row
    (field defaults and `pre_save`, e.g. auto_now, apply) without the ORM's query building.
    No signals are sent: use it only for models nothing listens to."""
    conn = db()
    model = type(obj)
    plan = _INSERTS.get((model, conn.vendor))
    if plan is None:
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        table, pk_column = str(model._meta.db_table), str(model._meta.pk.column)
        cols = ", ".join(conn.ops.quote_name(str(f.column)) for f in fields)
        sql = (f"INSERT INTO {conn.ops.quote_name(table)} ({cols}) "
               f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {conn.ops.quote_name(pk_column)}")
        steps = [(f, _PLAIN.get(type(f), ()), type(f).pre_save is Field.pre_save) for f in fields]
        plan = (sql, steps)
        _INSERTS[(model, conn.vendor)] = plan
    sql, steps = plan
    params = []
    for f, plain, simple_pre_save in steps:
        value = getattr(obj, f.attname) if simple_pre_save else f.pre_save(obj, True)
        if type(value) in plain or (value is None and plain):
            params.append(value)
        else:
            params.append(f.get_db_prep_save(value, conn))
    with raw(conn) as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    assert row is not None
    obj.pk = row[0]
    obj._state.adding = False
    obj._state.db = conn.alias
    return obj
