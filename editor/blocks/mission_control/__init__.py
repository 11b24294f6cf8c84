"""Mission Control block: same shape and generated code as an action (§2.6)."""

from __future__ import annotations

from editor.blocks.action.block import ActionBlock


class MissionControlBlock(ActionBlock):
    type = "missionControl"


BLOCK = MissionControlBlock()
