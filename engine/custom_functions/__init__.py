"""Built-in implementations of SOAR's 41 community custom functions.

Each function is a plug-in pair, `<name>.py` (a SOAR-style module: one function named like
the file, inputs as keyword arguments defaulting to None, `**kwargs`) and `<name>.json` (its
contract in SOAR's custom-function format). `builtin_custom_functions()` hands them out as
plain data; the editor stores them as `CustomFunction(repo="community", builtin=True)` rows
after every migrate (editor.builtins: the engine writes no editor table), which
`find_custom_function` prefers, so imported playbooks calling "community/<name>" run our
code. The module source is what the engine executes (as a fresh module per block, like any
custom function), so a module may only use absolute imports.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate

REPO = "community"
HERE = Path(__file__).resolve().parent

BUILTIN_CUSTOM_FUNCTIONS: list[str] = [
    "artifact_create", "artifact_update", "asset_get_attributes", "base64_decode", "collect_by_cef_type",
    "comment_list", "container_merge", "container_update", "custom_list_enumerate", "custom_list_value_in_strings",
    "datetime_modify", "debug", "find_related_containers", "indicator_collect", "indicator_get_by_tag",
    "indicator_remove_tag", "indicator_tag", "json_safe_format", "list_deduplicate", "list_demux", "list_drop_none",
    "list_merge", "list_zip", "mark_evidence", "noop", "passthrough", "playbooks_list", "regex_extract_email",
    "regex_extract_ipv4", "regex_extract_url", "regex_filter_list", "regex_split", "string_split",
    "string_to_lowercase", "string_to_uppercase", "url_parse", "vault_list", "workbook_add", "workbook_list",
    "workbook_task_update", "zip_extract",
]


def source(name: str) -> str:
    return (HERE / f"{name}.py").read_text(encoding="utf-8")


def contract_text(name: str) -> str:
    return (HERE / f"{name}.json").read_text(encoding="utf-8")


def contract(name: str) -> dict[str, Any]:
    return json.loads(contract_text(name))  # type: ignore[no-any-return]


@dataclass(frozen=True)
class BuiltinCustomFunction:
    """A built-in custom function as shipped: its contract (SOAR's JSON) and its module."""

    repo: str
    name: str
    json_text: str
    python: str


def builtin_custom_functions() -> list[BuiltinCustomFunction]:
    """Every built-in custom function of this release, in BUILTIN_CUSTOM_FUNCTIONS order,
    as plain data (what the editor stores after every migrate)."""
    return [BuiltinCustomFunction(REPO, name, contract_text(name), source(name)) for name in BUILTIN_CUSTOM_FUNCTIONS]


def _fully_migrated(using: str) -> bool:
    """True when the editor and engine schemas are current (a partial ``migrate`` also
    sends post_migrate, before the tables the seeding writes exist)."""
    from django.db import connections
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[using])
    targets = [node for node in executor.loader.graph.leaf_nodes() if node[0] in ("engine", "editor")]
    return not executor.migration_plan(targets)


def sync_after_migrate(sender: Any, *, using: str = DEFAULT_DB_ALIAS, verbosity: int = 1, stdout: Any = None,
                       **kwargs: Any) -> None:
    """The workbook templates the built-in workbook functions use exist after every
    ``migrate`` (and test flush). The built-in custom functions themselves are stored by
    the editor (editor.builtins)."""
    if getattr(sender, "label", None) != "engine" or using != DEFAULT_DB_ALIAS:
        return
    if not _fully_migrated(using):
        return
    from engine.models.workbooks import seed_workbook_templates

    seed_workbook_templates()


def connect_signals() -> None:
    """Connect the post_migrate receiver; call once from the engine AppConfig.ready().

    Explicit rather than a decorator, so importing this package (tests read the contracts)
    changes nothing about what ``migrate`` does.
    """
    post_migrate.connect(sync_after_migrate, dispatch_uid="engine.custom_functions.sync_after_migrate")
