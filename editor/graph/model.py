"""Lossless model of a modern SOAR playbook (``coa.data.nodes`` / ``coa.data.edges``).

The editor needs typed access to a handful of fields (type, functionName, edges, user
code) but SOAR files carry many more (canvas state, UI bookkeeping, fields of future
builds).  So every object keeps the JSON it came from and only *views* the fields it
interprets: ``to_json(from_json(x)) == x`` for every file in the corpus.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from editor.graph.errors import SoarFormatError

JSON = Any
JSONDict = dict[str, Any]

START_ID = "0"
END_ID = "1"


def _expect_dict(value: object, path: str) -> JSONDict:
    if not isinstance(value, dict):
        raise SoarFormatError(f"expected an object, got {type(value).__name__}", path)
    return value


def _expect_str(value: object, path: str) -> str:
    if not isinstance(value, str):
        raise SoarFormatError(f"expected a string, got {type(value).__name__}", path)
    return value


@dataclass
class Node:
    """One block.  ``data`` is the node's ``data`` object, mutated in place by the editor;
    ``extra`` holds the node-level keys besides data/id/type (x, y, errors, warnings,
    userCode, customCode)."""

    id: str
    type: str
    data: JSONDict
    extra: JSONDict = field(default_factory=dict)

    @property
    def function_name(self) -> str:
        value = self.data.get("functionName", "")
        return value if isinstance(value, str) else ""

    @property
    def advanced(self) -> JSONDict:
        adv = self.data.get("advanced")
        return adv if isinstance(adv, dict) else {}

    @property
    def user_code(self) -> str | None:
        value = self.extra.get("userCode")
        return value if isinstance(value, str) else None

    @property
    def custom_code(self) -> str | None:
        """Whole-function override; ``null`` is a leftover of a revert and means none."""
        value = self.extra.get("customCode")
        return value if isinstance(value, str) else None

    def to_json(self) -> JSONDict:
        out = dict(self.extra)
        out["data"] = self.data
        out["id"] = self.id
        out["type"] = self.type
        return out


@dataclass
class Edge:
    id: str
    source: str
    target: str
    extra: JSONDict = field(default_factory=dict)

    @property
    def condition_indices(self) -> list[int]:
        """0-based branch indices of a decision/filter edge; empty for plain edges."""
        conds = self.extra.get("conditions")
        if not isinstance(conds, list):
            return []
        out: list[int] = []
        for item in conds:
            if isinstance(item, dict) and isinstance(item.get("index"), int):
                out.append(item["index"])
        return out

    def to_json(self) -> JSONDict:
        out = dict(self.extra)
        out["id"] = self.id
        out["sourceNode"] = self.source
        out["targetNode"] = self.target
        return out


@dataclass
class Playbook:
    """A modern playbook: graph plus the envelope keys we never interpret."""

    nodes: dict[str, Node]
    edges: list[Edge]
    envelope: JSONDict = field(default_factory=dict)  # top level minus "coa"
    coa: JSONDict = field(default_factory=dict)  # coa minus "data"
    data: JSONDict = field(default_factory=dict)  # coa.data minus nodes/edges
    name: str = ""

    # -- views over the envelope -------------------------------------------------------
    @property
    def version(self) -> str:
        value = self.coa.get("version")
        return value if isinstance(value, str) else ""

    @property
    def playbook_type(self) -> str:
        value = self.coa.get("playbook_type")
        return value if isinstance(value, str) else "automation"

    @property
    def input_spec(self) -> list[JSONDict]:
        value = self.coa.get("input_spec")
        return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []

    @property
    def output_spec(self) -> list[JSONDict]:
        value = self.coa.get("output_spec")
        return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []

    @property
    def description(self) -> str:
        value = self.data.get("description")
        return value if isinstance(value, str) else ""

    @property
    def global_custom_code(self) -> str | None:
        value = self.data.get("globalCustomCode")
        return value if isinstance(value, str) else None

    # -- graph helpers -----------------------------------------------------------------
    def node_order(self) -> list[str]:
        """Node ids in SOAR's emission order: numeric ascending (ids are string ints)."""
        return sorted(self.nodes, key=_id_key)

    def to_json(self) -> JSONDict:
        data = dict(self.data)
        data["nodes"] = {nid: n.to_json() for nid, n in self.nodes.items()}
        data["edges"] = [e.to_json() for e in self.edges]
        coa = dict(self.coa)
        coa["data"] = data
        out = dict(self.envelope)
        out["coa"] = coa
        return copy.deepcopy(out)


def _id_key(node_id: str) -> tuple[int, int | str]:
    return (0, int(node_id)) if node_id.isdigit() else (1, node_id)


def parse_node(key: str, raw: object) -> Node:
    path = f'coa.data.nodes["{key}"]'
    obj = _expect_dict(raw, path)
    data = _expect_dict(obj.get("data"), f"{path}.data")
    node_type = _expect_str(obj.get("type", data.get("type")), f"{path}.type")
    extra = {k: v for k, v in obj.items() if k not in ("data", "id", "type")}
    node_id = obj.get("id", key)
    if not isinstance(node_id, str):
        raise SoarFormatError("node id must be a string", f"{path}.id")
    if node_id != key:
        raise SoarFormatError(f"node id {node_id!r} differs from its key {key!r}", f"{path}.id")
    if "functionName" in data and not isinstance(data["functionName"], str):
        raise SoarFormatError("functionName must be a string", f"{path}.data.functionName")
    return Node(id=node_id, type=node_type, data=data, extra=extra)


def parse_edge(index: int, raw: object) -> Edge:
    path = f"coa.data.edges[{index}]"
    obj = _expect_dict(raw, path)
    source = _expect_str(obj.get("sourceNode"), f"{path}.sourceNode")
    target = _expect_str(obj.get("targetNode"), f"{path}.targetNode")
    edge_id = obj.get("id", f"port_{source}_to_port_{target}")
    if not isinstance(edge_id, str):
        raise SoarFormatError("edge id must be a string", f"{path}.id")
    conds = obj.get("conditions")
    if conds is not None and not isinstance(conds, list):
        raise SoarFormatError("conditions must be a list", f"{path}.conditions")
    extra = {k: v for k, v in obj.items() if k not in ("id", "sourceNode", "targetNode")}
    return Edge(id=edge_id, source=source, target=target, extra=extra)


def parse_playbook(raw: object, name: str = "", copy_input: bool = True) -> Playbook:
    """Build the model from parsed JSON (a modern playbook).  Copies the input so the
    caller's dict is never aliased by the editor's later mutations; read-only callers
    (the compiler) may skip the copy, the costliest part of compiling."""
    try:
        top = _expect_dict(copy.deepcopy(raw) if copy_input else raw, "")
    except RecursionError as exc:  # hostile nesting; validation reports it when not copying
        raise SoarFormatError("JSON nested too deeply", "") from exc
    coa = _expect_dict(top.get("coa"), "coa")
    data = _expect_dict(coa.get("data"), "coa.data")
    if "joint" in data and "nodes" not in data:
        raise SoarFormatError("classic playbook (coa.data.joint); convert it first", "coa.data.joint")
    nodes_raw = _expect_dict(data.get("nodes"), "coa.data.nodes")
    edges_raw = data.get("edges")
    if not isinstance(edges_raw, list):
        raise SoarFormatError("expected a list of edges", "coa.data.edges")
    nodes = {str(k): parse_node(str(k), v) for k, v in nodes_raw.items()}
    edges = [parse_edge(i, e) for i, e in enumerate(edges_raw)]
    return Playbook(
        nodes=nodes,
        edges=edges,
        envelope={k: v for k, v in top.items() if k != "coa"},
        coa={k: v for k, v in coa.items() if k != "data"},
        data={k: v for k, v in data.items() if k not in ("nodes", "edges")},
        name=name,
    )


def as_list(value: object) -> list[Any]:
    """``value`` if it is a list, else ``[]``: templates read untrusted JSON and a wrong
    type must degrade to "nothing there" (validation reports it), never crash."""
    return value if isinstance(value, list) else []


def as_dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
