"""Start block: ``on_start(container)`` calls the first blocks (§3.6.1)."""

from __future__ import annotations

from editor.blocks.base import BlockType
from editor.compiler.context import Context
from editor.compiler.writer import Writer
from editor.graph.model import Node


class StartBlock(BlockType):
    type = "start"
    custom_region = False

    def emit(self, node: Node, ctx: Context) -> list[str]:
        w = Writer()
        if ctx.features.decorator:
            w.raw(["@phantom.playbook_block()"])
        w.raw(["def on_start(container):"])
        w.line("phantom.debug('on_start() called')")
        w.line()
        for c in ctx.child_ids(node.id):
            w.line(f"# call {ctx.names[c]!r} block")
            w.line(f"{ctx.call_name(c)}(container=container)")
            w.line()
        w.line("return")
        return w.lines


BLOCK = StartBlock()
