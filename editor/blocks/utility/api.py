"""API utility: ``phantom.<api>(container=container, <field>=<value>, …)`` (§3.6.7)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from editor.blocks.base import err
from editor.blocks.utility.common import utility_name, utility_values
from editor.compiler.context import Context
from editor.compiler.loaders import Loader
from editor.compiler.writer import Writer, py_value
from editor.graph.errors import ValidationError, show
from editor.graph.model import Node
from editor.graph.naming import identifier_problem

if TYPE_CHECKING:
    from editor.blocks.base import BlockType


def validate_api(node: Node) -> list[ValidationError]:
    name = utility_name(node)
    if name is None:
        return [err(node, "data.utilities", "API utility must name exactly one API", "missing_field")]
    out = []
    problem = identifier_problem(name)
    if problem:
        out.append(err(node, "data.utilities", f"API name {show(name)} {problem}", "bad_identifier"))
    for key in utility_values(node):
        if key == "_internal":
            continue
        problem = identifier_problem(key)
        if problem:
            out.append(err(node, f"data.values.{name}", f"API argument {show(key)} {problem}", "bad_identifier"))
    return out


def emit_api(block: BlockType, node: Node, ctx: Context) -> list[str]:
    fn = ctx.names[node.id]
    api = utility_name(node) or ""
    # An argument left empty is JSON null: SOAR leaves it out, so the API's own default
    # applies (``title=None`` would pass None on instead).
    values = {
        k: v for k, v in utility_values(node).items() if k not in ("_internal", "container") and v is not None
    }
    w = Writer()
    w.raw(ctx.header(fn))
    w.raw(block.banner(node))
    w.line()
    loader = Loader(node.advanced.get("scope") == "all", ctx.features.walrus)
    for value in values.values():
        if isinstance(value, str):
            loader.add(value)
    loader.emit(w)
    w.raw(block.region(node))
    w.line()
    args = ["container=container"]
    for key, value in values.items():
        expr = loader.column_expr(value) if isinstance(value, str) else None
        args.append(f"{key}={expr if expr is not None else py_value(value)}")
    w.line(f"phantom.{api}({', '.join(args)})")
    if node.data.get("refreshNotableData") is True or node.advanced.get("refreshNotableData") is True:
        w.line()
        w.line("container = phantom.get_container(container.get('id', None))")
    w.line()
    for c in ctx.child_ids(node.id):
        w.line(f"{ctx.call_name(c)}(container=container)")
    if ctx.child_ids(node.id):
        w.line()
    w.line("return")
    return w.lines
