"""JSON text for the engine's hot path: what `json.dumps(value, …)` and `json.loads(text)`
return, without their per-call Python layers.

A run stores about a hundred JSON values (event payloads, step payloads, task arguments)
and reads back dozens; `json.dumps` spends more time choosing and building its C encoder
than the encoder spends on a payload of a few keys, so encoders are built once. They
skip the circular-reference check, which is only needed to name the error: a value that
recurses without end is encoded again with the check. Output and errors are the same as
the standard library's for the options `dumps` takes (default, sort_keys, separators,
ensure_ascii; NaN as its default).
"""
from __future__ import annotations

import json
from collections.abc import Callable
from json.encoder import c_encode_basestring, c_make_encoder, encode_basestring_ascii  # type: ignore[attr-defined]
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.operations import BaseDatabaseOperations

_DEFAULT = json.JSONEncoder().default  # raises TypeError naming the type, as dumps does
_SCAN = json.decoder.JSONDecoder().scan_once  # type: ignore[attr-defined]


def _encoder(default: Callable[[Any], Any] | None, sort_keys: bool, item_separator: str, key_separator: str,
             ensure_ascii: bool, check_circular: bool) -> Any:
    return c_make_encoder({} if check_circular else None, default or _DEFAULT,
                          encode_basestring_ascii if ensure_ascii else c_encode_basestring,
                          None, key_separator, item_separator, sort_keys, False, True)


# Encoders without the circular-reference check keep no state between or during calls
# (the check's markers are the only mutable part of a C encoder), so one per set of
# options serves every thread and every nested call. Building one costs as much as
# encoding a small payload, and the markers' bookkeeping a fifth of each encoding.
_PLAIN = _encoder(None, False, ", ", ": ", True, False) if c_make_encoder is not None else None
_SHARED: dict[tuple[Any, ...], Any] = {}


def dumps(value: Any, *, default: Callable[[Any], Any] | None = None, sort_keys: bool = False,
          separators: tuple[str, str] | None = None, ensure_ascii: bool = True) -> str:
    """`json.dumps(value, …)` with these of its options (no indent)."""
    if _PLAIN is None:  # pragma: no cover - CPython always has the C encoder
        return json.dumps(value, default=default, sort_keys=sort_keys, separators=separators,
                          ensure_ascii=ensure_ascii)
    if default is None and separators is None and not sort_keys and ensure_ascii:
        encode = _PLAIN
    else:
        item_separator, key_separator = separators or (", ", ": ")
        key = (default, sort_keys, item_separator, key_separator, ensure_ascii)
        encode = _SHARED.get(key)
        if encode is None:
            if len(_SHARED) >= 16:  # callers passing a new `default` function every time
                _SHARED.clear()
            encode = _SHARED[key] = _encoder(default, sort_keys, item_separator, key_separator, ensure_ascii, False)
    try:
        return "".join(encode(value, 0))
    except RecursionError:
        # A cycle, or a value nested deeper than the recursion limit: an encoder with the
        # check raises what json.dumps raises for either (ValueError for the cycle).
        item_separator, key_separator = separators or (", ", ": ")
        checked = _encoder(default, sort_keys, item_separator, key_separator, ensure_ascii, True)
        return "".join(checked(value, 0))


def loads(text: str | bytes) -> Any:
    """`json.loads(text)`: the scanner directly when the text is one JSON value with
    nothing around it (as the engine writes it), the standard path otherwise."""
    if isinstance(text, str):
        try:
            value, end = _SCAN(text, 0)
        except (StopIteration, ValueError):
            return json.loads(text)  # raises the standard error
        if end == len(text):
            return value
    return json.loads(text)


def column(value: Any) -> Any:
    """A JSON column's value as read with plain SQL: text from SQLite, already decoded by
    psycopg on PostgreSQL."""
    return loads(value) if isinstance(value, (str, bytes)) else value


_PLAIN_ADAPT: dict[type, bool] = {}


def adapter(conn: BaseDatabaseWrapper, encoder: Any = None) -> Callable[[Any], Any]:
    """`adapt` for many values of one connection and encoder (decided once)."""
    if encoder is None and _plain(conn):
        return dumps
    return lambda value: conn.ops.adapt_json_value(value, encoder)


def _plain(conn: BaseDatabaseWrapper) -> bool:
    ops = type(conn.ops)
    plain = _PLAIN_ADAPT.get(ops)
    if plain is None:
        plain = _PLAIN_ADAPT[ops] = ops.adapt_json_value is BaseDatabaseOperations.adapt_json_value
    return plain


def adapt(conn: BaseDatabaseWrapper, value: Any, encoder: Any = None) -> Any:
    """The database parameter for a JSONField value (`ops.adapt_json_value`): text for a
    backend that keeps Django's default (SQLite), the backend's own adapter otherwise
    (psycopg's Jsonb on PostgreSQL)."""
    if encoder is None and _plain(conn):
        return dumps(value)
    return conn.ops.adapt_json_value(value, encoder)
