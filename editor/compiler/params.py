"""Building the ``parameters`` list of an action or custom function call: nested loops
over the source groups (cartesian product, as SOAR does), one dict per row."""

from __future__ import annotations

from typing import Any

from editor.compiler.loaders import Loader
from editor.compiler.writer import Writer, constant, py_str


def render(value: Any, loader: Loader, formatted: dict[str, str], key: str) -> str:
    """Python expression for one parameter value inside the row loop."""
    if key in formatted:
        return formatted[key]
    if isinstance(value, str):
        expr = loader.item_expr(value)
        return expr if expr is not None else constant(value)
    if isinstance(value, list):
        return "[" + ", ".join(render(v, loader, {}, "") for v in value) + "]"
    if isinstance(value, dict):
        inner = ", ".join(f"{py_str(str(k))}: {render(v, loader, {}, '')}" for k, v in value.items())
        return "{" + inner + "}"
    return constant(value)


def collect_strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for v in value for s in collect_strings(v)]
    if isinstance(value, dict):
        return [s for v in value.values() for s in collect_strings(v)]
    return []


def emit_parameter_rows(
    w: Writer,
    fn: str,
    params: list[tuple[str, Any]],
    loader: Loader,
    formatted: dict[str, str],
    required: set[str],
    none_checks: bool,
    context_artifacts: bool,
) -> None:
    """``parameters = []`` plus the loops that fill it."""
    w.line("parameters = []")
    w.line()
    sources = [s for key, value in params if key not in formatted for s in collect_strings(value)]
    groups = loader.loop_groups(sources)
    if groups:
        w.line(f"# build parameters list for {py_str(fn)} call")
    opened = 0
    for group in groups:
        source = group.var
        w.line(f"for {group.item} in {source}:")
        w.indent()
        opened += 1
    checks: list[str] = []
    if none_checks:
        for key, value in params:
            if key not in required:
                continue
            if key in formatted:
                checks.append(f"{formatted[key]} is not None")
            elif isinstance(value, str):
                expr = loader.item_expr(value)
                if expr is not None:
                    checks.append(f"{expr} is not None")
    if checks:
        w.line(f"if {' and '.join(checks)}:")
        w.indent()
        opened += 1
    w.line("parameters.append({")
    w.indent()
    for key, value in params:
        w.line(f"{py_str(key)}: {render(value, loader, formatted, key)},")
    if context_artifacts:
        for group in groups:
            col = loader.context_column(group)
            if col is not None:
                w.line(f"\"context\": {{'artifact_id': {group.item}[{col}]}},")
                break
    w.dedent()
    w.line("})")
    for _ in range(opened):
        w.dedent()
