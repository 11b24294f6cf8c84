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
import datetime
import json
from collections.abc import Callable, Iterator, Sequence
from contextvars import ContextVar
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    BigIntegerField,
    BooleanField,
    CharField,
    DateTimeField,
    Field,
    ForeignKey,
    IntegerField,
    JSONField,
    Model,
    TextField,
)
from django.db.models.base import ModelState
from django.db.models.expressions import BaseExpression
from django.db.models.fields import AutoFieldMixin
from django.db.models.signals import post_init, pre_init
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from engine.execution import jsontext, readcache

_Converter = tuple[Any, list[Callable[..., Any]]]
_Shape = tuple[str, list[str], list[_Converter], Callable[[Sequence[Any], BaseDatabaseWrapper], dict[str, Any]]]
_SHAPES: dict[tuple[type[Model], str, str, tuple[str, ...]], _Shape] = {}


def db() -> BaseDatabaseWrapper:
    """This thread's default connection (the object, not the proxy)."""
    bound = _BOUND.get()
    return bound if bound is not None else connections[DEFAULT_DB_ALIAS]


# `connections[alias]` goes through asgiref's Local on every call (dozens per step); a
# batch worker binds its connection once for the batch (`bound_connection`).
_BOUND: ContextVar[BaseDatabaseWrapper | None] = ContextVar("soar_bound_connection", default=None)


@contextlib.contextmanager
def bound_connection() -> Iterator[BaseDatabaseWrapper]:
    """Bind this thread's default connection for `db()` while the block runs (the same
    object `connections[alias]` returns here throughout: one thread, one context)."""
    conn = connections[DEFAULT_DB_ALIAS]
    token = _BOUND.set(conn)
    try:
        yield conn
    finally:
        _BOUND.reset(token)


class RawCursor:
    """The driver's cursor with the `%s` placeholders the rest of Django uses.

    Django's cursor wrapper rewrites every statement's placeholders for SQLite with a
    regular expression and checks for a running event loop on each call; at a hundred
    statements per run that is a tenth of the engine's time. Errors are still Django's
    (`wrap_database_errors`), so callers catch the same exceptions."""

    __slots__ = ("_cursor", "_qmark", "_errors", "busy", "driver", "drained")

    def __init__(self, conn: BaseDatabaseWrapper) -> None:
        self.driver = conn.connection
        self._cursor = self.driver.cursor()
        self._qmark = conn.vendor == "sqlite"
        self._errors = conn.wrap_database_errors
        self.busy = False
        self.drained = True

    def _sql(self, sql: str) -> str:
        if not self._qmark:
            return sql
        converted = _QMARK.get(sql)
        if converted is None:
            converted = _QMARK[sql] = sql.replace("%s", "?")
        return converted

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.drained = False
        reads = readcache.active()
        if reads is not None:
            reads.wrote(sql, params)
        with self._errors:
            self._cursor.execute(self._sql(sql), params)

    def executemany(self, sql: str, params: Sequence[Sequence[Any]]) -> None:
        reads = readcache.active()
        if reads is not None:
            reads.wrote(sql)
        with self._errors:
            self._cursor.executemany(self._sql(sql), params)

    def fetchone(self) -> Any:
        with self._errors:
            return self._cursor.fetchone()

    @property
    def rowcount(self) -> int:
        return int(self._cursor.rowcount)

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid  # type: ignore[no-any-return]

    def fetchall(self) -> list[Any]:
        self.drained = True
        with self._errors:
            return list(self._cursor.fetchall())

    def release(self) -> None:
        """Finish the last statement so it holds no read snapshot while the cursor
        waits for its next use (after a single-row fetchone this returns at once)."""
        if not self.drained:
            self.drained = True
            if self._cursor.description is not None:
                with self._errors:
                    self._cursor.fetchall()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._cursor.close()


_QMARK: dict[str, str] = {}


class raw:  # noqa: N801 - used like the function it replaced: `with raw() as cursor`
    """A `RawCursor` on this thread's connection, inside its current transaction if any.
    Statements must use `%s` placeholders only (no literal `%`).

    The driver cursor is kept on the connection and reused (a class, not a generator
    context manager, for the same reason: this is entered for every statement of a run);
    a nested `raw()` while it is in use gets a cursor of its own."""

    __slots__ = ("_conn", "_cursor", "_own")

    def __init__(self, conn: BaseDatabaseWrapper | None = None) -> None:
        self._conn = conn or db()

    def __enter__(self) -> RawCursor:
        conn = self._conn
        if conn.connection is None:
            conn.ensure_connection()
        with conn.wrap_database_errors:
            cached: RawCursor | None = getattr(conn, "_soar_raw_cursor", None)
            if cached is None or cached.busy or cached.driver is not conn.connection:
                cursor = RawCursor(conn)
                self._own = cached is not None and cached.busy and cached.driver is conn.connection
                if not self._own:
                    if cached is not None:
                        cached.close()
                    conn._soar_raw_cursor = cursor  # type: ignore[attr-defined]
            else:
                cursor, self._own = cached, False
        cursor.busy = True
        self._cursor = cursor
        return cursor

    def __exit__(self, *exc: object) -> None:
        if self._own:
            self._cursor.close()
            return
        try:
            self._cursor.release()
        except Exception:
            # A cursor whose statement could not be finished is not used again.
            self._cursor.close()
            if getattr(self._conn, "_soar_raw_cursor", None) is self._cursor:
                self._conn._soar_raw_cursor = None  # type: ignore[attr-defined]
            if exc[0] is None:
                raise
        finally:
            self._cursor.busy = False


def _shape(conn: BaseDatabaseWrapper, model: type[Model], alias: str = "",
           skip: tuple[str, ...] = ()) -> _Shape:
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
            fns = conn.ops.get_db_converters(col) + f.get_db_converters(conn)
            if not (isinstance(f, JSONField) and f.decoder is not None):
                fns = [_FAST.get(getattr(fn, "__func__", None), fn) for fn in fns]
            converters.append((col, fns))
        attnames = [f.attname for f in fields]
        shape = (columns, attnames, converters, _row_converter(attnames, converters))
        _SHAPES[key] = shape
    return shape


def _row_converter(attnames: list[str], converters: list[_Converter]
                   ) -> Callable[[Sequence[Any], BaseDatabaseWrapper], dict[str, Any]]:
    """One generated function per model shape turning a row into `{attname: value}`:
    a loop over columns and their converter lists costs more than the conversions
    (the names are the model's own attribute names, never data)."""
    scope: dict[str, Any] = {}
    items = []
    for i, (name, (col, fns)) in enumerate(zip(attnames, converters, strict=True)):
        assert name.isidentifier()
        expr = f"row[{i}]"
        for j, fn in enumerate(fns):
            scope[f"f{i}_{j}"], scope[f"c{i}"] = fn, col
            expr = f"f{i}_{j}({expr}, c{i}, conn)"
        items.append(f"{name!r}: {expr}")
    source = f"def convert(row, conn):\n    return {{{', '.join(items)}}}\n"
    exec(compile(source, "<rows.convert>", "exec"), scope)  # noqa: S102 - generated from model metadata
    return scope["convert"]  # type: ignore[no-any-return]


def stamp(value: datetime.datetime, conn: BaseDatabaseWrapper | None = None) -> Any:
    """An aware datetime as the database parameter `DateTimeField` would make of it.
    SQLite's adapter is the common case and costs more than its result: naive UTC text."""
    conn = conn or db()
    # A connection's timezone is UTC only with USE_TZ on (Django resets it when the
    # setting changes), so the setting itself, a lazy object, is not read per value.
    if value.tzinfo is _UTC and conn.vendor == "sqlite" and conn.timezone is _UTC:
        return _naive_text(value)
    return conn.ops.adapt_datetimefield_value(value)


_UTC = datetime.UTC
# The text of the last second stamped: a run takes about fifty timestamps, most of them
# in the same second, and formatting only the microseconds halves the cost of each.
_last_second: tuple[tuple[int, ...], str] = ((), "")


def _naive_text(value: datetime.datetime) -> str:
    """`str()` of the naive value (`isoformat(" ")`: microseconds only when not zero)."""
    global _last_second
    second = (value.year, value.month, value.day, value.hour, value.minute, value.second)
    last = _last_second
    if last[0] != second:
        last = _last_second = (second, value.replace(microsecond=0, tzinfo=None).isoformat(" "))
    microsecond = value.microsecond
    return f"{last[1]}.{microsecond:06d}" if microsecond else last[1]


def now() -> datetime.datetime:
    """`django.utils.timezone.now()`, without reading the lazy settings object on every
    call (a run takes about fifty timestamps): the connection's timezone is UTC exactly
    when USE_TZ is on, and Django resets it when that setting changes."""
    if db().timezone is _UTC:
        return datetime.datetime.now(_UTC)
    return timezone.now()


def _datetime(value: Any, expression: Any, conn: BaseDatabaseWrapper) -> Any:
    """SQLite's DateTimeField converter (`convert_datetimefield_value`) with the
    standard library's parser first: the column holds ISO text Django wrote."""
    if value is None or isinstance(value, datetime.datetime):
        parsed = value
    else:
        try:
            parsed = datetime.datetime.fromisoformat(value)
        except ValueError:
            parsed = parse_datetime(value)
    if parsed is not None and parsed.tzinfo is None:
        zone = conn.timezone  # None without USE_TZ
        if zone is not None:
            parsed = parsed.replace(tzinfo=zone)
    return parsed


def _json(value: Any, expression: Any, conn: BaseDatabaseWrapper) -> Any:
    """JSONField.from_db_value for a whole column (no key transform, no decoder)."""
    if value is None:
        return None
    try:
        return jsontext.loads(value)
    except json.JSONDecodeError:
        return value


_FAST: dict[Any, Callable[..., Any]] = {JSONField.from_db_value: _json}
try:
    from django.db.backends.sqlite3.operations import DatabaseOperations as _SQLiteOps

    _FAST[_SQLiteOps.convert_datetimefield_value] = _datetime
except ImportError:  # pragma: no cover - SQLite is always built in
    pass


def columns(model: type[Model], alias: str = "", skip: tuple[str, ...] = ()) -> str:
    """The quoted column list `instance()` expects, in order (`alias.`-qualified when
    given; `skip` leaves fields out, and the instance defers them)."""
    return _shape(db(), model, alias, skip)[0]


def width(model: type[Model], skip: tuple[str, ...] = ()) -> int:
    return len(_shape(db(), model, "", skip)[1])


def instance[M: Model](model: type[M], row: Sequence[Any], skip: tuple[str, ...] = (),
                       conn: BaseDatabaseWrapper | None = None) -> M:
    """A model instance from a row selected with `columns(model, …, skip)`.

    Built the way `Model.from_db` leaves it (field values in the instance's `__dict__`,
    a `_state` that is not adding and names the database; fields in `skip` deferred)
    without running `Model.__init__`, which costs about 17 µs in Django 6.1 and is a
    large share of a step. Models with init signal receivers take the ORM's way."""
    conn = conn or db()
    _, attnames, _, convert = _shape(conn, model, "", skip)
    if len(row) != len(attnames):
        raise ValueError(f"{model.__name__}: {len(row)} columns for {len(attnames)} fields")
    values = convert(row, conn)
    if _init_signalled(model):
        return model.from_db(conn.alias, attnames, list(values.values()))
    obj = model.__new__(model)
    state = ModelState()
    state.adding = False
    state.db = conn.alias
    values["_state"] = state
    obj.__dict__.update(values)
    return obj


_NewPlan = list[tuple[str, str, str | None, Callable[[], Any]]]
_NEW_PLANS: dict[type[Model], _NewPlan | None] = {}


def new[M: Model](model: type[M], **values: Any) -> M:
    """`model(**values)` for a row about to be inserted (`insert`), built the way
    `Model.__init__` builds it (field defaults; a related object given by field name sets
    its id and is cached) without the signals and per-field descriptor calls that make
    `__init__` a few percent of a step. Fields are given by name or attname; anything
    else is a TypeError, as with `__init__`. Models with init signal receivers, their own
    `__init__` or one-to-one fields take the ORM's way."""
    plan = _NEW_PLANS.get(model, _UNPLANNED)
    if plan is _UNPLANNED:
        plan = _NEW_PLANS[model] = _new_plan(model)
    if plan is None or _init_signalled(model):
        return model(**values)
    obj = model.__new__(model)
    state = ModelState()
    attrs = obj.__dict__
    attrs["_state"] = state
    for name, attname, target, default in plan:
        if attname in values:
            attrs[attname] = values.pop(attname)
        elif name in values:
            value = values.pop(name)
            if target is None:
                attrs[attname] = value
            elif value is None:
                attrs[attname] = None
            else:
                if not isinstance(value, Model):
                    raise TypeError(f"{model.__name__}.{name} must be a model instance, not {value!r}")
                attrs[attname] = getattr(value, target)
                state.fields_cache[name] = value
        else:
            attrs[attname] = default()
    if values:
        raise TypeError(f"{model.__name__}() got unexpected keyword arguments: {', '.join(sorted(values))}")
    return obj


_UNPLANNED: Any = object()


def _new_plan(model: type[Model]) -> _NewPlan | None:
    if model.__init__ is not Model.__init__ or model._meta.private_fields:
        return None
    plan: _NewPlan = []
    for f in model._meta.concrete_fields:
        if f.one_to_one:
            return None
        target = str(f.target_field.attname) if f.many_to_one else None  # type: ignore[attr-defined]
        # A ForeignKey's get_default turns a model-instance default into its id.
        default = f.get_default if target else f._get_default  # type: ignore[attr-defined]
        if default is timezone.now:
            default = now
        plan.append((f.name, f.attname, target, default))
    return plan


_INIT_SIGNALLED: dict[type[Model], tuple[int, bool]] = {}


def _init_signalled(model: type[Model]) -> bool:
    # Receivers are connected at import time; the count notices one connected later.
    version = len(pre_init.receivers) + len(post_init.receivers)
    known = _INIT_SIGNALLED.get(model)
    if known is None or known[0] != version:
        known = (version, pre_init.has_listeners(model) or post_init.has_listeners(model))
        _INIT_SIGNALLED[model] = known
    return known[1]


def relate(obj: Model, name: str, related: Model) -> None:
    """`obj.<name> = related` for a related object whose id `obj` already holds (the
    engine's own rows, on every step): cached as the assignment would, without the
    descriptor's type and database-router checks."""
    key = (type(obj), name)
    attname = _ATTNAMES.get(key)
    if attname is None:
        attname = _ATTNAMES[key] = str(type(obj)._meta.get_field(name).attname)  # type: ignore[union-attr]
    held = obj.__dict__[attname] if attname in obj.__dict__ else getattr(obj, attname)
    if held != related.pk:
        raise ValueError(f"{type(obj).__name__}.{name}: {related!r} is not the related row")
    obj._state.fields_cache[name] = related


_ATTNAMES: dict[tuple[type[Model], str], str] = {}


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


def select_one[M: Model](model: type[M], where: str, params: Sequence[Any]) -> M | None:
    """`SELECT <all columns> FROM <table> WHERE <where>` as an instance (the first row)."""
    conn = db()
    sql = f"SELECT {_shape(conn, model)[0]} FROM {conn.ops.quote_name(model._meta.db_table)} WHERE {where}"
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
_INSERTS: dict[tuple[type[Model], str], tuple[str, Callable[[Model, BaseDatabaseWrapper], list[Any]], bool]] = {}


def _param_builder(model: type[Model], fields: list[Field[Any, Any]]) -> Callable[[Model, BaseDatabaseWrapper], list[Any]]:
    """A function returning the INSERT parameters of an instance of `model`, generated
    from its fields: per field, what `get_db_prep_save` would give, with the common cases
    (a plain value of the column's type, None, an aware datetime on SQLite, a JSON value)
    decided once here instead of for every field of every row."""
    scope: dict[str, Any] = {"stamp": stamp, "adapt": jsontext.adapt, "BaseExpression": BaseExpression,
                             "datetime": datetime.datetime}
    lines = ["def build(obj, conn):", "    p = []", "    append = p.append"]
    for i, f in enumerate(fields):
        plain = _PLAIN.get(type(f), ())
        plain_json = isinstance(f, JSONField) and type(f).get_prep_value is JSONField.get_prep_value
        plain_datetime = type(f) is DateTimeField
        scope[f"F{i}"], scope[f"T{i}"] = f, plain
        if type(f).pre_save is Field.pre_save:
            lines.append(f"    v = getattr(obj, {str(f.attname)!r})")
        else:
            lines.append(f"    v = F{i}.pre_save(obj, True)")
        tests = []
        if len(plain) == 1:
            scope[f"T{i}"] = plain[0]
            tests.append(f"type(v) is T{i}")
        elif plain:
            tests.append(f"type(v) in T{i}")
        if plain or plain_json or plain_datetime:
            tests.append("v is None")
        branch = "if"
        if tests:
            lines.append(f"    if {' or '.join(tests)}:")
            lines.append("        append(v)")
            branch = "elif"
        if plain_datetime:
            lines.append(f"    {branch} type(v) is datetime and v.tzinfo is not None:")
            lines.append("        append(stamp(v, conn))")
            branch = "elif"
        if plain_json:  # what JSONField.get_db_prep_save does for a plain value
            lines.append(f"    {branch} not isinstance(v, BaseExpression):")
            lines.append(f"        append(adapt(conn, v, F{i}.encoder))")
            branch = "elif"
        if branch == "if":
            lines.append(f"    append(F{i}.get_db_prep_save(v, conn))")
        else:
            lines.append("    else:")
            lines.append(f"        append(F{i}.get_db_prep_save(v, conn))")
    lines.append("    return p")
    exec(compile("\n".join(lines) + "\n", f"<rows.insert {model.__name__}>", "exec"), scope)  # noqa: S102 - from model metadata
    return scope["build"]  # type: ignore[no-any-return]


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
        # On SQLite an integer primary key is the rowid, which the driver reports after
        # every INSERT: RETURNING would cost a result row to build, fetch and finish
        # (about 6 µs, on a dozen inserts per run).
        rowid = conn.vendor == "sqlite" and isinstance(model._meta.pk, AutoFieldMixin)
        returning = "" if rowid else f" RETURNING {conn.ops.quote_name(pk_column)}"
        sql = f"INSERT INTO {conn.ops.quote_name(table)} ({cols}) VALUES ({', '.join(['%s'] * len(fields))}){returning}"
        plan = (sql, _param_builder(model, fields), rowid)
        _INSERTS[(model, conn.vendor)] = plan
    sql, build, rowid = plan
    params = build(obj, conn)
    with raw(conn) as cursor:
        cursor.execute(sql, params)
        if rowid:
            obj.pk = cursor.lastrowid
        else:
            row = cursor.fetchone()
            assert row is not None
            obj.pk = row[0]
    obj._state.adding = False
    obj._state.db = conn.alias
    return obj
