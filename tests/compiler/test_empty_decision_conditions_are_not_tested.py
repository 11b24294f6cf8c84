"""A decision condition whose comparisons are blank (``"" == ""``) tests nothing: SOAR
generates no ``phantom.decision`` for it, so control goes on to the else branch."""

from __future__ import annotations

import ast
from typing import Any

from pbkit import code, edge, node, playbook

from editor.compiler import compile_playbook


def blank(index: int, kind: str) -> dict[str, Any]:
    return {"comparisons": [{"conditionIndex": index, "op": "==", "param": "", "value": ""}],
            "conditionIndex": index, "customName": "", "display": kind.title(), "logic": "and", "type": kind}


def decision_source(conditions: list[dict[str, Any]]) -> str:
    pb = playbook(
        [node("2", "decision", "route", conditions=conditions, functionId=1), code("3", "matched"), code("4", "other")],
        [edge("0", "2"), edge("2", "3", 0), edge("2", "4", len(conditions) - 1), edge("3", "1"), edge("4", "1")],
    )
    return compile_playbook(pb).source


def function(source: str, name: str) -> ast.FunctionDef:
    return next(f for f in ast.parse(source).body if isinstance(f, ast.FunctionDef) and f.name == name)


def called(fn: ast.FunctionDef) -> list[str]:
    out = []
    for n in ast.walk(fn):
        if isinstance(n, ast.Call):
            f = n.func
            out.append(f.id if isinstance(f, ast.Name) else f"phantom.{f.attr}" if isinstance(f, ast.Attribute) else "")
    return out


def test_a_decision_whose_only_test_is_blank_makes_no_decision_call_and_takes_the_else_branch() -> None:
    route = function(decision_source([blank(0, "if"), blank(1, "else")]), "route")
    calls = called(route)
    assert "phantom.decision" not in calls
    assert "other" in calls and "matched" not in calls


def test_a_real_test_before_the_else_is_still_made() -> None:
    real = blank(0, "if")
    real["comparisons"][0].update(param="artifact:*.cef.sourceAddress", value="10.0.0.1")
    calls = called(function(decision_source([real, blank(1, "else")]), "route"))
    assert calls.count("phantom.decision") == 1 and "matched" in calls and "other" in calls
