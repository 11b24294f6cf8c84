"""Logic loops (``data.loop``, SOAR 6.2; soar-format.md §2.10, §3.6.14)."""

from __future__ import annotations

from typing import Any

from editor.compiler.context import Context
from editor.compiler.writer import Writer, py_value
from editor.graph.model import Node, as_list

_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _seconds(value: Any, unit: Any) -> int:
    number = value if isinstance(value, (int, float)) and not isinstance(value, bool) else 0
    return int(number * _UNIT_SECONDS.get(unit if isinstance(unit, str) else "m", 60))


def loop_conditions(loop: dict[str, Any]) -> list[list[Any]]:
    out: list[list[Any]] = []
    for cond in as_list(loop.get("conditions")):
        if not isinstance(cond, dict):
            continue
        for comp in as_list(cond.get("comparisons")):
            if isinstance(comp, dict):
                out.append([comp.get("param", ""), comp.get("op", "=="), comp.get("value", "")])
    return out


def loop_state_lines(node: Node) -> list[str]:
    """Initialise the loop state on the first iteration, inside the looping block."""
    loop = node.data.get("loop")
    loop = loop if isinstance(loop, dict) else {}
    max_iter = loop.get("exitLoopAfter")
    state = {
        "current_iteration": 1,
        "max_iterations": max_iter if isinstance(max_iter, int) and not isinstance(max_iter, bool) else 1,
        "conditions": loop_conditions(loop) if loop.get("exitConditionEnabled", True) else [],
        "max_ttl": _seconds(loop.get("exitAfterValue"), loop.get("exitAfterUnit")),
        "delay_time": _seconds(loop.get("pauseValue"), loop.get("pauseUnit")),
    }
    w = Writer()
    w.line()
    w.line("# initialize loop state on the first iteration")
    w.line("if not loop_state_json:")
    w.indent()
    w.line("loop_state_json = {")
    for key, value in state.items():
        w.line(f'    "{key}": {py_value(value)},')
    w.line("}")
    w.dedent()
    w.line()
    w.line("loop_state = phantom.LoopState(state=loop_state_json)")
    return w.lines


def loop_function(node: Node, ctx: Context) -> list[str]:
    """``loop_X``: the callback that decides between another iteration and the children."""
    fn = ctx.names[node.id]
    w = Writer()
    w.raw(ctx.header(f"loop_{fn}", force_loop=True))
    w.line()
    w.line("loop_state = phantom.LoopState(state=loop_state_json)")
    w.line()
    w.line("if loop_state.should_continue(container=container, results=results):")
    w.line("    # continue loop")
    w.line("    loop_state.increment()")
    w.line(f"    {fn}(container=container, loop_state_json=loop_state.to_json())")
    target = ctx.fanout_target(node.id)
    if target:
        w.line("else:")
        w.line("    # exit loop")
        w.line(
            f"    {target}(action=action, success=success, container=container, results=results, "
            "handle=handle, filtered_artifacts=filtered_artifacts, filtered_results=filtered_results)"
        )
    w.line()
    w.line("return")
    return w.lines
