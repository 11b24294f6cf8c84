"""The engine never writes editor tables (issue 21, item 5): the editor stores what it
owns (built-in custom functions after migrate: editor.builtins; a playbook file run from
the command line: editor.files.store_local_playbook_file).

A simple check of the source (AST) of every engine module, migrations aside (a data
migration may touch any app's historical models): the names a module imports from
`editor.models` (or `editor.models.*`, or the module itself under an alias) are editor
models, and a name a function assigns (or loops over) from an expression rooted at one of
them (`Model.objects.filter(...).first()`, `a or Model(...)`, `list(a)`, a comprehension over
one) holds editor rows. A write is a call of `.save()`, `.delete()`, `.create()`,
`.update()`, `.save_version()`, ... (WRITES) on an expression rooted at such a name,
through `.objects` and query chains alike, or constructing an editor model.

Its limits, said plainly: it follows names within one function only (not through
attributes, containers, function arguments or return values, so a row handed to the
engine by a caller is not seen), trusts that WRITES names every writing method, and does
not see raw SQL (`INSERT INTO "editor_..."`) or models reached through
`apps.get_model`. It catches the plain forms the engine used to write with.
"""
from __future__ import annotations

import ast
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[2] / "engine"
WRITES = frozenset({
    "save", "save_base", "delete", "create", "get_or_create", "update_or_create", "bulk_create", "bulk_update",
    "update", "save_version", "add", "remove", "set", "clear",
})


def _editor_names(tree: ast.AST) -> tuple[set[str], set[str]]:
    """(names bound to editor models, names bound to editor model modules) by imports."""
    models: set[str] = set()
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "editor.models" or node.module.startswith("editor.models."):
                models.update(alias.asname or alias.name for alias in node.names)
            elif node.module == "editor":
                modules.update(alias.asname or alias.name for alias in node.names if alias.name == "models")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "editor.models" or alias.name.startswith("editor.models."):
                    modules.add(alias.asname or alias.name.split(".")[0])
    return models, modules


def _root(node: ast.expr) -> ast.expr:
    """The innermost expression of an attribute/call/subscript chain (`A` of `A.b(c).d`)."""
    while isinstance(node, ast.Attribute | ast.Call | ast.Subscript):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node


def _holds_rows(node: ast.expr | None, rows: set[str]) -> bool:
    """Whether an expression's value is (or wraps, as `list(...)` does) what a name in
    `rows` holds: `Model.objects.filter(...).first()`, `a or Model(...)`, `sorted(a)`,
    `{r.name: r for r in a}`."""
    if node is None:
        return False
    if isinstance(node, ast.BoolOp):
        return any(_holds_rows(value, rows) for value in node.values)
    if isinstance(node, ast.IfExp):
        return _holds_rows(node.body, rows) or _holds_rows(node.orelse, rows)
    if isinstance(node, ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp):
        return any(_holds_rows(generator.iter, rows) for generator in node.generators)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id not in rows:
        return any(_holds_rows(arg, rows) for arg in node.args)
    root = _root(node)
    return isinstance(root, ast.Name) and root.id in rows


def editor_writes(source: str) -> list[tuple[int, str]]:
    """(line, code) of every write of an editor model this check can see in `source`."""
    tree = ast.parse(source)
    models, modules = _editor_names(tree)
    if not models and not modules:
        return []
    found: list[tuple[int, str]] = []
    scopes = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)] + [tree]
    for scope in scopes:
        rows = set(models) | set(modules)
        # Names holding editor rows, to a fixed point (`a = Model.objects...; b = a`).
        changed = True
        while changed:
            changed = False
            for node in ast.walk(scope):
                targets: list[ast.expr] = []
                if isinstance(node, ast.Assign) and _holds_rows(node.value, rows):
                    targets = node.targets
                elif isinstance(node, ast.AnnAssign | ast.NamedExpr) and _holds_rows(node.value, rows):
                    targets = [node.target]
                elif isinstance(node, ast.For | ast.comprehension) and _holds_rows(node.iter, rows):
                    targets = [node.target]
                for target in targets:
                    for name in ast.walk(target):
                        if isinstance(name, ast.Name) and name.id not in rows:
                            rows.add(name.id)
                            changed = True
        for node in ast.walk(scope):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            root = _root(func)
            writes = isinstance(func, ast.Attribute) and func.attr in WRITES
            if isinstance(root, ast.Name) and root.id in rows and writes:
                found.append((node.lineno, ast.unparse(node)[:120]))
            elif isinstance(func, ast.Name) and func.id in models:
                found.append((node.lineno, ast.unparse(node)[:120]))  # a new editor row
            elif isinstance(func, ast.Attribute) and isinstance(root, ast.Name) and root.id in modules \
                    and func.attr[:1].isupper():
                found.append((node.lineno, ast.unparse(node)[:120]))
    return sorted(set(found))


def engine_modules() -> list[Path]:
    return [p for p in sorted(ENGINE.rglob("*.py")) if "migrations" not in p.relative_to(ENGINE).parts]


def test_no_engine_module_writes_an_editor_model() -> None:
    paths = engine_modules()
    assert len(paths) > 100  # the walk sees the engine
    hits = [f"{path.relative_to(ENGINE.parent)}:{line} {code}"
            for path in paths for line, code in editor_writes(path.read_text(encoding="utf-8"))]
    assert hits == []


def test_the_check_sees_the_forms_of_a_write() -> None:
    source = '''
from editor.models import CustomFunction as CF, Playbook
import editor.models

def f(name):
    CF.objects.create(name=name)
    CF.objects.filter(name=name).update(python="")
    row = CF.objects.get(name=name)
    row.python = ""
    row.save()
    book = Playbook.objects.filter(name=name).first() or Playbook(name=name)
    book.save_version("{}")
    for other in Playbook.objects.all():
        other.delete()
    editor.models.Playbook(name=name)
    by_name = {cf.name: cf for cf in CF.objects.all()}
    by_name.get(name).save()

def g():
    return [p.name for p in Playbook.objects.all()], CF.objects.filter(builtin=True).exists()
'''
    assert [line for line, _ in editor_writes(source)] == [6, 7, 10, 11, 12, 14, 15, 17]


def test_the_check_reads_no_further_than_a_function() -> None:
    # One of its limits: a row handed in by a caller is not followed.
    source = "from editor.models import Playbook\n\ndef f(book: Playbook) -> None:\n    book.save()\n"
    assert editor_writes(source) == []
