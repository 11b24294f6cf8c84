"""Datapath grammar: ``<location>:<path>`` parsed once into a frozen `Datapath`.

SOAR addresses every value a playbook reads with a datapath (phantom-api.md §4.1,
soar-format.md §4). Parsing is cached because generated code passes the same literal
strings on every call, and resolution must not re-split them per item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Final

STAR: Final = "*"

# A path segment: a dict key, a list index (purely numeric segment) or STAR.
Segment = str | int


class Kind(StrEnum):
    """What a datapath reads; decides which DataSource method answers it."""

    ARTIFACT = "artifact"  # artifact:*.<path>
    CONTAINER = "container"  # container:<path>
    PLAYBOOK_INPUT = "playbook_input"  # playbook_input:<name>[.<path>]
    CUSTOM_LIST = "custom_list"  # custom_list:<name> (comparison value only)
    ACTION_RESULT = "action_result"  # B:action_result[.<path>]
    ACTION_ARTIFACT = "action_artifact"  # B:artifact:*.<path> (artifact that fed the action)
    APP_RUN = "app_run"  # B:summary.<path> (app-run level, classic)
    CF_RESULT = "custom_function_result"  # B:custom_function_result[.<path>]
    CODE_OUTPUT = "custom_function"  # B:custom_function:<var>[.<path>] (code-block output)
    FORMAT = "formatted_data"  # B:formatted_data[.*]
    PLAYBOOK_OUTPUT = "playbook_output"  # B:playbook_output:<name>[.<path>]
    CHILD_INPUT = "child_playbook_input"  # B:playbook_input:<name> (odd corpus form)
    CALLBACK_RESULT = "filtered_action_result"  # classic B:filtered-action_result[.<path>]
    CALLBACK_ARTIFACT = "filtered_artifact"  # classic filtered-artifact:*.<path>


class DatapathError(ValueError):
    """A string that is not a well-formed datapath; `column` points at the problem."""

    def __init__(self, text: str, column: int, reason: str) -> None:
        self.text = text
        self.column = column
        self.reason = reason
        super().__init__(f"malformed datapath {text!r} at column {column}: {reason}")


@dataclass(frozen=True, slots=True)
class Datapath:
    """A parsed datapath.

    `segments` is the dotted path applied to each item of the source (STAR expands a
    list, ints index lists). `block` names the upstream block, `name` the input, output,
    variable or custom list, `filtered_by` the filter set (``"filter_1:condition_1"``).
    """

    raw: str
    kind: Kind
    segments: tuple[Segment, ...] = ()
    block: str | None = None
    name: str | None = None
    filtered_by: str | None = None

    @property
    def has_star(self) -> bool:
        return STAR in self.segments


_IDENT = re.compile(r"[A-Za-z0-9_]+\Z")
_CONDITION = re.compile(r"condition_([0-9]+)\Z")
_ROOTS = "action_result, artifact:*, summary, custom_function_result, custom_function:, formatted_data, playbook_output:, playbook_input:"


def parse_datapath(text: str, *, strict: bool = True) -> Datapath:
    """Parse `text` into a `Datapath`.

    Returns the cached, immutable parse. Raises `DatapathError` (a ValueError) with the
    column of the first problem when `text` is not a datapath — callers that accept
    literals too should use `try_parse_datapath`. `strict=False` is what the runtime
    uses: an empty path segment (``data.*.x.`` — one corpus playbook has such a typo)
    becomes a key that is never present, so the path yields None as it does in SOAR
    instead of failing the run; every other error still raises.
    """
    return _parse(text, strict)


@lru_cache(maxsize=8192)
def _parse(text: str, strict: bool) -> Datapath:
    if not isinstance(text, str):
        raise DatapathError(repr(text), 0, "a datapath must be a string")
    if not text:
        raise DatapathError(text, 0, "empty string")
    offset = 0
    filtered_by: str | None = None
    rest = text
    if rest.startswith("filtered-data:"):
        parts = rest.split(":", 3)
        if len(parts) < 4 or not parts[3]:
            raise DatapathError(text, len(rest), "expected filtered-data:<filter>:condition_<n>:<datapath>")
        _, filter_block, condition, inner = parts
        if not _IDENT.match(filter_block):
            raise DatapathError(text, len("filtered-data:"), f"bad filter block name {filter_block!r}")
        if not _CONDITION.match(condition):
            raise DatapathError(
                text, len("filtered-data:") + len(filter_block) + 1, f"expected condition_<n>, got {condition!r}"
            )
        filtered_by = f"{filter_block}:{condition}"
        offset = len(text) - len(inner)
        rest = inner
    return _parse_source(text, rest, offset, filtered_by, strict)


def try_parse_datapath(value: object, *, strict: bool = False) -> Datapath | None:
    """The parsed datapath (lenient by default, like the runtime), or None for a literal."""
    if not isinstance(value, str) or ":" not in value:
        return None
    try:
        return parse_datapath(value, strict=strict)
    except DatapathError:
        return None


def is_datapath(value: object, *, strict: bool = False) -> bool:
    """True when `value` is a string SOAR would read as a datapath rather than a literal."""
    return try_parse_datapath(value, strict=strict) is not None


def _parse_source(text: str, rest: str, offset: int, filtered_by: str | None, strict: bool) -> Datapath:
    location, sep, tail = rest.partition(":")
    if not sep:
        raise DatapathError(text, offset, "missing ':' between location and path")
    tail_at = offset + len(location) + 1
    if location == "artifact":
        return Datapath(
            text, Kind.ARTIFACT, _star_path(text, tail, tail_at, "artifact", strict), filtered_by=filtered_by
        )
    if location == "filtered-artifact":
        return Datapath(
            text,
            Kind.CALLBACK_ARTIFACT,
            _star_path(text, tail, tail_at, "filtered-artifact", strict),
            filtered_by=filtered_by,
        )
    if location == "container":
        return Datapath(
            text, Kind.CONTAINER, _segments(text, tail, tail_at, required=True, strict=strict), filtered_by=filtered_by
        )
    if location == "playbook_input":
        name, segs = _named(text, tail, tail_at, strict)
        return Datapath(text, Kind.PLAYBOOK_INPUT, segs, name=name, filtered_by=filtered_by)
    if location == "custom_list":
        if not tail:
            raise DatapathError(text, tail_at, "custom_list needs a list name")
        # List names are free text (spaces, dots): the whole tail is the name.
        return Datapath(text, Kind.CUSTOM_LIST, name=tail, filtered_by=filtered_by)
    if not _IDENT.match(location):
        raise DatapathError(text, offset, f"{location!r} is neither a known location nor a block name")
    return _parse_block_path(text, location, tail, tail_at, filtered_by, strict)


def _parse_block_path(text: str, block: str, tail: str, at: int, filtered_by: str | None, strict: bool) -> Datapath:
    head, dot, path = tail.partition(".")
    path_at = at + len(head) + 1
    if head in ("action_result", "filtered-action_result", "custom_function_result", "summary"):
        kind = {
            "action_result": Kind.ACTION_RESULT,
            "filtered-action_result": Kind.CALLBACK_RESULT,
            "custom_function_result": Kind.CF_RESULT,
            "summary": Kind.APP_RUN,
        }[head]
        segs = _segments(text, path, path_at, required=bool(dot), strict=strict)
        if kind is Kind.APP_RUN:
            segs = ("summary", *segs)
        return Datapath(text, kind, segs, block=block, filtered_by=filtered_by)
    if head == "formatted_data":
        if not dot:
            return Datapath(text, Kind.FORMAT, block=block, filtered_by=filtered_by)
        if path != STAR:
            raise DatapathError(text, path_at, "formatted_data takes no path other than '.*'")
        return Datapath(text, Kind.FORMAT, (STAR,), block=block, filtered_by=filtered_by)
    sub, colon, rest = tail.partition(":")
    rest_at = at + len(sub) + 1
    if colon and sub == "artifact":
        return Datapath(
            text,
            Kind.ACTION_ARTIFACT,
            _star_path(text, rest, rest_at, f"{block}:artifact", strict),
            block=block,
            filtered_by=filtered_by,
        )
    if colon and sub in ("custom_function", "playbook_output", "playbook_input"):
        kind = {
            "custom_function": Kind.CODE_OUTPUT,
            "playbook_output": Kind.PLAYBOOK_OUTPUT,
            "playbook_input": Kind.CHILD_INPUT,
        }[sub]
        name, segs = _named(text, rest, rest_at, strict)
        return Datapath(text, kind, segs, block=block, name=name, filtered_by=filtered_by)
    raise DatapathError(
        text, at, f"unknown root {tail.split('.')[0]!r} after block {block!r} (expected one of {_ROOTS})"
    )


def _star_path(text: str, tail: str, at: int, what: str, strict: bool) -> tuple[Segment, ...]:
    # `artifact:*` iterates the artifacts themselves; the rest applies to each one.
    if tail == STAR:
        return ()
    if not tail.startswith("*."):
        raise DatapathError(text, at, f"{what}: must be followed by '*' or '*.<path>'")
    return _segments(text, tail[2:], at + 2, required=True, strict=strict)


def _named(text: str, tail: str, at: int, strict: bool) -> tuple[str, tuple[Segment, ...]]:
    name, dot, path = tail.partition(".")
    if not name:
        raise DatapathError(text, at, "missing name")
    return name, _segments(text, path, at + len(name) + 1, required=bool(dot), strict=strict)


def _segments(text: str, path: str, at: int, *, required: bool, strict: bool = True) -> tuple[Segment, ...]:
    if not path:
        if required:
            raise DatapathError(text, at, "empty path")
        return ()
    out: list[Segment] = []
    column = at
    for seg in path.split("."):
        if not seg and strict:
            raise DatapathError(text, column, "empty path segment (doubled or trailing '.')")
        out.append(int(seg) if seg.isascii() and seg.isdigit() else seg)
        column += len(seg) + 1
    return tuple(out)
