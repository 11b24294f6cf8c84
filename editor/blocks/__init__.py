"""Block-type plug-ins, one folder each.  ``BLOCK_TYPES`` is the single registry the
validator and compiler consult; adding a block type means adding a folder and a line."""

from __future__ import annotations

from editor.blocks import action, code, decision, end, mission_control, playbook, prompt, start, utility
from editor.blocks import filter as filter_block  # aliased: the folder names shadow builtins
from editor.blocks import format as format_block
from editor.blocks.base import BlockType

BLOCK_TYPES: list[BlockType] = [
    start.BLOCK,
    end.BLOCK,
    action.BLOCK,
    mission_control.BLOCK,
    decision.BLOCK,
    filter_block.BLOCK,
    format_block.BLOCK,
    prompt.BLOCK,
    code.BLOCK,
    utility.BLOCK,
    playbook.BLOCK,
]

REGISTRY: dict[str, BlockType] = {b.type: b for b in BLOCK_TYPES}


def block_type(node_type: str) -> BlockType | None:
    return REGISTRY.get(node_type)
