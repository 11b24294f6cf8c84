"""Corpus acceptance: every action block of ../shared/corpus/modern names a catalogued app
and action, and sets only parameters that action declares.

Blocks find their app by ``connectorId`` (the appid). Three blocks in two AWS IAM
playbooks carry an integer ``connectorId`` (a SOAR install's database id, see
docs/soar-format.md §2.6); for those the app is found by its display name, ``connector``.
``missionControl`` blocks (SOAR's built-in Mission Control connector, not a shared app)
are counted, not checked.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from engine.models import App
from tests.catalogue.helpers import playbook_action_blocks

pytestmark = [pytest.mark.django_db, pytest.mark.corpus]


def _find_app(apps: list[App], data: dict[str, Any]) -> tuple[App | None, str]:
    connector_id = data.get("connectorId")
    if isinstance(connector_id, str):
        wanted = connector_id.lower()
        app = next((a for a in apps if a.appid.lower() == wanted), None)
        if app is not None:
            return app, "appid"
    name = str(data.get("connector") or "").lower()
    named = [a for a in apps if a.name.lower() == name and not a.builtin]
    return (named[0], "name") if len(named) == 1 else (None, "")


def test_every_corpus_action_block_uses_a_catalogued_action_and_its_parameters(
        catalogue_of_shared_apps: Path, shared_playbooks: Path) -> None:
    apps = list(App.objects.prefetch_related("actions"))
    total, ok, by_name, misses = 0, 0, [], []
    used: set[str] = set()
    for playbook in sorted(shared_playbooks.glob("*.json")):
        for block_id, data in playbook_action_blocks(playbook):
            total += 1
            where = f"{playbook.name} block {block_id}"
            app, how = _find_app(apps, data)
            if app is None:
                misses.append(f"{where}: no app {data.get('connector')!r} (connectorId {data.get('connectorId')!r})")
                continue
            used.add(app.appid)
            if how == "name":
                by_name.append(f"{where}: {data['connector']} (connectorId {data['connectorId']!r})")
            action = next((a for a in app.actions.all() if a.name == data.get("action")), None)
            if action is None:
                misses.append(f"{where}: app {app.name} has no action {data.get('action')!r}")
                continue
            unknown = sorted(set(data.get("parameters") or {}) - set(action.parameters))
            if unknown:
                misses.append(f"{where}: {app.name} '{action.name}' does not declare {unknown}")
                continue
            ok += 1
    print(f"corpus action blocks {ok}/{total}")
    mission_control = [p.name for p in sorted(shared_playbooks.glob("*.json"))
                       for node in json.loads(p.read_text(encoding="utf-8"))["coa"]["data"]["nodes"].values()
                       if node.get("type") == "missionControl"]
    # SOAR's own Mission Control connector (connectorId 183), not an app in shared/apps.
    print(f"  not checked: {len(mission_control)} missionControl blocks in {len(set(mission_control))} playbooks")
    for line in by_name:
        print(f"  found by name: {line}")
    for line in misses:
        print(f"  MISS {line}")
    assert total > 0 and ok == total, "\n".join(misses)
    # MANIFEST.tsv lists which shared apps the modern playbooks' action blocks reference.
    manifest = _manifest(catalogue_of_shared_apps / "MANIFEST.tsv")
    expected = {row["appid"] for row in manifest if "modern_action" in row["corpus_ref_sources"].split(",")}
    print(f"corpus apps used {len(used)}, MANIFEST modern_action apps {len(expected)}")
    assert used == expected


def _manifest(path: Path) -> list[dict[str, str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=False)) for line in lines[1:] if line.strip()]
