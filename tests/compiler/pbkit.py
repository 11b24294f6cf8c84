"""Builders for the compiler tests: tiny playbooks made in code, and where the shared
SOAR corpus lives.  (A uniquely named module so it cannot collide with other test
folders' helpers on sys.path.)"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
FIXTURES = Path(__file__).parent / "fixtures"
GOLDEN = Path(__file__).parent / "golden"


def node(nid: str, ntype: str, name: str, **data: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"advanced": {"join": []}, "functionName": name, "id": nid, "type": ntype}
    user_code = data.pop("userCode", None)
    custom_code = data.pop("customCode", None)
    body.update(data)
    out: dict[str, Any] = {"data": body, "errors": {}, "id": nid, "type": ntype, "x": 0, "y": 0}
    if user_code is not None:
        out["userCode"] = user_code
    if custom_code is not None:
        out["customCode"] = custom_code
    return out


def edge(src: str, dst: str, index: int | None = None) -> dict[str, Any]:
    e: dict[str, Any] = {
        "id": f"port_{src}_to_port_{dst}",
        "sourceNode": src,
        "sourcePort": f"{src}_out",
        "targetNode": dst,
        "targetPort": f"{dst}_in",
    }
    if index is not None:
        e["conditions"] = [{"index": index}]
    return e


def action(nid: str, name: str, **params: Any) -> dict[str, Any]:
    return node(
        nid,
        "action",
        name,
        action="geolocate ip",
        actionType="investigate",
        connector="MaxMind",
        connectorConfigs=["maxmind"],
        connectorId="c0ffee",
        connectorVersion="v1",
        functionId=1,
        parameters=params,
        requiredParameters=[{"data_type": "string", "field": k} for k in params],
    )


def code(
    nid: str,
    name: str,
    inputs: list[str] | None = None,
    outputs: list[str] | None = None,
    user_code: str = "\n    pass\n",
) -> dict[str, Any]:
    return node(
        nid, "code", name, functionId=1, inputParameters=inputs or [], outputVariables=outputs or [], userCode=user_code
    )


def playbook(
    nodes: list[dict[str, Any]],
    edges: list[dict[str, Any]],
    version: str = "6.2.0.355",
    description: str = "test playbook",
    **coa: Any,
) -> dict[str, Any]:
    all_nodes = [node("0", "start", "on_start"), node("1", "end", "on_finish")] + nodes
    out = {
        "blockly": False,
        "blockly_xml": "<xml></xml>",
        "category": "Test",
        "create_time": "2024-01-01T00:00:00+00:00",
        "draft_mode": False,
        "labels": ["*"],
        "tags": [],
        "coa": {
            "data": {
                "description": description,
                "edges": edges,
                "hash": "",
                "notes": "",
                "nodes": {n["id"]: n for n in all_nodes},
            },
            "input_spec": None,
            "output_spec": None,
            "playbook_type": "automation",
            "python_version": "3",
            "schema": "5.0.11",
            "version": version,
        },
    }
    out["coa"].update(coa)
    return copy.deepcopy(out)


def simple() -> dict[str, Any]:
    """start -> geolocate (action) -> end."""
    return playbook(
        [action("2", "geolocate_ip_1", ip="artifact:*.cef.sourceAddress")], [edge("0", "2"), edge("2", "1")]
    )
