"""SOAR datapath grammar (soar-format.md §4).

A datapath is how one block reads another's output: ``B:action_result.data.*.ip``,
``filtered-data:F:condition_1:artifact:*.cef.x``, ``playbook_input:user`` …  Strings that
do not parse as one are literals (parameters mix both freely).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FILTERED = re.compile(r"^filtered-data:([A-Za-z0-9_]+):condition_(\d+):(.*)$", re.S)
_BLOCK = re.compile(r"^([A-Za-z0-9_]+):(.*)$", re.S)


@dataclass(frozen=True)
class Datapath:
    raw: str
    # artifact | container | playbook_input | custom_list, or one naming an upstream block:
    # action_result | cf_result | code_output | format | format_list | playbook_output | child_input
    # | action_artifact | app_summary (classic forms)
    kind: str
    path: str = ""  # remainder after the source prefix (e.g. "*.cef.x", "data.*.ip")
    block: str | None = None  # upstream functionName for the block-naming kinds
    filter_block: str | None = None  # F in filtered-data:F:condition_N:
    condition: int | None = None  # N (1-based)

    @property
    def filtered(self) -> bool:
        return self.filter_block is not None

    def referenced_blocks(self) -> list[str]:
        """Every functionName this datapath depends on (for dangling-reference checks)."""
        out = [b for b in (self.filter_block, self.block) if b]
        return out


def parse(value: object) -> Datapath | None:
    """Parse a datapath; ``None`` for literals (non-strings included)."""
    if not isinstance(value, str) or ":" not in value:
        return None
    filter_block: str | None = None
    condition: int | None = None
    rest = value
    m = _FILTERED.match(value)
    if m:
        filter_block, condition, rest = m.group(1), int(m.group(2)), m.group(3)
    src = _source(rest)
    if src is None:
        return None
    kind, block, path = src
    return Datapath(value, kind, path, block, filter_block, condition)


def _source(rest: str) -> tuple[str, str | None, str] | None:
    for prefix, kind in (
        ("artifact:", "artifact"),
        ("container:", "container"),
        ("playbook_input:", "playbook_input"),
        ("custom_list:", "custom_list"),
    ):
        if rest.startswith(prefix):
            return kind, None, rest[len(prefix) :]
    m = _BLOCK.match(rest)
    if not m:
        return None
    block, tail = m.group(1), m.group(2)
    if tail == "action_result" or tail.startswith("action_result."):
        return "action_result", block, tail[len("action_result.") :]
    if tail == "custom_function_result" or tail.startswith("custom_function_result."):
        return "cf_result", block, tail[len("custom_function_result.") :]
    if tail.startswith("custom_function:"):
        return "code_output", block, tail[len("custom_function:") :]
    if tail == "formatted_data":
        return "format", block, ""
    if tail.startswith("formatted_data."):
        return "format_list", block, tail[len("formatted_data.") :]
    if tail.startswith("playbook_output:"):
        return "playbook_output", block, tail[len("playbook_output:") :]
    if tail.startswith("playbook_input:"):
        return "child_input", block, tail[len("playbook_input:") :]
    # Classic forms the engine still reads (converted classic playbooks keep them):
    # the artifacts behind an action's results, and the action's run-level summary.
    if tail.startswith("artifact:"):
        return "action_artifact", block, tail[len("artifact:") :]
    if tail == "summary" or tail.startswith("summary."):
        return "app_summary", block, tail[len("summary.") :]
    return None
