"""The community custom functions that ship with the engine, stored as editor rows.

The engine hands them out as plain data (engine.custom_functions.builtin_custom_functions);
the editor writes its own table after every ``migrate`` (and test flush), so a release's
built-ins always match its code and the engine never writes an editor table.
"""
from __future__ import annotations

from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models.signals import post_migrate

from editor.models import CustomFunction
from editor.soarfile import load_custom_function
from engine.custom_functions import BUILTIN_CUSTOM_FUNCTIONS, REPO, builtin_custom_functions


def sync_builtin_custom_functions() -> list[tuple[str, str]]:
    """Create or update the built-in rows; returns (name, "created"|"updated"|"unchanged").

    Rows are compared first so an unchanged set costs one query, which matters because
    post_migrate also fires after every test-database flush.
    """
    existing = {cf.name: cf for cf in CustomFunction.objects.filter(repo=REPO, name__in=BUILTIN_CUSTOM_FUNCTIONS)}
    outcomes: list[tuple[str, str]] = []
    with transaction.atomic():
        for builtin in builtin_custom_functions():
            name = builtin.name
            parsed = load_custom_function(builtin.json_text, f"{name}.json", name)
            values = {"description": parsed.description, "inputs": parsed.inputs, "outputs": parsed.outputs,
                      "outputs_type": str(parsed.extra.get("outputs_type") or ""), "json_text": builtin.json_text,
                      "python": builtin.python, "builtin": True, "draft_mode": False}
            row = existing.get(name)
            if row is None:
                CustomFunction.objects.create(repo=builtin.repo, name=name, **values)
                outcomes.append((name, "created"))
            elif any(getattr(row, k) != v for k, v in values.items()):
                for key, value in values.items():
                    setattr(row, key, value)
                row.save()
                outcomes.append((name, "updated"))
            else:
                outcomes.append((name, "unchanged"))
    return outcomes


def _editor_migrated(using: str) -> bool:
    """True when the editor's schema is current (a partial ``migrate`` also sends
    post_migrate, before the columns this sync writes exist)."""
    executor = MigrationExecutor(connections[using])
    targets = [node for node in executor.loader.graph.leaf_nodes() if node[0] == "editor"]
    return not executor.migration_plan(targets)


def sync_after_migrate(sender: Any, *, using: str = DEFAULT_DB_ALIAS, verbosity: int = 1, stdout: Any = None,
                       **kwargs: Any) -> None:
    """The built-in custom functions exist after every ``migrate`` (and test flush),
    always matching the code of this release."""
    if getattr(sender, "label", None) != "editor" or using != DEFAULT_DB_ALIAS:
        return
    if not _editor_migrated(using):
        return
    for name, outcome in sync_builtin_custom_functions():
        if outcome != "unchanged" and verbosity >= 1 and stdout is not None:
            stdout.write(f"  Built-in custom function: {outcome} {REPO}/{name}\n")


def connect_signals() -> None:
    """Connect the post_migrate receiver; call once from the editor AppConfig.ready().

    Explicit rather than a decorator, so importing this module changes nothing about what
    ``migrate`` does.
    """
    post_migrate.connect(sync_after_migrate, dispatch_uid="editor.builtins.sync_after_migrate")
