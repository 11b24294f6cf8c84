"""Builders for small classic (JointJS) playbooks, and where the shared corpus lives."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

SHARED = Path(__file__).parents[2].parent / "shared"
CLASSIC = SHARED / "corpus" / "classic"
APPS = SHARED / "apps"
GOLDEN = Path(__file__).parent / "golden"


def cell(kind: str, name: str, order: int, **fields: Any) -> dict[str, Any]:
    """A classic block cell named ``name`` (its Python function name)."""
    out: dict[str, Any] = {
        "id": f"id-{name}", "type": f"coa.{kind}", "previous_name": name, "custom_name": "", "number": 1,
        "order": order, "position": {"x": 100 * order, "y": 40}, "notes": "", "description": "",
        "custom_code": "", "has_custom_block": False, "join_optional": [],
    }
    out.update(fields)
    out.setdefault("block_code", "")
    return out


def start() -> dict[str, Any]:
    return {**cell("StartEnd", "", 0, title="START"), "id": "id-start", "previous_name": ""}


def end(order: int = 99) -> dict[str, Any]:
    return {**cell("StartEnd", "", order, title="END"), "id": "id-end", "previous_name": ""}


def action_code(name: str, act: str, assets: tuple[str, ...], params: dict[str, Any]) -> str:
    """What the classic generator wrote for an action (one collect2 over all datapaths)."""
    paths = [v for v in params.values() if isinstance(v, str) and ":" in v]
    lines = [f"def {name}(action=None, success=None, container=None, results=None, handle=None, "
             "filtered_artifacts=None, filtered_results=None, custom_function=None, **kwargs):",
             f"    phantom.debug('{name}() called')",
             f"    data_1 = phantom.collect2(container=container, datapath={paths!r}, action_results=results)",
             "    parameters = []",
             "    for item_1 in data_1:",
             "        parameters.append({"]
    for key, value in params.items():
        lines.append(f"            {key!r}: item_1[{paths.index(value)}]," if value in paths else f"            {key!r}: {value!r},")
    lines += ["        })", f"    phantom.act({act!r}, parameters=parameters, assets={list(assets)!r}, name={name!r})",
              "    return"]
    return "\n".join(lines)


def action(name: str, order: int, act: str = "geolocate ip", assets: tuple[str, ...] = ("maxmind",),
           params: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
    values = params if params is not None else {"ip": "artifact:*.cef.sourceAddress"}
    fields.setdefault("block_code", action_code(name, act, assets, values))
    return cell("Action", name, order, action=act, action_type="investigate", app="MaxMind", appid="",
                active_values=values, assets=[{"name": a, "app_name": "MaxMind"} for a in assets],
                required_params={"ip": True}, **fields)


def decision(name: str, order: int, branches: list[tuple[str, str, str]], with_else: bool = True) -> dict[str, Any]:
    outputs = [{"type": "if" if i == 0 else "elif", "display": "If", "logic": "and",
                "conditions": [{"param": p, "comparison": op, "value": v}]} for i, (p, op, v) in enumerate(branches)]
    if with_else:
        outputs.append({"type": "else", "display": "Else", "logic": "and",
                        "conditions": [{"param": "", "comparison": "==", "value": ""}]})
    code = [f"def {name}(action=None, success=None, container=None, results=None, handle=None, **kwargs):"]
    code += [f"    phantom.decision(container=container, conditions=[[{p!r}, {op!r}, {v!r}]])" for p, op, v in branches]
    return cell("Decision", name, order, outputs=outputs, block_code="\n".join(code + ["    return"]))


def link(source: str, target: str, port: int | None = None) -> dict[str, Any]:
    src: dict[str, Any] = {"id": source if source.startswith("id-") else f"id-{source}"}
    if port is not None:
        src["port"] = f"out-{port}"
    return {"type": "link", "source": src, "target": {"id": target if target.startswith("id-") else f"id-{target}"}}


def playbook(*cells: dict[str, Any], code_block: str = "") -> dict[str, Any]:
    return {"category": "Test", "labels": ["events"], "tags": [], "create_time": "",
            "coa": {"schema": 4, "version": "4.10.0.40961",
                    "data": {"description": "a classic playbook", "notes": "", "code_block": code_block,
                             "joint": {"cells": list(cells)}}}}


def corpus_names() -> list[str]:
    return sorted(p.stem for p in CLASSIC.glob("*.json")) if CLASSIC.is_dir() else []


@cache
def corpus_doc(name: str) -> dict[str, Any]:
    return json.loads((CLASSIC / f"{name}.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]
