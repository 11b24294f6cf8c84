"""Loading model rows with plain SQL on the engine's hot path.

`Model.objects.get()` builds and compiles a query every time (a few hundred microseconds);
a step loads its step, run and container rows thousands of times a second. These helpers
keep one SQL text per model and apply the same converters the ORM would (JSON, datetimes
on SQLite), so the instances are indistinguishable from ORM-loaded ones.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection
from django.db.models import Model

_Converter = tuple[Any, list[Callable[..., Any]]]
_SHAPES: dict[tuple[type[Model], str, str, tuple[str, ...]], tuple[str, list[str], list[_Converter]]] = {}


def _shape(model: type[Model], alias: str = "", skip: tuple[str, ...] = ()) -> tuple[str, list[str], list[_Converter]]:
    key = (model, connection.vendor, alias, skip)
    shape = _SHAPES.get(key)
    if shape is None:
        table = model._meta.db_table
        fields = [f for f in model._meta.concrete_fields if f.name not in skip]
        prefix = f"{connection.ops.quote_name(alias)}." if alias else ""
        columns = ", ".join(prefix + connection.ops.quote_name(str(f.column)) for f in fields)
        converters = []
        for f in fields:
            col = f.get_col(table)
            converters.append((col, connection.ops.get_db_converters(col) + f.get_db_converters(connection)))
        shape = (columns, [f.attname for f in fields], converters)
        _SHAPES[key] = shape
    return shape


def columns(model: type[Model], alias: str = "", skip: tuple[str, ...] = ()) -> str:
    """The quoted column list `instance()` expects, in order (`alias.`-qualified when
    given; `skip` leaves fields out, and the instance defers them)."""
    return _shape(model, alias, skip)[0]


def width(model: type[Model], skip: tuple[str, ...] = ()) -> int:
    return len(_shape(model, "", skip)[1])


def instance[M: Model](model: type[M], row: Sequence[Any], skip: tuple[str, ...] = ()) -> M:
    """A model instance from a row selected with `columns(model, …, skip)`."""
    _, attnames, converters = _shape(model, "", skip)
    values = []
    for value, (col, fns) in zip(row, converters, strict=True):
        for fn in fns:
            value = fn(value, col, connection)
        values.append(value)
    return model.from_db(connection.alias, attnames, values)


def get[M: Model](model: type[M], pk: Any, *, for_update: bool = False) -> M | None:
    """The row with primary key `pk` (locked FOR UPDATE where the database has row locks)."""
    lock = " FOR UPDATE" if for_update and connection.features.has_select_for_update else ""
    table, pk_column = str(model._meta.db_table), str(model._meta.pk.column)
    sql = (f"SELECT {columns(model)} FROM {connection.ops.quote_name(table)} "
           f"WHERE {connection.ops.quote_name(pk_column)} = %s{lock}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        row = cursor.fetchone()
    return instance(model, row) if row is not None else None


def update_returning[M: Model](model: type[M], assignments: str, where: str, params: Sequence[Any]) -> M | None:
    """`UPDATE … SET <assignments> WHERE <where> RETURNING <all columns>` as an instance,
    or None when no row matched (SQLite ≥ 3.35 and PostgreSQL both have RETURNING)."""
    sql = (f"UPDATE {connection.ops.quote_name(model._meta.db_table)} SET {assignments} WHERE {where} "
           f"RETURNING {columns(model)}")
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        row = cursor.fetchone()
    return instance(model, row) if row is not None else None


def insert[M: Model](obj: M) -> M:
    """INSERT one new instance and set its primary key, as `save()` would for a new row
    (field defaults and `pre_save`, e.g. auto_now, apply) without the ORM's query building.
    No signals are sent: use it only for models nothing listens to."""
    model = type(obj)
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    table, pk_column = str(model._meta.db_table), str(model._meta.pk.column)
    sql = _INSERTS.get((model, connection.vendor))
    if sql is None:
        cols = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
        sql = (f"INSERT INTO {connection.ops.quote_name(table)} ({cols}) "
               f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {connection.ops.quote_name(pk_column)}")
        _INSERTS[(model, connection.vendor)] = sql
    params = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    assert row is not None
    obj.pk = row[0]
    obj._state.adding = False
    obj._state.db = connection.alias
    return obj


_INSERTS: dict[tuple[type[Model], str], str] = {}
