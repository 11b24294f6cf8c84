"""A block not connected to the start block is a warning, not an error: SOAR still
generates its function (nothing calls it), and so does the compiler."""

from __future__ import annotations

import ast

from pbkit import action, code, edge, playbook

from editor.compiler import compile_playbook
from editor.graph import parse_playbook, validate


def orphaned() -> dict[str, object]:
    # start -> lookup -> end, and orphan -> helper hanging on their own.
    return playbook(
        [action("2", "lookup", ip="artifact:*.cef.sourceAddress"), code("3", "orphan"), code("4", "helper")],
        [edge("0", "2"), edge("2", "1"), edge("3", "4")],
    )


def test_an_unreachable_block_is_a_located_warning() -> None:
    found = [e for e in validate(parse_playbook(orphaned())) if e.kind == "unreachable"]
    assert [(e.block_id, e.severity) for e in found] == [("3", "warning"), ("4", "warning")]


def test_it_compiles_unreachable_blocks_to_functions_that_nothing_starts() -> None:
    result = compile_playbook(orphaned())
    tree = ast.parse(result.source)
    functions = {f.name: f for f in tree.body if isinstance(f, ast.FunctionDef)}
    assert {"on_start", "lookup", "orphan", "helper", "on_finish"} <= set(functions)
    calls = {
        fn: {n.func.id for n in ast.walk(f) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
        for fn, f in functions.items()
    }
    assert "orphan" not in calls["on_start"] and "lookup" in calls["on_start"]
    # Its own edges are generated as usual.
    assert "helper" in calls["orphan"]
    assert {e.kind for e in result.errors} == {"unreachable"}
