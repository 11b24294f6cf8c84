"""Functions that exist because of edges, not blocks: ``join_X`` and ``X_callback``
(soar-format.md §2.9, §3.6.12, §3.6.13)."""

from __future__ import annotations

from editor.compiler.context import Context
from editor.compiler.writer import Writer, py_str

FORWARD = (
    "action=action, success=success, container=container, results=results, handle=handle, "
    "filtered_artifacts=filtered_artifacts, filtered_results=filtered_results"
)


def join_function(node_id: str, ctx: Context) -> list[str]:
    fn = ctx.names[node_id]
    node = ctx.node(node_id)
    guard = bool(node.advanced.get("notRequiredJoins"))
    key = py_str(f"join_{fn}_called")
    w = Writer()
    w.raw(ctx.header(f"join_{fn}"))
    w.line()
    if guard:
        w.line("# if the joined function has already been called, do nothing")
        w.line(f"if phantom.get_run_data(key={key}):")
        w.line("    return")
        w.line()
    actions, playbooks, cfs = ctx.wait_set(node_id)
    kwargs = []
    for label, names in (("action_names", actions), ("playbook_names", playbooks), ("custom_function_names", cfs)):
        if names:
            kwargs.append(f"{label}=[{', '.join(py_str(n) for n in names)}]")
    body_indent = ""
    if kwargs:
        w.line(f"if phantom.completed({', '.join(kwargs)}):")
        body_indent = "    "
    if guard:
        w.line(f"{body_indent}# save the state that the joined function has now been called")
        w.line(f"{body_indent}phantom.save_run_data(key={key}, value={py_str(fn)})")
        w.line()
    w.line(f"{body_indent}# call connected block {py_str(fn)}")
    w.line(f"{body_indent}{fn}(container=container, handle=handle)")
    w.line()
    w.line("return")
    return w.lines


def callback_function(node_id: str, ctx: Context) -> list[str]:
    fn = ctx.names[node_id]
    w = Writer()
    w.raw(ctx.header(f"{fn}_callback"))
    w.line()
    for c in ctx.child_ids(node_id):
        w.line(f"{ctx.call_name(c)}({FORWARD})")
    w.line()
    w.line("return")
    return w.lines
