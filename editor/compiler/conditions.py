"""Condition triples for ``phantom.condition`` / ``phantom.decision`` (soar-format.md §3.6.4)."""

from __future__ import annotations

from typing import Any

from editor.compiler.loaders import container_read
from editor.compiler.writer import py_str
from editor.graph.model import Node, as_list


def comparisons(condition: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for c in as_list(condition.get("comparisons")) if isinstance(c, dict)]


def is_empty(condition: dict[str, Any]) -> bool:
    """A condition whose comparisons are all blank (``"" == ""``, the placeholder a new
    decision starts with) tests nothing: SOAR's generator emits no call for it."""
    return all(c.get("param") in ("", None) and c.get("value") in ("", None) for c in comparisons(condition))


def container_var(param: str) -> str:
    return container_read(param[len("container:") :])[0]


def container_load(param: str) -> str:
    var, expr = container_read(param[len("container:") :])
    return f"{var} = {expr}"


def render_param(param: Any) -> str:
    if isinstance(param, str) and param.startswith("container:"):
        return container_var(param)
    return py_str(param if isinstance(param, str) else str(param))


def render_value(value: Any) -> str:
    if value is None or value == "None":
        return "None"
    if value == "True":
        return "True"
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, int):
        return str(value)
    text = value if isinstance(value, str) else str(value)
    if text.isdigit() and text.isascii() and len(text) < 19:
        return str(int(text))
    return py_str(text)


def triples(condition: dict[str, Any]) -> str:
    items = [
        f"[{render_param(c.get('param', ''))}, {py_str(str(c.get('op', '==')))}, {render_value(c.get('value', ''))}]"
        for c in comparisons(condition)
    ]
    return "[" + ", ".join(items) + "]"


def container_loads(node: Node) -> list[str]:
    """``container:<f>`` params are read into variables before the tests."""
    out: list[str] = []
    for cond in as_list(node.data.get("conditions")):
        if not isinstance(cond, dict):
            continue
        for comp in comparisons(cond):
            param = comp.get("param")
            if isinstance(param, str) and param.startswith("container:"):
                line = container_load(param)
                if line not in out:
                    out.append(line)
    return out


def extra_kwargs(node: Node, delimiter_feature: bool, with_case: bool) -> str:
    adv = node.advanced
    out = ""
    if adv.get("scope") == "all":
        out += ', scope="all"'
    if with_case and adv.get("case_sensitive") is False:
        out += ", case_sensitive=False"
    if delimiter_feature:
        delim = adv.get("delimiter")
        if adv.get("delimiter_enabled") is True and isinstance(delim, str):
            out += f", delimiter={py_str(delim)}"
        else:
            out += ", delimiter=None"
    return out


def logical(condition: dict[str, Any]) -> str:
    if len(comparisons(condition)) < 2:
        return ""
    logic = condition.get("logic")
    return f", logical_operator={py_str(logic if logic in ('and', 'or') else 'and')}"
