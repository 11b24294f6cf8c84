"""Applying parsed path segments to JSON values (no parsing here: segments are precompiled)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ._datapath import STAR, Segment


def step(obj: Any, seg: Segment) -> Any:
    """One segment: dict key, list index (ints), else None — SOAR yields None, never raises."""
    if type(obj) is dict:  # the overwhelmingly common case; skips the slow ABC check
        return obj.get(seg) if type(seg) is str else obj.get(str(seg))
    if type(seg) is int:
        if isinstance(obj, list):
            return obj[seg] if seg < len(obj) else None
        if isinstance(obj, Mapping):
            return obj.get(str(seg))
        return None
    if isinstance(obj, Mapping):
        return obj.get(seg)
    return None


def get_one(obj: Any, segments: Sequence[Segment]) -> Any:
    """The value at a star-free path (None when any step is missing)."""
    for seg in segments:
        if obj is None:
            return None
        obj = step(obj, seg)
    return obj


def get_all(obj: Any, segments: Sequence[Segment], start: int = 0, *, expand_lists: bool = False) -> list[Any]:
    """Every value at a path, `*` expanding lists; [] when a `*` meets an empty list.

    `expand_lists` makes a key step over a list map across its elements: playbook outputs
    and inputs are lists by construction, and corpus paths such as
    ``observable.ticket.name`` address fields of each element without a `*`.
    """
    for i in range(start, len(segments)):
        seg = segments[i]
        if obj is None:
            return [None]
        if seg == STAR and i == len(segments) - 1 and type(obj) is dict:
            # A trailing `*` on a map (vendor-keyed `categories.*`) gives its values.
            return list(obj.values())
        if seg == STAR or (expand_lists and isinstance(obj, list) and type(seg) is not int):
            if isinstance(obj, list):
                elements = obj
            else:
                # A single object where a list was expected behaves as a one-element list
                # (connectors are not consistent about wrapping lone results).
                elements = [obj]
            rest = i + 1 if seg == STAR else i
            out: list[Any] = []
            for element in elements:
                out.extend(get_all(element, segments, rest, expand_lists=expand_lists))
            return out
        if type(obj) is dict and type(seg) is str and seg not in obj:
            joined = _dotted_key(obj, segments, i)
            if joined is not None:
                key, end = joined
                return get_all(obj[key], segments, end, expand_lists=expand_lists)
        obj = step(obj, seg)
    return [obj]


def _dotted_key(obj: dict[str, Any], segments: Sequence[Segment], i: int) -> tuple[str, int] | None:
    """A key holding dots ("Dr.Web", "alphaMountain.ai") that the datapath split into
    segments: (key, index after it), or None."""
    for j in range(i + 2, len(segments) + 1):
        if any(type(s) is not str for s in segments[i:j]):
            return None
        key = ".".join(str(s) for s in segments[i:j])
        if key in obj:
            return key, j
    return None
