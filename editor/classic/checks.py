"""After converting: does the result validate, compile, and do what the classic code did?

Everything found here goes into the report (on the block it concerns when there is
one): a conversion never raises because its output is imperfect.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Callable
from typing import TYPE_CHECKING

from editor.classic import behaviour
from editor.classic.cells import Cell
from editor.classic.customcode import parse
from editor.classic.report import BlockReport, Report

if TYPE_CHECKING:
    from editor.classic.convert import Conversion


def check_conversion(conversion: Conversion, cells: list[Cell], classic_code: Callable[[Cell | None], str]) -> None:
    from editor.compiler import CompileError, compile_playbook
    from editor.graph import parse_playbook, validate

    report = conversion.report
    by_node: dict[str | None, BlockReport] = {b.node_id: b for b in report.blocks if b.node_id is not None}
    by_name: dict[str, BlockReport] = {}
    for node_id, node in conversion.playbook["coa"]["data"]["nodes"].items():
        fn = node["data"].get("functionName", "")
        if node_id in by_node:
            by_name[fn.lower()] = by_node[node_id]
    model = parse_playbook(conversion.playbook)
    for problem in validate(model):
        target = by_node.get(problem.block_id)
        if problem.severity == "error":
            report.errors.append(problem.message)
            if target is not None:
                target.needs_review(problem.message)
        elif problem.kind == "dangling_datapath" and target is not None:
            target.needs_review(problem.message.split(": ", 1)[-1] + " (the classic playbook had the same reference)")
    try:
        conversion.source = compile_playbook(model).source
    except CompileError as exc:
        for e in exc.errors:
            if e.message not in report.errors:
                report.errors.append(e.message)
        return
    _check_calls(conversion, by_node)
    _check_behaviour(conversion, cells, classic_code, by_name)


def _check_calls(conversion: Conversion, by_node: dict[str | None, BlockReport]) -> None:
    """Custom code calls blocks by name: every bare name it calls must exist in the
    compiled module (or be a builtin / defined locally)."""
    tree = parse(conversion.source or "")
    if tree is None:
        return
    defined = {s.name for s in tree.body if isinstance(s, (ast.FunctionDef, ast.ClassDef))}
    defined |= {t.id for s in tree.body if isinstance(s, ast.Assign) for t in s.targets if isinstance(t, ast.Name)}
    defined |= {a.asname or a.name.split(".")[0] for s in tree.body if isinstance(s, (ast.Import, ast.ImportFrom))
                for a in s.names}
    for node_id, node in conversion.playbook["coa"]["data"]["nodes"].items():
        code = node.get("customCode")
        rep = by_node.get(node_id)
        if not isinstance(code, str) or rep is None:
            continue
        fn_tree = parse(code)
        if fn_tree is None:
            continue
        local = {n.id for n in ast.walk(fn_tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        local |= {a.arg for n in ast.walk(fn_tree) if isinstance(n, ast.arguments) for a in n.args + n.kwonlyargs}
        local |= {n.name for n in ast.walk(fn_tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
        local |= {a.asname or a.name.split(".")[0] for n in ast.walk(fn_tree) if isinstance(n, (ast.Import, ast.ImportFrom))
                  for a in n.names}
        for call in ast.walk(fn_tree):
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Name):
                name = call.func.id
                if name not in defined and name not in local and not hasattr(builtins, name):
                    rep.needs_review(f"the custom code calls {name}(), which the converted playbook does not define")


def _check_behaviour(conversion: Conversion, cells: list[Cell], classic_code: Callable[[Cell | None], str],
                     by_name: dict[str, BlockReport]) -> None:
    classic = behaviour.Facts()
    # None stands for the classic global code block (helpers defined there act too).
    for cell in [None, *cells]:
        code = classic_code(cell)
        for fn, facts in behaviour.facts_of_source(code).by_function.items():
            classic.by_function.setdefault(fn, []).extend(facts)
    modern = behaviour.facts_of_source(conversion.source or "")
    result = behaviour.compare(classic, modern)
    report = conversion.report
    report.behaviour = {
        "same": result.same,
        "classic_calls": result.classic_total,
        "missing": [f"{fn}: {behaviour.describe(f)}" for fn, f in result.missing],
        "extra": [f"{fn}: {behaviour.describe(f)}" for fn, f in result.extra],
    }
    for fn, fact in result.missing:
        msg = f"behaviour differs: the classic code made {behaviour.describe(fact)}; the converted block does not"
        _blame(report, by_name, fn, msg)
    for fn, fact in result.extra:
        msg = f"behaviour differs: the converted block makes {behaviour.describe(fact)}; the classic code did not"
        _blame(report, by_name, fn, msg)


def _blame(report: Report, by_name: dict[str, BlockReport], fn: str, message: str) -> None:
    target = by_name.get(fn.lower())
    if target is not None:
        target.needs_review(message)
    else:
        report.review.append(message)
