"""Block-type plug-ins: one per corpus node type, each checking its own fields."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pbkit import edge, node, playbook

from editor.blocks import BLOCK_TYPES, REGISTRY
from editor.graph import parse_playbook, validate


@pytest.mark.corpus
def test_there_is_a_plugin_for_every_node_type_in_the_corpus(corpus: Path) -> None:
    seen = set()
    for path in (corpus / "modern").glob("*.json"):
        for n in parse_playbook(json.loads(path.read_text())).nodes.values():
            seen.add(n.type)
    assert seen <= set(REGISTRY), seen - set(REGISTRY)
    assert len(BLOCK_TYPES) == len(REGISTRY)  # one registration per type


@pytest.mark.parametrize(
    ("ntype", "data", "field"),
    [
        ("action", {}, "data.action"),
        ("action", {"action": "x", "connectorConfigs": "asset"}, "data.connectorConfigs"),
        ("missionControl", {}, "data.action"),
        ("decision", {"conditions": []}, "data.conditions"),
        ("filter", {"conditions": [1]}, "data.conditions[0]"),
        ("format", {"template": 3}, "data.template"),
        ("code", {"outputVariables": ["ok", "not ok"]}, "data.outputVariables[1]"),
        ("utility", {}, "data.utilityType"),
        ("utility", {"utilityType": "teleport"}, "data.utilityType"),
        ("utility", {"utilityType": "custom_function"}, "data.customFunction"),
        ("utility", {"utilityType": "api", "utilities": {"a": {}, "b": {}}}, "data.utilities"),
        ("playbook", {}, "data.playbookName"),
        ("prompt", {"message": "m", "responseTime": 0}, "data.responseTime"),
    ],
)
def test_each_plugin_reports_its_own_broken_fields_with_the_block_id(
    ntype: str, data: dict[str, object], field: str
) -> None:
    pb = playbook([node("2", ntype, "blk", **data)], [edge("0", "2")])
    found = [e for e in validate(pb) if e.block_id == "2" and e.severity == "error"]
    assert field in {e.field for e in found}, found
    assert all("block 2" in e.message for e in found)
