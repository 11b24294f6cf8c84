"""Format block: ``phantom.format`` renders a template from datapaths (§3.6.5)."""

from __future__ import annotations

from editor.blocks.base import BlockType, err, strings_in
from editor.compiler.context import Context
from editor.compiler.writer import Writer, py_str, py_triple, py_value
from editor.graph.errors import ValidationError
from editor.graph.model import Node, as_list


class FormatBlock(BlockType):
    type = "format"
    required_fields = ("template",)

    def datapaths(self, node: Node) -> list[tuple[str, str]]:
        return strings_in(as_list(node.data.get("parameters")), "data.parameters")

    def validate(self, node: Node) -> list[ValidationError]:
        out = super().validate(node)
        if "template" in node.data and not isinstance(node.data["template"], str):
            out.append(err(node, "data.template", "template must be a string"))
        params = node.data.get("parameters", [])
        if not isinstance(params, list):
            out.append(err(node, "data.parameters", "parameters must be a list"))
        return out

    def emit(self, node: Node, ctx: Context) -> list[str]:
        fn = ctx.names[node.id]
        tpl = node.data.get("template")
        params = [p if isinstance(p, str) else str(p) for p in as_list(node.data.get("parameters"))]
        w = Writer()
        w.raw(ctx.header(fn))
        w.raw(self.banner(node))
        w.line()
        w.line(f"template = {py_triple(tpl if isinstance(tpl, str) else '')}")
        w.line()
        w.line("# parameter list for template variable replacement")
        w.line("parameters = [")
        for p in params:
            w.line(f"    {py_str(p)},")
        w.line("]")
        w.raw(self.region(node))
        w.line()
        adv = node.advanced
        extra = ""
        if adv.get("scope") == "all":
            extra += ', scope="all"'
        sep = adv.get("separator")
        if isinstance(sep, str) and sep:
            extra += f", separator={py_str(sep)}"
        if isinstance(adv.get("drop_none"), bool):
            extra += f", drop_none={py_value(adv['drop_none'])}"
        w.line(
            f"phantom.format(container=container, template=template, parameters=parameters, name={py_str(fn)}{extra})"
        )
        w.line()
        for c in ctx.child_ids(node.id):
            w.line(f"{ctx.call_name(c)}(container=container)")
        w.line()
        w.line("return")
        return w.lines


BLOCK = FormatBlock()
