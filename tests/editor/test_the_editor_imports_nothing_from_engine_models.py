"""The editor asks the engine for plain data (engine.installation) and imports nothing from
``engine.models``, at module level or inside a function."""
from __future__ import annotations

import ast
from pathlib import Path

EDITOR = Path(__file__).resolve().parents[2] / "editor"


def engine_model_imports(source: str) -> list[tuple[int, str]]:
    """(line, name) of every import of engine.models or of something in it."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found += [(node.lineno, name) for name in names if name == "engine.models" or name.startswith("engine.models.")]
    return found


def editor_modules() -> list[Path]:
    return [p for p in sorted(EDITOR.rglob("*.py"))
            if not {"migrations", "tests", "frontend", "node_modules"} & set(p.relative_to(EDITOR).parts)]


def test_no_editor_module_imports_engine_models() -> None:
    paths = editor_modules()
    assert len(paths) > 50  # the walk sees the editor
    hits = [f"{path.relative_to(EDITOR.parent)}:{line} {name}"
            for path in paths for line, name in engine_model_imports(path.read_text(encoding="utf-8"))]
    assert hits == []


def test_the_check_sees_imports_inside_functions_in_every_form() -> None:
    source = "def f():\n    from engine.models import App\n    import engine.models.runs\n    from engine import models\n"
    assert engine_model_imports(source) == [(2, "engine.models"), (2, "engine.models.App"),
                                            (3, "engine.models.runs"), (4, "engine.models")]
