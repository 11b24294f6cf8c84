"""Assemble the Python module: docstring, imports, global region, then the functions in
SOAR's order (on_start, blocks by node id with join_/loop_ before and _callback after,
on_finish last)."""

from __future__ import annotations

from editor.compiler.context import Context, PlaybookLookup
from editor.compiler.flow import callback_function, join_function
from editor.compiler.loops import loop_function
from editor.compiler.writer import docstring_body, global_code_region
from editor.graph.model import END_ID, START_ID, Playbook

HEADER = ["", "", "import phantom.rules as phantom", "import json", "from datetime import datetime, timedelta", "", ""]


def custom_function_source(code: str, ctx: Context) -> list[str]:
    """A whole-function override (``node.customCode``) is used as-is, decorated like the
    generated function it replaces."""
    deco = ["@phantom.playbook_block()"] if ctx.features.decorator else []
    return deco + code.rstrip("\n").split("\n")


def block_functions(node_id: str, ctx: Context) -> list[list[str]]:
    # Imported here: block plug-ins import the compiler's helpers, so a module-level
    # import would be circular.
    from editor.blocks import block_type

    node = ctx.node(node_id)
    plugin = block_type(node.type)
    if plugin is None:
        return []
    out: list[list[str]] = []
    if ctx.has_join(node_id):
        out.append(join_function(node_id, ctx))
    if ctx.loop_enabled(node) and plugin.is_async(node):
        out.append(loop_function(node, ctx))
    custom = node.custom_code
    out.append(custom_function_source(custom, ctx) if custom is not None else plugin.emit(node, ctx))
    if ctx.needs_fanout(node_id):
        out.append(callback_function(node_id, ctx))
    return out


def render_module(playbook: Playbook, playbook_lookup: PlaybookLookup | None = None) -> str:
    ctx = Context(playbook, playbook_lookup)
    parts: list[str] = ['"""', docstring_body(playbook.description), '"""', *HEADER]
    gcode = playbook.global_custom_code
    if gcode is not None:
        parts += global_code_region(gcode) + [""]
    functions: list[list[str]] = []
    if START_ID in playbook.nodes:
        functions += block_functions(START_ID, ctx)
    for node_id in playbook.node_order():
        if node_id in (START_ID, END_ID):
            continue
        functions += block_functions(node_id, ctx)
    if END_ID in playbook.nodes:
        functions += block_functions(END_ID, ctx)
    body = "\n\n\n".join("\n".join(f) for f in functions)
    return "\n".join(parts) + "\n" + body + "\n"
