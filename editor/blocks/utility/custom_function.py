"""Custom-function utility: ``phantom.custom_function("<repo>/<name>", …)`` (§3.6.8)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from editor.blocks.base import err
from editor.blocks.utility.common import utility_fields, utility_name, utility_values
from editor.compiler.context import Context
from editor.compiler.loaders import Loader
from editor.compiler.params import emit_parameter_rows
from editor.compiler.writer import Writer, py_str
from editor.graph.errors import ValidationError
from editor.graph.model import Node

if TYPE_CHECKING:
    from editor.blocks.base import BlockType


def cf_path(node: Node) -> str:
    cf = node.data.get("customFunction")
    if isinstance(cf, dict):
        return f"{cf.get('repoName', '')}/{cf.get('name', '')}"
    return f"local/{utility_name(node) or ''}"


def validate_custom_function(node: Node) -> list[ValidationError]:
    cf = node.data.get("customFunction")
    if not isinstance(cf, dict) or not isinstance(cf.get("name"), str):
        return [err(node, "data.customFunction", "custom function block must name its function", "missing_field")]
    return []


def list_inputs(node: Node) -> set[str]:
    return {f["name"] for f in utility_fields(node) if f.get("inputType") == "list" and isinstance(f.get("name"), str)}


def emit_custom_function(block: BlockType, node: Node, ctx: Context) -> list[str]:
    fn = ctx.names[node.id]
    # `_internal` lists the hidden fields the editor fills itself; it is not an input.
    values = {k: v for k, v in utility_values(node).items() if k != "_internal"}
    lists = list_inputs(node)
    w = Writer()
    w.raw(ctx.header(fn))
    w.raw(block.banner(node))
    w.line()
    loader = Loader(node.advanced.get("scope") == "all", ctx.features.walrus)
    for value in values.values():
        for s in value if isinstance(value, list) else [value]:
            if isinstance(s, str):
                loader.add(s)
    loader.add_context_columns()
    loader.emit(w, columns=any(k in lists for k in values))
    w.line()
    # List inputs take whole columns; item inputs iterate rows (no None check, §3.6.8).
    formatted: dict[str, str] = {}
    params: list[tuple[str, Any]] = []
    for key, value in values.items():
        if key in lists or isinstance(value, list):
            items = value if isinstance(value, list) else [value]
            cols = [loader.column_expr(s) if isinstance(s, str) else None for s in items]
            exprs = [
                c if c is not None else (py_str(s) if isinstance(s, str) else "None")
                for c, s in zip(cols, items, strict=True)
            ]
            formatted[key] = exprs[0] if len(exprs) == 1 else "[" + ", ".join(exprs) + "]"
        params.append((key, value))
    emit_parameter_rows(w, fn, params, loader, formatted, set(), none_checks=False, context_artifacts=False)
    w.raw(block.region(node))
    w.line()
    call = f"phantom.custom_function(custom_function={py_str(cf_path(node))}, parameters=parameters, name={py_str(fn)}"
    target = ctx.callback_target(node.id)
    if target:
        call += f", callback={target}"
    w.line(call + ")")
    w.line()
    w.line("return")
    return w.lines
