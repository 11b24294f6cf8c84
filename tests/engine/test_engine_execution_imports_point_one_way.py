"""The modules of engine/execution import each other one way (issue 21, item 5).

The import graph is built from the source (AST), counting imports at module level and
inside functions alike: an import moved into a function still is a dependency, only one
Python resolves later. Both rules are checked on every module of the package.
"""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = "engine.execution"
ROOT = Path(__file__).resolve().parents[2] / "engine" / "execution"


def _modules() -> dict[str, Path]:
    return {f"{PACKAGE}.{path.stem}" if path.stem != "__init__" else PACKAGE: path
            for path in sorted(ROOT.glob("*.py"))}


def _targets(node: ast.Import | ast.ImportFrom, module: str, known: dict[str, Path]) -> list[str]:
    """The modules of the package an import statement loads."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:  # relative, to the package every module here is directly in
            parts = PACKAGE.split(".")
            package = ".".join(parts[:len(parts) - node.level + 1])
            base = f"{package}.{base}" if base else package
        # `from package import name` loads package.name when that is a module.
        names = [base, *(f"{base}.{alias.name}" for alias in node.names)]
    return [name for name in names if name in known and name != PACKAGE and name != module]


def _imports(module: str, path: Path, known: dict[str, Path]) -> list[tuple[str, int, bool]]:
    """(imported module, line, inside a function) for every import of the package's modules."""
    found: list[tuple[str, int, bool]] = []

    def walk(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                found.extend((target, child.lineno, in_function) for target in _targets(child, module, known))
            walk(child, in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda))

    walk(ast.parse(path.read_text(), str(path)), False)
    return found


def _graph() -> dict[str, dict[str, tuple[int, bool]]]:
    known = _modules()
    graph: dict[str, dict[str, tuple[int, bool]]] = {}
    for module, path in known.items():
        edges = graph.setdefault(module, {})
        for target, line, in_function in _imports(module, path, known):
            edges.setdefault(target, (line, in_function))
    return graph


def _cycles(graph: dict[str, dict[str, tuple[int, bool]]]) -> list[list[str]]:
    """One cycle through each strongly connected group of modules (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, {}):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def _describe(graph: dict[str, dict[str, tuple[int, bool]]], group: list[str]) -> str:
    members = set(group)
    edges = [f"{source.rsplit('.', 1)[1]}:{line} -> {target.rsplit('.', 1)[1]}{' (in a function)' if inside else ''}"
             for source in group for target, (line, inside) in sorted(graph[source].items()) if target in members]
    return "; ".join(edges)


def test_the_graph_sees_the_package_modules() -> None:
    graph = _graph()
    assert {"engine.execution.advance", "engine.execution.worker", "engine.execution.runs"} <= set(graph)
    assert "engine.execution.journal" in graph["engine.execution.advance"]


def test_no_two_modules_of_engine_execution_import_each_other_even_through_others() -> None:
    graph = _graph()
    cycles = _cycles(graph)
    assert not cycles, "import cycles in engine/execution: " + " | ".join(_describe(graph, g) for g in cycles)


def test_no_module_of_engine_execution_imports_another_inside_a_function() -> None:
    known = _modules()
    inside = [f"{path.relative_to(ROOT.parents[1])}:{line} imports {target}"
              for module, path in known.items() for target, line, in_function in _imports(module, path, known)
              if in_function]
    assert not inside, "imports of engine.execution modules inside functions: " + ", ".join(inside)
