"""Shared data and helpers of the catalogue tests (fixtures are in conftest.py)."""
from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandError

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED = REPO_ROOT.parent / "shared"
SHARED_APPS = SHARED / "apps"
SHARED_PLAYBOOKS = SHARED / "corpus" / "modern"

# A small app in SOAR's own format, the shape every test edits.
SAMPLE_APP: dict[str, Any] = {
    "appid": "5a3b2c1d-0000-4000-8000-00000000c0de",
    "name": "Sample Intel",
    "app_version": "1.0.0",
    "product_vendor": "Example",
    "product_name": "Intel",
    "description": "A made-up threat intelligence service",
    "configuration": {
        "base_url": {"data_type": "string", "required": True, "order": 0},
        "api_key": {"data_type": "password", "required": True, "order": 1},
    },
    "actions": [
        {"action": "test connectivity", "identifier": "test_connectivity", "description": "Check",
         "type": "test", "read_only": True, "parameters": {}, "output": [], "versions": "EQ(*)"},
        {"action": "lookup ip", "identifier": "lookup_ip", "description": "Reputation of an IP",
         "type": "investigate", "read_only": True, "versions": "EQ(*)",
         "parameters": {
             "ip": {"data_type": "string", "required": True, "primary": True, "contains": ["ip"],
                    "order": 0, "description": "IP to look up"},
             "verbose": {"data_type": "boolean", "default": False, "order": 1},
         },
         "output": [{"data_path": "action_result.data.*.score", "data_type": "numeric",
                     "example_values": [42]}]},
        {"action": "block ip", "identifier": "block_ip", "description": "Block an IP",
         "type": "contain", "read_only": False, "versions": "EQ(*)",
         "parameters": {"ip": {"data_type": "string", "required": True, "order": 0}},
         "output": []},
    ],
}



def load_apps_command(*paths: str | Path) -> tuple[str, str, bool]:
    """Run ``load_apps``; returns (stdout, stderr, whether it failed)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("load_apps", *[str(p) for p in paths], stdout=out, stderr=err)
    except CommandError as exc:  # call_command raises where manage.py would exit 1
        return out.getvalue(), err.getvalue() + str(exc), True
    return out.getvalue(), err.getvalue(), False


def playbook_action_blocks(path: Path) -> list[tuple[str, dict[str, Any]]]:
    """``(block id, node data)`` of every action block of a modern SOAR playbook."""
    nodes = json.loads(path.read_text(encoding="utf-8"))["coa"]["data"]["nodes"]
    return [(str(node_id), node["data"]) for node_id, node in nodes.items()
            if node.get("type") == "action"]
