"""What a block-type plug-in provides.  One subclass per folder under ``editor/blocks``.

A plug-in knows its own fields: which of them hold datapaths (for reference checks),
which are user code, what a valid node looks like, and how to emit its Python function.
The graph-wide concerns (joins, callbacks, ordering) live in ``editor.compiler``.
"""

from __future__ import annotations

from typing import Any

from editor.compiler.context import Context
from editor.compiler.writer import custom_code_region, description_banner
from editor.graph.errors import ValidationError
from editor.graph.model import Node


def err(
    node: Node, field: str, message: str, kind: str = "invalid", severity: str = "error", line: int | None = None
) -> ValidationError:
    """A located error whose text names the block, so a flat log is still useful."""
    label = (node.function_name or node.type)[:60]  # a hostile 10 MB name stays out of messages
    return ValidationError(
        node.id,
        field,
        f"block {node.id} ({label}): {message}",
        "warning" if severity == "warning" else "error",
        kind,
        line,
    )


class BlockType:
    """Base plug-in.  ``type`` is the node ``type`` in SOAR JSON."""

    type: str = ""
    #: whether generated functions carry a "Custom Code Start/End" region
    custom_region: bool = True
    #: node.data keys this plug-in requires
    required_fields: tuple[str, ...] = ()

    # -- schema ------------------------------------------------------------------------
    def datapaths(self, node: Node) -> list[tuple[str, str]]:
        """Every (field path, string) that may be a datapath."""
        return []

    def validate(self, node: Node) -> list[ValidationError]:
        out = []
        for key in self.required_fields:
            if key not in node.data:
                out.append(err(node, f"data.{key}", f"missing required field '{key}'", "missing_field"))
        return out

    def is_async(self, node: Node) -> bool:
        return False

    # -- codegen -----------------------------------------------------------------------
    def emit(self, node: Node, ctx: Context) -> list[str]:
        raise NotImplementedError

    # shared helpers for subclasses
    @staticmethod
    def banner(node: Node) -> list[str]:
        desc = node.advanced.get("description")
        return description_banner(desc) if isinstance(desc, str) and desc.strip() else []

    @staticmethod
    def region(node: Node) -> list[str]:
        return custom_code_region(node.user_code)


def strings_in(value: Any, path: str) -> list[tuple[str, str]]:
    """All strings inside a JSON value with their key paths (datapath candidates)."""
    out: list[tuple[str, str]] = []
    if isinstance(value, str):
        out.append((path, value))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out.extend(strings_in(v, f"{path}[{i}]"))
    elif isinstance(value, dict):
        for k, v in value.items():
            out.extend(strings_in(v, f"{path}.{k}"))
    return out
