"""A small valid modern playbook used by editor tests."""
from __future__ import annotations

import copy
from typing import Any


def _node(nid: str, kind: str, name: str, y: int, **data: Any) -> dict[str, Any]:
    return {"data": {"advanced": {"join": []}, "functionName": name, "id": nid, "type": kind, **data},
            "errors": {}, "id": nid, "type": kind, "warnings": {}, "x": 400, "y": y}


GRAPH: dict[str, Any] = {
    "blockly": False, "blockly_xml": "<xml></xml>", "category": "Triage", "create_time": "2026-11-24T00:00:00+00:00",
    "draft_mode": False, "labels": ["events"], "tags": [],
    "coa": {
        "data": {
            "description": "Say hello.", "notes": "", "hash": "",
            "nodes": {
                "0": _node("0", "start", "on_start", 0),
                "1": _node("1", "end", "on_finish", 400),
                "2": _node("2", "format", "format_1", 200, functionId=1, parameters=["container:name"],
                           template="Hello {0}\n"),
            },
            "edges": [
                {"id": "port_0_to_port_2", "sourceNode": "0", "sourcePort": "0_out", "targetNode": "2", "targetPort": "2_in"},
                {"id": "port_2_to_port_1", "sourceNode": "2", "sourcePort": "2_out", "targetNode": "1", "targetPort": "1_in"},
            ],
        },
        "input_spec": None, "output_spec": None, "playbook_type": "automation", "python_version": "3",
        "schema": "5.0.11", "version": "6.2.0.355",
    },
}


def graph_with_broken_code() -> dict[str, Any]:
    """GRAPH with a Code block 3 (after block 2) whose code does not parse: a draft the
    compiler refuses, naming block 3."""
    doc = copy.deepcopy(GRAPH)
    block = _node("3", "code", "broken_code", 300, functionId=2, inputParameters=[], outputVariables=[])
    block["userCode"] = "\n    x = (\n"
    doc["coa"]["data"]["nodes"]["3"] = block
    doc["coa"]["data"]["edges"].append({"id": "port_2_to_port_3", "sourceNode": "2", "sourcePort": "2_out",
                                        "targetNode": "3", "targetPort": "3_in"})
    return doc
