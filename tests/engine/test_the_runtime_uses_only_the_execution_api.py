"""The playbook runtime imports nothing private from the execution core (issue 21, item 6).

engine/runtime (the phantom API, the step context, the datapath source) may use
engine.execution.api only. Checked from the source (AST) of every runtime module, imports
inside functions included.
"""
from __future__ import annotations

import ast
import inspect
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[2] / "engine"
PUBLIC = "engine.execution.api"


def _absolute(path: Path, node: ast.ImportFrom) -> str:
    """The module a `from ... import` names, relative ones resolved from the file's package."""
    if not node.level:
        return node.module or ""
    package = list(path.relative_to(ENGINE.parent).with_suffix("").parts[:-1])
    base = package[:len(package) - node.level + 1]
    return ".".join([*base, *([node.module] if node.module else [])])


def _execution_imports(path: Path) -> list[tuple[int, str]]:
    """(line, what) for every import of engine.execution or anything in it."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names
                      if alias.name == "engine.execution" or alias.name.startswith("engine.execution.")]
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(path, node)
            if module in ("engine", "engine.execution"):
                found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names
                          if f"{module}.{alias.name}".startswith("engine.execution")]
            elif module.startswith("engine.execution."):
                found.append((node.lineno, module))
    return found


def test_the_check_sees_the_runtime_use_the_api() -> None:
    used = _execution_imports(ENGINE / "runtime" / "datasource.py")
    assert used and all(what == PUBLIC for _, what in used)


def test_no_runtime_module_imports_anything_of_engine_execution_but_its_api() -> None:
    private = [f"{path.relative_to(ENGINE.parent)}:{line} imports {what}"
               for path in sorted((ENGINE / "runtime").rglob("*.py"))
               for line, what in _execution_imports(path) if what != PUBLIC]
    assert not private, "the runtime reaches into engine.execution: " + ", ".join(private)


def test_every_function_of_the_api_says_what_it_returns() -> None:
    from engine.execution import api

    functions = [getattr(api, name) for name in api.__all__ if inspect.isfunction(getattr(api, name))]
    assert functions
    undocumented = [f.__name__ for f in functions if not (f.__doc__ or "").strip()]
    assert not undocumented, undocumented
    # Nothing else public: a name the runtime needs is added to __all__ with its docstring.
    public = {name for name, value in vars(api).items()
              if not name.startswith("_") and inspect.isfunction(value) and value.__module__ == api.__name__}
    assert public == {name for name in api.__all__ if inspect.isfunction(getattr(api, name))}
