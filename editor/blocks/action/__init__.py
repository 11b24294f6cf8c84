"""Action block: ``phantom.act`` on an app action (soar-format.md §3.6.2)."""

from __future__ import annotations

from editor.blocks.action.block import ActionBlock

BLOCK = ActionBlock()
