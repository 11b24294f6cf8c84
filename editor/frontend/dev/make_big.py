#!/usr/bin/env python3
"""Write a synthetic modern playbook with N blocks (for performance checks): python3 make_big.py 500 OUT.json"""
from __future__ import annotations

import json
import random
import sys


def node(nid: str, t: str, data: dict, x: float, y: float) -> dict:
    return {"data": {"advanced": {"join": []}, "id": nid, "type": t, **data}, "errors": {}, "id": nid, "type": t, "x": x, "y": y}


def build(n: int) -> dict:
    rnd = random.Random(7)
    nodes = {"0": node("0", "start", {"functionName": "on_start"}, 0, 0)}
    edges = []
    kinds = ["action", "format", "code", "filter", "decision", "utility"]
    ids = []
    cols = 10
    for i in range(n):
        nid = str(i + 2)
        t = kinds[i % len(kinds)]
        fn = f"{t}_{i + 1}"
        data = {"functionName": fn, "functionId": i + 1}
        if t == "action":
            data.update(action="geolocate ip", actionType="investigate", connector="MaxMind", connectorConfigs=["maxmind"], connectorId="x", connectorVersion="v1",
                        parameters={"ip": "artifact:*.cef.sourceAddress"}, requiredParameters=[{"data_type": "string", "field": "ip"}])
        elif t in ("filter", "decision"):
            data["conditions"] = [{"comparisons": [{"conditionIndex": 0, "op": "==", "param": "container:id", "value": "1"}], "conditionIndex": 0, "customName": "", "logic": "and",
                                   **({"type": "if", "display": "If"} if t == "decision" else {})}]
        elif t == "format":
            data.update(template="{0}", parameters=["container:name"])
        elif t == "code":
            data.update(inputParameters=[], outputVariables=[])
        else:
            data.update(utilityType="api", utilities={}, values={}, selectMore=False)
        nodes[nid] = node(nid, t, data, (i % cols) * 220, 140 + (i // cols) * 150)
        parent = "0" if i < cols else ids[i - cols]
        pt = nodes[parent]["type"]
        e = {"id": f"port_{parent}_to_port_{nid}", "sourceNode": parent, "sourcePort": f"{parent}_out", "targetNode": nid, "targetPort": f"{nid}_in"}
        if pt in ("filter", "decision"):
            e = {"conditions": [{"index": 0}], **e}
        edges.append(e)
        ids.append(nid)
    nodes["1"] = node("1", "end", {"functionName": "on_finish", "functionId": 1}, 900, 140 + (n // cols + 1) * 150)
    for nid in ids[-cols:]:
        edges.append({"id": f"port_{nid}_to_port_1", "sourceNode": nid, "sourcePort": f"{nid}_out", "targetNode": "1", "targetPort": "1_in",
                      **({"conditions": [{"index": 0}]} if nodes[nid]["type"] in ("filter", "decision") else {})})
    return {"blockly": False, "blockly_xml": "<xml></xml>", "category": "perf", "coa": {"data": {"description": "synthetic", "edges": edges, "hash": "", "nodes": nodes, "notes": ""},
            "input_spec": None, "output_spec": None, "playbook_type": "automation", "python_version": "3", "schema": "5.0.11", "version": "6.2.0.355"},
            "create_time": "2026-01-01T00:00:00+00:00", "draft_mode": False, "labels": ["*"], "tags": []}


if __name__ == "__main__":
    with open(sys.argv[2], "w") as fh:
        json.dump(build(int(sys.argv[1])), fh)
