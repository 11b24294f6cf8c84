"""Integers from URLs and query strings, bounded to what the database stores.

SQLite's INTEGER and PostgreSQL's bigint hold signed 64-bit values. A larger number reached
SQLite's driver as an OverflowError (a 500), so every integer a request carries goes through
here first:

* path segments through the ``<id:…>`` converter (registered by ``register()``, which the
  engine's AppConfig calls before any URL module loads): a larger number matches no route
  and answers 404, like any other id that does not exist;
* query parameters through ``int_param``: a 400 naming the parameter;
* free text that may be an id (a search box) through ``as_id``.
"""
from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any, overload

from django.urls import register_converter
from django.urls.converters import get_converters
from rest_framework.exceptions import ValidationError

DB_INT_MAX = 2**63 - 1
DB_INT_MIN = -(2**63)
_INTEGER = re.compile(r"-?[0-9]+")


def in_db_range(value: int) -> bool:
    return DB_INT_MIN <= value <= DB_INT_MAX


class IdConverter:
    """``<id:pk>``: a non-negative integer the database can store; Django's ``<int:…>``
    takes any number of digits."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > DB_INT_MAX:
            raise ValueError("larger than any stored id")  # Django: this route does not match
        return number

    def to_url(self, value: int | str) -> str:
        return str(value)


def register() -> None:
    if "id" not in get_converters():
        register_converter(IdConverter, "id")


@overload
def int_param(params: Mapping[str, Any], name: str, default: int, *, minimum: int = 0,
              maximum: int | None = None) -> int: ...


@overload
def int_param(params: Mapping[str, Any], name: str, default: None = None, *, minimum: int = 0,
              maximum: int | None = None) -> int | None: ...


def int_param(params: Mapping[str, Any], name: str, default: int | None = None, *, minimum: int = 0,
              maximum: int | None = None) -> int | None:
    """The query parameter ``name`` as an integer of at least ``minimum`` (``default`` when
    absent or empty), lowered to ``maximum`` when one is given. A value that is not a plain
    decimal integer, is below ``minimum`` or beyond what the database stores is a 400 that
    names the parameter."""
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    if not isinstance(raw, str) or not _INTEGER.fullmatch(raw):
        raise ValidationError({name: [f"must be an integer, got {str(raw)[:50]!r}"]})
    value = int(raw)
    if value < minimum:
        raise ValidationError({name: [f"must be at least {minimum}"]})
    if value > DB_INT_MAX:
        raise ValidationError({name: [f"must be at most {DB_INT_MAX}"]})
    return min(value, maximum) if maximum is not None else value


def as_id(text: str) -> int | None:
    """``text`` as an id when it is one (ASCII digits, in range), else None: for search
    boxes that also find a row by its id."""
    if not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    return value if value <= DB_INT_MAX else None


def check_json_numbers(param: str, value: Any) -> None:
    """Refuse numbers in a parsed JSON value that no column stores: integers beyond 64 bits
    and floats that overflowed to infinity (``1e400``), naming the parameter."""
    if isinstance(value, bool):
        return
    if isinstance(value, int) and not in_db_range(value):
        raise ValidationError({param: [f"integer out of range ({DB_INT_MIN} to {DB_INT_MAX})"]})
    if isinstance(value, float) and not math.isfinite(value):
        raise ValidationError({param: ["number out of range"]})
    if isinstance(value, list):
        for item in value:
            check_json_numbers(param, item)
    elif isinstance(value, dict):
        for item in value.values():
            check_json_numbers(param, item)
