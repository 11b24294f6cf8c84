"""What every block template needs to know about the rest of the graph: build features,
Python names, who calls whom (joins, callbacks) and what a join waits for."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from editor.graph.model import END_ID, START_ID, Edge, Node, Playbook
from editor.graph.naming import python_name

STD_ARGS = (
    "action=None, success=None, container=None, results=None, handle=None, "
    "filtered_artifacts=None, filtered_results=None, custom_function=None"
)


@dataclass(frozen=True)
class Features:
    """Generator differences between SOAR builds (soar-format.md §3.2)."""

    decorator: bool
    loop_state_json: bool
    walrus: bool
    delimiter: bool
    load_inline_format: bool

    @staticmethod
    def for_version(version: str) -> Features:
        nums = [int(p) for p in re.findall(r"\d+", version)[:3]]
        if not nums:
            nums = [6, 2, 0]  # unknown build: emit the newest style
        v = tuple(nums + [0] * (3 - len(nums)))
        return Features(
            decorator=v >= (5, 4, 0),
            loop_state_json=v >= (6, 2, 0),
            walrus=v >= (5, 5, 0),
            delimiter=v >= (6, 0, 1),
            load_inline_format=v >= (6, 0, 0),
        )


PlaybookLookup = Callable[[str, str], "dict[str, Any] | None"]


class Context:
    def __init__(self, playbook: Playbook, playbook_lookup: PlaybookLookup | None = None) -> None:
        self.pb = playbook
        self.playbook_lookup = playbook_lookup
        self.features = Features.for_version(playbook.version)
        self.names: dict[str, str] = {nid: python_name(n.function_name) for nid, n in playbook.nodes.items()}
        self.names[START_ID] = "on_start"
        self.names[END_ID] = "on_finish"
        self._children: dict[str, list[Edge]] = {nid: [] for nid in playbook.nodes}
        self._parents: dict[str, list[Edge]] = {nid: [] for nid in playbook.nodes}
        for edge in playbook.edges:
            if edge.source in self._children and edge.target in self._parents:
                self._children[edge.source].append(edge)
                self._parents[edge.target].append(edge)

    # -- signatures --------------------------------------------------------------------
    def signature(self, name: str, force_loop: bool = False) -> str:
        # A looping block needs loop_state_json whatever the build says, or the engine
        # could not hand the state back.
        loop = self.features.loop_state_json or force_loop
        extra = ", loop_state_json=None" if loop else ""
        return f"def {name}({STD_ARGS}{extra}, **kwargs):"

    def header(self, name: str, force_loop: bool = False) -> list[str]:
        deco = ["@phantom.playbook_block()"] if self.features.decorator else []
        return [*deco, self.signature(name, force_loop), f'    phantom.debug("{name}() called")']

    # -- graph ---------------------------------------------------------------------------
    def node(self, node_id: str) -> Node:
        return self.pb.nodes[node_id]

    def child_edges(self, node_id: str) -> list[Edge]:
        """Out-edges in list order (= call order), minus edges into the end block, which
        generate no code: on_finish runs when the playbook goes idle."""
        return [e for e in self._children.get(node_id, []) if e.target != END_ID]

    def child_ids(self, node_id: str) -> list[str]:
        out: list[str] = []
        for e in self.child_edges(node_id):
            if e.target not in out:
                out.append(e.target)
        return out

    def parent_ids(self, node_id: str) -> list[str]:
        return [e.source for e in self._parents.get(node_id, [])]

    def has_join(self, node_id: str) -> bool:
        return node_id not in (START_ID, END_ID) and len(self._parents.get(node_id, [])) >= 2

    def call_name(self, node_id: str) -> str:
        """What a parent calls to enter ``node_id``: its join when it has one."""
        name = self.names[node_id]
        return f"join_{name}" if self.has_join(node_id) else name

    def is_async(self, node: Node) -> bool:
        """Whether the block finishes later (its children run from a callback).  Each
        block plug-in knows; imported here because the plug-ins import this module."""
        from editor.blocks import block_type

        plugin = block_type(node.type)
        return plugin is not None and plugin.is_async(node)

    def loop_enabled(self, node: Node) -> bool:
        loop = node.data.get("loop")
        return isinstance(loop, dict) and loop.get("enabled") is True

    def callback_target(self, node_id: str) -> str | None:
        """``callback=`` value of an async block: none, the single child (or its join), or
        the ``X_callback`` fan-out."""
        if self.loop_enabled(self.node(node_id)):
            return f"loop_{self.names[node_id]}"
        return self.fanout_target(node_id)

    def fanout_target(self, node_id: str) -> str | None:
        kids = self.child_ids(node_id)
        if not kids:
            return None
        if len(kids) == 1:
            return self.call_name(kids[0])
        return f"{self.names[node_id]}_callback"

    def needs_fanout(self, node_id: str) -> bool:
        return self.is_async(self.node(node_id)) and len(self.child_ids(node_id)) >= 2

    def wait_set(self, node_id: str) -> tuple[list[str], list[str], list[str]]:
        """Nearest asynchronous ancestors (§2.9) as (actions, playbooks, custom functions),
        in first-seen order, minus ``advanced.notRequiredJoins``."""
        skip = set(_str_list(self.node(node_id).advanced.get("notRequiredJoins")))
        actions: list[str] = []
        playbooks: list[str] = []
        cfs: list[str] = []
        seen: set[str] = set()
        stack = list(self.parent_ids(node_id))
        order: list[str] = []
        while stack:
            pid = stack.pop(0)
            if pid in seen or pid not in self.pb.nodes:
                continue
            seen.add(pid)
            parent = self.node(pid)
            if pid == START_ID:
                continue
            if self.is_async(parent):
                order.append(pid)
                continue
            stack.extend(self.parent_ids(pid))
        # SOAR lists the wait set in node-id order, not edge order (log4j_investigate).
        for pid in sorted(order, key=lambda i: (0, int(i)) if i.isdigit() else (1, 0)):
            parent = self.node(pid)
            fn = parent.function_name
            if fn in skip:
                continue
            if parent.type == "playbook":
                playbooks.append(fn)
            elif parent.type == "utility":
                cfs.append(fn)
            else:
                actions.append(fn)
        return actions, playbooks, cfs

    def callee_inputs(self, repo: str, name: str) -> list[str] | None:
        """Input names of a called playbook in its ``input_spec`` order, when the caller
        supplied a lookup: SOAR orders generated inputs that way, and JSON key order is
        lost (soar-format.md §3.8)."""
        if self.playbook_lookup is None:
            return None
        callee = self.playbook_lookup(repo, name)
        if not isinstance(callee, dict):
            return None
        coa = callee.get("coa")
        spec = coa.get("input_spec") if isinstance(coa, dict) else None
        if not isinstance(spec, list):
            return None
        return [i["name"] for i in spec if isinstance(i, dict) and isinstance(i.get("name"), str)]


def _str_list(value: object) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
