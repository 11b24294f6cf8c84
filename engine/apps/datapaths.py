"""Build and read nested results from SOAR output datapaths.

Datapaths such as ``action_result.data.*.geo.city`` are dotted keys where ``*`` stands
for "every element of a list". Real manifests are loose: some declare both a path and a
longer path under it, some apply a key straight to a list (``action_result.data.error``),
some end in a stray dot. The rules here are chosen so that whatever :func:`build` makes
from a set of paths, :func:`resolve` finds again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["build", "resolve", "split_path"]

STAR = "*"


def split_path(path: str) -> list[str]:
    """Split a datapath into segments, dropping empty ones (``a..b.`` → ``[a, b]``)."""
    return [segment for segment in path.split(".") if segment]


@dataclass
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    has_value: bool = False
    value: Any = None


def _insert(root: _Node, segments: list[str], value: Any) -> None:
    node = root
    for segment in segments:
        node = node.children.setdefault(segment, _Node())
    if not node.has_value:
        node.has_value = True
        node.value = value


def _merge(a: _Node, b: _Node) -> _Node:
    merged = _Node(has_value=a.has_value or b.has_value,
                   value=a.value if a.has_value else b.value)
    for key in a.children.keys() | b.children.keys():
        left, right = a.children.get(key), b.children.get(key)
        if left is None:
            assert right is not None
            merged.children[key] = right
        elif right is None:
            merged.children[key] = left
        else:
            merged.children[key] = _merge(left, right)
    return merged


def _flat_leaves(node: _Node, prefix: str = "") -> list[tuple[str, Any]]:
    """Entries of a vendor-keyed map. A key with a dot in it ("Dr.Web") was split into
    segments by the datapath, so leaf-only descendants are joined back into one key."""
    out: list[tuple[str, Any]] = []
    for key, child in node.children.items():
        if key == STAR:
            continue
        if child.children and STAR not in child.children:
            out.extend(_flat_leaves(child, f"{prefix}{key}."))
        else:
            out.append((f"{prefix}{key}", _materialise(child)))
    return out


def _materialise(node: _Node, *, as_list: bool = False) -> Any:
    if not node.children:
        if as_list:
            return [node.value] if node.has_value else []
        return node.value
    star = node.children.get(STAR)
    if not as_list and star is not None and not star.children and len(node.children) > 1:
        # ``categories.*`` next to ``categories.BitDefender``: SOAR documents a map keyed by
        # vendor this way; ``*`` then enumerates its values (see ``resolve``).
        return dict(_flat_leaves(node))
    if as_list or STAR in node.children:
        # A key applied to a list addresses each element, so fold keyed children into
        # the element alongside the ``*`` child.
        element = node.children.get(STAR, _Node())
        keyed = _Node(children={k: v for k, v in node.children.items() if k != STAR})
        if keyed.children:
            element = _merge(element, keyed)
        return [_materialise(element)]
    # A path that is also the prefix of longer paths becomes a container; its own leaf
    # value is dropped, which still resolves (to the container).
    return {key: _materialise(child) for key, child in node.children.items()}


def build(items: Iterable[tuple[str, Any]], *, list_roots: Iterable[str] = ()) -> dict[str, Any]:
    """Build a nested dict from ``(datapath, value)`` pairs.

    ``*`` segments become one-element lists. Top-level keys named in ``list_roots`` are
    always lists (SOAR's ``data``), even when the paths under them omit the ``*``. The
    first value given for a path wins.
    """
    root = _Node()
    for path, value in items:
        segments = split_path(path)
        if segments:
            _insert(root, segments, value)
    forced = set(list_roots)
    return {key: _materialise(child, as_list=key in forced)
            for key, child in root.children.items()}


def resolve(obj: Any, path: str | list[str]) -> list[Any]:
    """Every value at ``path`` inside ``obj``; empty when the path leads nowhere.

    Lists are walked both by an explicit ``*`` and implicitly when a key is applied to
    a list (SOAR's collect does the same), so ``data.ip`` and ``data.*.ip`` agree. A
    trailing ``*`` on a map gives its values, and a key that holds dots ("Dr.Web") is
    found from the segments the datapath split it into.
    """
    segments = split_path(path) if isinstance(path, str) else path
    return _walk(obj, segments, 0)


def _walk(item: Any, segments: list[str], i: int) -> list[Any]:
    if i == len(segments):
        return [item]
    segment = segments[i]
    if isinstance(item, list):
        found: list[Any] = []
        for element in item:
            found.extend(_walk(element, segments, i + 1 if segment == STAR else i))
        return found
    if not isinstance(item, Mapping):
        return []
    if segment == STAR and i == len(segments) - 1:
        return list(item.values())
    if segment in item:
        return _walk(item[segment], segments, i + 1)
    for j in range(i + 2, len(segments) + 1):
        key = ".".join(segments[i:j])
        if key in item:
            return _walk(item[key], segments, j)
    return []
