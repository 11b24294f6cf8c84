"""Small hand-made playbooks for the live-run browser tests, on the built-in Utilities app.

Each builder returns a modern SOAR playbook document; `store` saves it as a playbook and
`utilities_asset` makes the asset the action block names (no ../shared needed).
"""
from __future__ import annotations

import json
from typing import Any

from editor.models import Playbook

UTILITIES_APPID = "b1a55827-fa87-492c-920e-0c1319890018"


def _node(nid: str, kind: str, name: str, y: int, x: int = 400, **data: Any) -> dict[str, Any]:
    extra = {k: data.pop(k) for k in ("userCode",) if k in data}
    return {"data": {"advanced": {"join": []}, "functionId": 1, "functionName": name, "id": nid, "type": kind, **data},
            "errors": {}, "id": nid, "type": kind, "warnings": {}, "x": x, "y": y, **extra}


def _edge(src: str, dst: str, index: int | None = None) -> dict[str, Any]:
    edge: dict[str, Any] = {"id": f"port_{src}_to_port_{dst}", "sourceNode": src, "sourcePort": f"{src}_out",
                            "targetNode": dst, "targetPort": f"{dst}_in"}
    if index is not None:
        edge["conditions"] = [{"index": index}]
    return edge


def _doc(nodes: list[dict[str, Any]], edges: list[dict[str, Any]], description: str) -> dict[str, Any]:
    return {
        "blockly": False, "blockly_xml": "<xml></xml>", "category": "Tests", "create_time": "2026-11-24T00:00:00+00:00",
        "draft_mode": False, "labels": ["*"], "tags": [],
        "coa": {
            "data": {"description": description, "notes": "", "hash": "",
                     "nodes": {n["id"]: n for n in nodes}, "edges": edges},
            "input_spec": None, "output_spec": None, "playbook_type": "automation", "python_version": "3",
            "schema": "5.0.11", "version": "6.2.0.355",
        },
    }


def _code(nid: str, name: str, y: int, user_code: str, x: int = 400) -> dict[str, Any]:
    return _node(nid, "code", name, y, x, inputParameters=[], outputVariables=["out"], userCode=user_code)


def _decision(nid: str, name: str, y: int, param: str, value: str) -> dict[str, Any]:
    return _node(nid, "decision", name, y, conditions=[
        {"comparisons": [{"conditionIndex": 0, "op": "==", "param": param, "value": value}],
         "conditionIndex": 0, "customName": "matches", "display": "If", "logic": "and", "type": "if"},
        {"comparisons": [{"conditionIndex": 1, "op": "==", "param": "", "value": ""}],
         "conditionIndex": 1, "customName": "otherwise", "display": "Else", "logic": "and", "type": "else"},
    ])


def _hash_action(nid: str, name: str, y: int, x: int = 400) -> dict[str, Any]:
    return _node(nid, "action", name, y, x, action="hash text", actionType="investigate", connector="Utilities",
                 connectorConfigs=["utilities"], connectorId=UTILITIES_APPID, connectorVersion="v1",
                 parameters={"text": "container:name", "algorithm": "sha256"},
                 requiredParameters=[{"data_type": "string", "field": "text"}])


def success_playbook(delay_s: float = 0.4) -> dict[str, Any]:
    """start → format_1 → slow_code → decision_1 (container label is "events") → hash_name
    (Utilities "hash text") → end; the else branch (note_other) never runs.

    `slow_code` sleeps so a browser sees blocks change one after the other.
    """
    sleep = f"\n    import time\n    time.sleep({delay_s})\n    slow_code__out = 'slept'\n"
    nodes = [
        _node("0", "start", "on_start", 0),
        _node("1", "end", "on_finish", 900),
        _node("2", "format", "format_1", 120, parameters=["container:name"], template="Case {0}\n"),
        _code("3", "slow_code", 260, sleep),
        _decision("4", "decision_1", 400, "container:label", "events"),
        _hash_action("5", "hash_name", 560, x=250),
        _code("6", "note_other", 560, "\n    phantom.debug('never')\n", x=560),
    ]
    edges = [_edge("0", "2"), _edge("2", "3"), _edge("3", "4"), _edge("4", "5", 0), _edge("4", "6", 1),
             _edge("5", "1"), _edge("6", "1")]
    return _doc(nodes, edges, "Format, wait, decide, hash the container name.")


def failing_playbook() -> dict[str, Any]:
    """start → prepare → explode (raises) → after (never runs) → end."""
    nodes = [
        _node("0", "start", "on_start", 0),
        _node("1", "end", "on_finish", 600),
        _code("2", "prepare", 150, "\n    phantom.debug('preparing the explosion')\n"),
        _code("3", "explode", 300, "\n    raise ValueError('the fuse was lit')\n"),
        _code("4", "after", 450, "\n    phantom.debug('unreachable')\n"),
    ]
    edges = [_edge("0", "2"), _edge("2", "3"), _edge("3", "4"), _edge("4", "1")]
    return _doc(nodes, edges, "Fails in its second block.")


def prompt_playbook(approver: str = "analyst", delay_s: float = 0.0) -> dict[str, Any]:
    """start → [slow_start] → ask (prompt to `approver`, Yes/No) → answered (decision on the answer)
    → approved_note | declined_note → end."""
    nodes = [
        _node("0", "start", "on_start", 0),
        _node("1", "end", "on_finish", 760),
        _node("2", "prompt", "ask", 150, approver=approver, message="Contain case {0}?", parameters=["container:name"],
              responseTime=30, responses=[{"responseOptions": ["Yes", "No"], "responsePrompt": "Contain it?",
                                           "responseType": "yes/no"}]),
        _decision("3", "answered", 320, "ask:action_result.summary.responses.0", "Yes"),
        _code("4", "approved_note", 480, "\n    phantom.debug('approved by a person')\n", x=250),
        _code("5", "declined_note", 480, "\n    phantom.debug('declined')\n", x=560),
    ]
    edges = [_edge("0", "2"), _edge("2", "3"), _edge("3", "4", 0), _edge("3", "5", 1), _edge("4", "1"), _edge("5", "1")]
    if delay_s:
        nodes.append(_code("6", "slow_start", 75, f"\n    import time\n    time.sleep({delay_s})\n"))
        edges = [_edge("0", "6"), _edge("6", "2"), *edges[1:]]
    return _doc(nodes, edges, "Asks a person, then notes the answer.")


def store(name: str, doc: dict[str, Any]) -> Playbook:
    playbook = Playbook(name=name)
    playbook.save_version(json.dumps(doc, indent=4, sort_keys=True))
    return playbook


def utilities_asset() -> Any:
    """The `utilities` asset of the built-in Utilities app (what load_demo would make)."""
    from engine.catalogue import sync_builtin_apps
    from engine.models import App, Asset

    sync_builtin_apps()
    app = App.objects.get(appid=UTILITIES_APPID)
    return Asset.objects.get_or_create(name="utilities", defaults={"app": app})[0]
