"""One comparison `left <op> right` with SOAR's coercions (phantom-api.md §4.5).

* `==` / `!=`: numeric when both sides read as numbers (``"3" == 3``), booleans compare
  with their text (``True == "true"``), otherwise as strings; None equals None and ``""``
  (generated filters write ``!= ""`` to mean "has a value").
* `<`, `<=`, `>`, `>=`: numeric when both sides are numbers, string order when both are
  strings (ISO timestamps in the corpus), otherwise False — never raises.
* `in` / `not in`: membership when the right side is a list, substring when both are
  strings; a list on the left matches when any of its elements does.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any, Final

OPERATORS: Final = ("==", "!=", "<", "<=", ">", ">=", "in", "not in", "startswith", "endswith", "match", "not match")
NEGATIVE: Final = frozenset({"!=", "not in", "not match"})

_ALIASES: Final = {
    "=": "==",
    "<>": "!=",
    "not_in": "not in",
    "notin": "not in",
    "not_match": "not match",
    "starts with": "startswith",
    "ends with": "endswith",
    "regex": "match",
}


class OperatorError(ValueError):
    """An operator SOAR does not know."""


def normalise_operator(op: str) -> str:
    """The canonical spelling of `op`; raises `OperatorError` for unknown operators."""
    canonical = _ALIASES.get(op.strip().lower(), op.strip().lower()) if isinstance(op, str) else op
    if canonical not in OPERATORS:
        raise OperatorError(f"unknown operator {op!r}; expected one of {', '.join(OPERATORS)}")
    return str(canonical)


def evaluate_condition(
    left: Any, operator: str, right: Any, *, case_sensitive: bool = True, delimiter: str | None = None
) -> bool:
    """Whether `left <operator> right` holds for two plain values (not datapaths).

    `delimiter` turns a string right operand of `in`/`not in` that contains it into a
    list of stripped parts (the filter block's "delimiter" option). Raises
    `OperatorError` for an unknown operator; never raises for odd operand types.
    """
    return comparator(normalise_operator(operator), case_sensitive=case_sensitive, delimiter=delimiter)(left, right)


def comparator(op: str, *, case_sensitive: bool = True, delimiter: str | None = None) -> Callable[[Any, Any], bool]:
    """The test for a canonical operator `op` (see `normalise_operator`), options applied.

    Filters call it once per row instead of once per item.
    """
    test = _OPS[op]
    split = bool(delimiter) and op in ("in", "not in")
    if case_sensitive and not split:
        return test

    def compare(left: Any, right: Any) -> bool:
        if not case_sensitive:
            left, right = _fold(left), _fold(right)
        if split and isinstance(right, str) and delimiter and delimiter in right:
            right = [part.strip() for part in right.split(delimiter)]
        return test(left, right)

    return compare


def _fold(value: Any) -> Any:
    if isinstance(value, str):
        return value.casefold()
    if isinstance(value, list):
        return [_fold(v) for v in value]
    return value


def as_number(value: Any) -> float | None:
    """`value` as a float when SOAR would compare it numerically, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        text = value.strip()
        # Cheap pre-check keeps words like "nan", "infinity" and "1_000" strings.
        if not text or not (text[0].isdigit() or text[0] in "+-.") or "_" in text:
            return None
        try:
            number = float(text)
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    return None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _eq(left: Any, right: Any) -> bool:
    if left is None or right is None:
        return (left is None or left == "") and (right is None or right == "")
    a, b = as_number(left), as_number(right)
    if a is not None and b is not None:
        return a == b
    if isinstance(left, bool) or isinstance(right, bool):
        return _text(left).lower() == _text(right).lower()
    if isinstance(left, list | Mapping) or isinstance(right, list | Mapping):
        return bool(left == right)
    return _text(left) == _text(right)


def _ordered(test: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def compare(left: Any, right: Any) -> bool:
        a, b = as_number(left), as_number(right)
        if a is not None and b is not None:
            return test(a, b)
        if isinstance(left, str) and isinstance(right, str):
            return test(left, right)
        return False

    return compare


def _in(left: Any, right: Any) -> bool:
    if isinstance(left, list):
        return any(_in(element, right) for element in left)
    if isinstance(right, list | tuple | set | frozenset):
        # Membership ignores empty cells (custom lists are full of None) and a missing left.
        return left is not None and any(_eq(left, element) for element in right if element is not None)
    if isinstance(right, Mapping):
        return _text(left) in right
    if right is None or left is None:
        return False
    return _text(left) in _text(right)


def _startswith(left: Any, right: Any) -> bool:
    return left is not None and right is not None and _text(left).startswith(_text(right))


def _endswith(left: Any, right: Any) -> bool:
    return left is not None and right is not None and _text(left).endswith(_text(right))


@lru_cache(maxsize=256)
def _regex(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern)
    except re.error:
        return None


def _match(left: Any, right: Any) -> bool:
    if left is None or right is None:
        return False
    pattern = _regex(_text(right))
    return pattern is not None and pattern.search(_text(left)) is not None


_OPS: Final[dict[str, Callable[[Any, Any], bool]]] = {
    "==": _eq,
    "!=": lambda a, b: not _eq(a, b),
    "<": _ordered(lambda a, b: a < b),
    "<=": _ordered(lambda a, b: a <= b),
    ">": _ordered(lambda a, b: a > b),
    ">=": _ordered(lambda a, b: a >= b),
    "in": _in,
    "not in": lambda a, b: not _in(a, b),
    "startswith": _startswith,
    "endswith": _endswith,
    "match": _match,
    "not match": lambda a, b: not _match(a, b),
}
