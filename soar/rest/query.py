"""SOAR's REST query language: `_filter_<field>[__<lookup>]=<literal>`, paging, sorting.

Filter values are literals, so a string is written with its quotes: JSON's
(`_filter_name="phish"`) or Python's, as SOAR's own docs write them (`_filter_label='email'`,
`True`, `False`, `None`, `[1, 2]`). Besides the resource's fields, a foreign key `x` of
the model can be filtered by `x_id` and by `x_name` (the related row's name, a user's
username): `_filter_owner_name="admin"`, as SOAR documents. Every field and lookup is checked
against a whitelist and every value against the field's type, so a bad query is a 400
naming the parameter, never a database error.
"""
from __future__ import annotations

import ast
import io
import json
import math
import re
import tokenize
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import QueryDict
from django.utils.dateparse import parse_date, parse_datetime
from rest_framework.exceptions import ValidationError

from soar.ids import check_json_numbers, in_db_range, int_param

LOOKUPS = frozenset({
    "exact", "iexact", "contains", "icontains", "in", "gt", "gte", "lt", "lte",
    "startswith", "istartswith", "endswith", "iendswith", "regex", "iregex", "isnull",
})
_KEY = re.compile(r"^[A-Za-z0-9_\-]{1,128}$")
MAX_VALUE_CHARS = 4096
DEFAULT_PAGE_SIZE = 10


def _bad(param: str, message: str) -> ValidationError:
    return ValidationError({param: [message]})


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # json.loads takes NaN and Infinity; columns do not


LITERAL_HELP = "value must be a JSON literal or a Python one: a quoted string ('text' or \"text\"), a number, true/false/null, True/False/None or a list [1, 2]"


def parse_literal(param: str, raw: str) -> Any:
    """A filter value: a JSON literal, else a Python literal (SOAR evaluates `'email'`,
    `True`, `None`, `[1,2]`). Sets, dicts with non-string keys, bytes and complex numbers
    have no column to match, so they are refused like any other non-literal."""
    try:
        return json.loads(raw, parse_constant=_no_constant)
    except ValueError:
        pass
    try:
        if _adjacent_strings(raw):
            raise ValueError("implicit concatenation")
        value = ast.literal_eval(raw.strip())
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError, tokenize.TokenError):
        raise _bad(param, LITERAL_HELP) from None
    return _plain(param, value)


def _adjacent_strings(raw: str) -> bool:
    """Whether two string literals stand side by side (`' OR ''='`): Python would join them
    into one string, which is never what a filter value meant."""
    previous = None
    for token in tokenize.generate_tokens(io.StringIO(raw.strip()).readline):
        if token.type in (tokenize.NL, tokenize.NEWLINE, tokenize.ENDMARKER, tokenize.COMMENT):
            continue
        if token.type == tokenize.STRING and previous == tokenize.STRING:
            return True
        previous = token.type
    return False


def _plain(param: str, value: Any) -> Any:
    """A Python literal as the JSON value it spells (a tuple is a list)."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _bad(param, LITERAL_HELP)
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(param, v) for v in value]
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {k: _plain(param, v) for k, v in value.items()}
    raise _bad(param, LITERAL_HELP)


@dataclass
class QuerySpec:
    """What a resource allows to be filtered and sorted.

    `fields` maps the public field name to the ORM path; JSON object fields (cef, data)
    accept key paths below them; JSON list fields (tags) accept `contains`.
    """

    fields: dict[str, str]
    json_objects: frozenset[str] = frozenset()
    json_lists: frozenset[str] = frozenset()
    sortable: frozenset[str] = frozenset()
    default_sort: str = "id"
    default_order: str = "desc"
    extra: dict[str, Any] = field(default_factory=dict)


class SoarQuery:
    def __init__(self, params: QueryDict, spec: QuerySpec, model: type[models.Model]) -> None:
        self.params = params
        self.spec = spec
        self.model = model

    # --- paging and sorting -----------------------------------------------------------
    def page(self) -> tuple[int, int]:
        return int_param(self.params, "page", 0), int_param(self.params, "page_size", DEFAULT_PAGE_SIZE)

    def ordering(self) -> list[str]:
        sort = self.params.get("sort") or self.spec.default_sort
        order = (self.params.get("order") or self.spec.default_order).lower()
        if sort not in self.spec.sortable and sort != "id":
            raise _bad("sort", f"cannot sort by {sort[:64]!r}; sortable fields: {', '.join(sorted(self.spec.sortable | {'id'}))}")
        if order not in ("asc", "desc"):
            raise _bad("order", "must be asc or desc")
        path = self.spec.fields.get(sort, sort)
        prefix = "-" if order == "desc" else ""
        return [prefix + path] + ([] if sort == "id" else [prefix + "id"])

    # --- filters ----------------------------------------------------------------------
    def apply(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        for param in sorted(self.params.keys()):
            for prefix, negate in (("_filter_", False), ("_exclude_", True)):
                if param.startswith(prefix):
                    cond = self._condition(param, param[len(prefix):], self.params.get(param, ""))
                    qs = qs.exclude(cond) if negate else qs.filter(cond)
        return qs.order_by(*self.ordering())

    def filter_fields(self) -> dict[str, str]:
        """The spec's fields and, for each foreign key `x` of the model, `x_id` and `x_name`."""
        found = dict(self.spec.fields)
        for model_field in self.model._meta.concrete_fields:
            related = model_field.related_model if model_field.many_to_one else None
            if related is None:
                continue
            found.setdefault(f"{model_field.name}_id", model_field.attname)
            label = getattr(related, "USERNAME_FIELD", None) or ("name" if _has_field(related, "name") else None)
            if label:
                found.setdefault(f"{model_field.name}_name", f"{model_field.name}__{label}")
        return found

    def _condition(self, param: str, expr: str, raw: str) -> Q:
        parts = expr.split("__")
        name = parts[0]
        known = self.filter_fields()
        if name not in known:
            allowed = ", ".join(sorted(known))
            raise _bad(param, f"unknown filter field {name[:64]!r}; filterable fields: {allowed}")
        if len(raw) > MAX_VALUE_CHARS:
            raise _bad(param, f"value is longer than {MAX_VALUE_CHARS} characters")
        value = parse_literal(param, raw)
        check_json_numbers(param, value)
        rest = parts[1:]
        lookup = "exact"
        if rest and rest[-1] in LOOKUPS:
            lookup = rest.pop()
        path = known[name]
        if name in self.spec.json_lists:
            if rest or lookup not in ("contains", "exact", "isnull"):
                raise _bad(param, f"{name} is a list: use {name}__contains")
            return self._list_contains(param, path, value, lookup)
        if rest:
            if name not in self.spec.json_objects:
                raise _bad(param, f"unknown lookup {rest[0][:64]!r} for {name}; lookups: {', '.join(sorted(LOOKUPS))}")
            for key in rest:
                if not _KEY.match(key):
                    raise _bad(param, f"invalid key {key[:64]!r} in a {name} path")
            return Q(**{f"{path}__{'__'.join(rest)}__{lookup}": self._json_value(param, lookup, value)})
        if name in self.spec.json_objects:
            raise _bad(param, f"{name} is an object: filter on a key, e.g. _filter_{name}__sourceAddress")
        if value is None and lookup == "exact":
            return Q(**{f"{path}__isnull": True})  # `=None` (SOAR's Python literal) is "has none"
        return Q(**{f"{path}__{lookup}": self._typed(param, path, lookup, value)})

    def _json_value(self, param: str, lookup: str, value: Any) -> Any:
        if lookup == "isnull":
            if not isinstance(value, bool):
                raise _bad(param, "isnull takes true or false")
        elif lookup == "in":
            if not isinstance(value, list):
                raise _bad(param, "__in takes a JSON list, e.g. [1, 2]")
        elif lookup in ("regex", "iregex"):
            self._check_regex(param, value)
        elif isinstance(value, (dict, list)):
            raise _bad(param, "value must be a string, number, boolean or null")
        return value

    def _list_contains(self, param: str, path: str, value: Any, lookup: str) -> Q:
        if lookup == "isnull":
            return Q(**{f"{path}__isnull": self._json_value(param, lookup, value)})
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise _bad(param, "contains takes a string or number")
        if connection.vendor == "postgresql":
            return Q(**{f"{path}__contains": [value]})
        # SQLite's JSON1 has no containment operator; ask json_each instead.
        table = self.model._meta.db_table
        column = self.model._meta.get_field(path).column  # type: ignore[union-attr]
        sql = f'EXISTS (SELECT 1 FROM json_each("{table}"."{column}") WHERE json_each.value = %s)'
        return Q(RawSQL(sql, (value,), output_field=models.BooleanField()))

    @staticmethod
    def _check_regex(param: str, value: Any) -> None:
        if not isinstance(value, str):
            raise _bad(param, "a regex must be a string")
        try:
            re.compile(value)
        except re.error as exc:
            raise _bad(param, f"invalid regular expression: {exc}") from None

    def _typed(self, param: str, path: str, lookup: str, value: Any) -> Any:
        if lookup == "isnull":
            if not isinstance(value, bool):
                raise _bad(param, "isnull takes true or false")
            return value
        if lookup == "in":
            if not isinstance(value, list) or len(value) > 1000:
                raise _bad(param, "__in takes a JSON list of at most 1000 values")
            return [self._scalar(param, path, lookup, v) for v in value]
        if lookup in ("regex", "iregex"):
            self._check_regex(param, value)
            return value
        return self._scalar(param, path, lookup, value)

    def _scalar(self, param: str, path: str, lookup: str, value: Any) -> Any:
        model_field = self._field(path)
        kind = model_field.get_internal_type()
        text_lookup = lookup in ("contains", "icontains", "startswith", "istartswith", "endswith", "iendswith", "iexact")
        if kind in ("AutoField", "BigAutoField", "IntegerField", "BigIntegerField", "ForeignKey", "PositiveIntegerField"):
            if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, str) and value.isdigit())):
                raise _bad(param, f"expects an integer, got {json.dumps(value)[:64]}")
            if text_lookup:
                raise _bad(param, f"lookup {lookup} does not apply to a number")
            value = int(value)
            if not in_db_range(value):
                raise _bad(param, "integer out of range")
            return value
        if kind == "BooleanField":
            if not isinstance(value, bool):
                raise _bad(param, "expects true or false")
            return value
        if kind in ("DateTimeField", "DateField"):
            if not isinstance(value, str) or (parse_datetime(value) or parse_date(value)) is None:
                raise _bad(param, 'expects a date or ISO-8601 timestamp string, e.g. "2024-01-31T12:00:00Z"')
            return value
        if isinstance(value, (dict, list)) or value is None:
            raise _bad(param, "expects a string")
        return str(value)

    def _field(self, path: str) -> Any:
        model: Any = self.model
        parts = path.split("__")
        for part in parts[:-1]:
            model = model._meta.get_field(part).related_model
        return model._meta.get_field(parts[-1])


def _has_field(model: Any, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - FieldDoesNotExist: the model has no such field
        return False
    return True


_MAX_OFFSET = 2**62


def paginate(qs: QuerySet[Any], page: int, page_size: int) -> tuple[int, int, list[Any]]:
    """(count, num_pages, the page's rows). A page that comes back short of page_size tells the
    count without a COUNT query: the common case, one page of a short list."""
    if page_size == 0:
        rows = list(qs)
        return len(rows), 1 if rows else 0, rows
    # Clamped so OFFSET and LIMIT stay within 64 bits however large the page asked for.
    start = min(page * page_size, _MAX_OFFSET)
    rows = list(qs[start:start + page_size])
    if len(rows) < page_size and (rows or start == 0):
        count = start + len(rows)
    else:
        count = qs.count()
    return count, math.ceil(count / page_size), rows
