"""Helpers shared by the two utility templates."""

from __future__ import annotations

from typing import Any

from editor.graph.model import Node


def utility_name(node: Node) -> str | None:
    """The single key of ``utilities`` (API name or custom function name)."""
    utils = node.data.get("utilities")
    if isinstance(utils, dict) and len(utils) == 1:
        key = next(iter(utils))
        return key if isinstance(key, str) else None
    values = node.data.get("values")
    if isinstance(values, dict) and len(values) == 1:
        key = next(iter(values))
        return key if isinstance(key, str) else None
    return None


def utility_values(node: Node) -> dict[str, Any]:
    name = utility_name(node)
    values = node.data.get("values")
    if name is None or not isinstance(values, dict) or not isinstance(values.get(name), dict):
        return {}
    out: dict[str, Any] = values[name]
    return out


def utility_fields(node: Node) -> list[dict[str, Any]]:
    name = utility_name(node)
    utils = node.data.get("utilities")
    if name is None or not isinstance(utils, dict) or not isinstance(utils.get(name), dict):
        return []
    fields = utils[name].get("fields")
    return [f for f in fields if isinstance(f, dict)] if isinstance(fields, list) else []
