"""The Ledger test app: a connector that appends one line to a file per execution, so a
test can count how often an action really ran, across worker processes that were killed.

`install()` registers it as a built-in connector in the calling process (the test process
and the worker processes the fault tests start, through tests.engine.faults.worker): the
engine only runs connectors of built-in apps (engine.apps.connector_class).
"""
from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import engine.apps
from engine.apps import BuiltinApp
from engine.apps.base import APP_SUCCESS, ActionResult, Connector, handler
from engine.apps.catalogue import parse_app

APPID = "1ed9e500-fa17-4000-8000-00000000fa17"
WRITE = "block ip"  # type contain: changes the world, never executed twice
READ = "lookup ip"  # type investigate: only looks, retried after a dead worker

APP_JSON: dict[str, Any] = {
    "appid": APPID, "name": "Ledger", "app_version": "1.0.0", "product_vendor": "Test", "product_name": "Ledger",
    "description": "counts its executions in a file", "logo": "logo.svg",
    "configuration": {"ledger": {"data_type": "string", "order": 0, "required": True, "description": "file"}},
    "actions": [
        {"action": WRITE, "identifier": "block_ip", "type": "contain", "read_only": False, "versions": "EQ(*)",
         "description": "block", "parameters": {"target": {"data_type": "string", "order": 0, "required": True}},
         "output": [{"data_path": "action_result.status", "data_type": "string"}]},
        {"action": READ, "identifier": "lookup_ip", "type": "investigate", "read_only": True, "versions": "EQ(*)",
         "description": "look up", "parameters": {"target": {"data_type": "string", "order": 0, "required": True}},
         "output": [{"data_path": "action_result.status", "data_type": "string"}]},
    ],
}


class LedgerConnector(Connector):
    """Appends `<action identifier> <target> <pid>` to the asset's `ledger` file per call."""

    def _append(self, identifier: str, param: Mapping[str, Any], result: ActionResult) -> ActionResult:
        line = f"{identifier} {param['target']} {os.getpid()}\n"
        with open(self.config["ledger"], "a", encoding="utf-8") as f:
            # Two worker processes may execute actions at once: one whole line each.
            fcntl.flock(f, fcntl.LOCK_EX)
            f.write(line)
            f.flush()
            os.fsync(f.fileno())
        result.set_status(APP_SUCCESS, f"{identifier} {param['target']}")
        return result

    @handler("block_ip")
    def block_ip(self, param: Mapping[str, Any], result: ActionResult) -> ActionResult:
        return self._append("block_ip", param, result)

    @handler("lookup_ip")
    def lookup_ip(self, param: Mapping[str, Any], result: ActionResult) -> ActionResult:
        return self._append("lookup_ip", param, result)


def install() -> Callable[[], None]:
    """Make Ledger a built-in connector in this process; returns the undo."""
    original = engine.apps.builtin_apps
    ledger = BuiltinApp(slug="ledger", appdef=parse_app(APP_JSON), connector=LedgerConnector)

    def with_ledger() -> tuple[BuiltinApp, ...]:
        return (*original(), ledger)

    # connector_class looks builtin_apps up in engine.apps' namespace at each call.
    engine.apps.builtin_apps = with_ledger  # type: ignore[assignment]

    def undo() -> None:
        engine.apps.builtin_apps = original

    return undo


def executions(path: Path, identifier: str, target: object) -> int:
    """How often the connector ran `identifier` on `target` (by every process)."""
    if not path.exists():
        return 0
    return sum(1 for line in path.read_text().splitlines() if line.split()[:2] == [identifier, str(target)])
