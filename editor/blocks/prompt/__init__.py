"""Prompt block: ``phantom.prompt2`` asks a user and calls back with the answer (§3.6.11)."""

from __future__ import annotations

from typing import Any

from editor.blocks.base import BlockType, err, strings_in
from editor.compiler.context import Context
from editor.compiler.writer import Writer, py_str, py_triple, py_value
from editor.graph.errors import ValidationError
from editor.graph.model import Node, as_list


def response_types(node: Node) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for resp in as_list(node.data.get("responses")):
        if not isinstance(resp, dict):
            continue
        prompt = resp.get("responsePrompt", "")
        options = as_list(resp.get("responseOptions"))
        if resp.get("responseType") == "message" or not options:
            out.append({"prompt": prompt, "options": {"type": "message"}})
        else:
            out.append({"prompt": prompt, "options": {"type": "list", "choices": options}})
    return out


class PromptBlock(BlockType):
    type = "prompt"
    custom_region = False
    required_fields = ("message",)

    def is_async(self, node: Node) -> bool:
        return True

    def datapaths(self, node: Node) -> list[tuple[str, str]]:
        return strings_in(as_list(node.data.get("parameters")), "data.parameters")

    def validate(self, node: Node) -> list[ValidationError]:
        out = super().validate(node)
        rt = node.data.get("responseTime", 30)
        if not isinstance(rt, int) or isinstance(rt, bool) or rt <= 0:
            out.append(err(node, "data.responseTime", "responseTime must be a positive integer (minutes)"))
        return out

    def emit(self, node: Node, ctx: Context) -> list[str]:
        fn = ctx.names[node.id]
        w = Writer()
        w.raw(ctx.header(fn))
        w.raw(self.banner(node))
        w.line()
        w.line("# set user and message variables for phantom.prompt call")
        approver = node.data.get("approver")
        with_role = False
        if isinstance(approver, dict):
            if approver.get("type") == "role":
                w.line("user = None")
                w.line(f"role = {py_str(str(approver.get('value', '')))}")
            else:
                value = approver.get("value")
                if value == "container_owner":
                    w.line("user = container.get('owner_name', None)")
                else:
                    w.line(f"user = {py_str(str(value or ''))}")
                w.line("role = None")
            with_role = True
        else:
            w.line(f"user = {py_str(approver if isinstance(approver, str) else '')}")
        msg = node.data.get("message")
        w.line(f"message = {py_triple(msg if isinstance(msg, str) else '')}")
        w.line()
        w.line("# parameter list for template variable replacement")
        w.line("parameters = [")
        for p in as_list(node.data.get("parameters")):
            w.line(f"    {py_str(p if isinstance(p, str) else str(p))},")
        w.line("]")
        w.line()
        w.line("# responses")
        w.line(f"response_types = {py_value(response_types(node))}")
        w.line()
        rt = node.data.get("responseTime", 30)
        rt = rt if isinstance(rt, int) and not isinstance(rt, bool) else 30
        call = (
            f"phantom.prompt2(container=container, user=user, "
            f"{'role=role, ' if with_role else ''}message=message, respond_in_mins={rt}, "
            f"name={py_str(fn)}, parameters=parameters, response_types=response_types"
        )
        cb = ctx.callback_target(node.id)
        if cb:
            call += f", callback={cb}"
        w.line(call + ")")
        w.line()
        w.line("return")
        return w.lines


BLOCK = PromptBlock()
