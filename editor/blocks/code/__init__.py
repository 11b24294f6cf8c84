"""Code block: user code over loaded inputs; outputs saved as run data (§3.6.6)."""

from __future__ import annotations

from editor.blocks.base import BlockType, err, strings_in
from editor.compiler.context import Context
from editor.compiler.loaders import Loader
from editor.compiler.writer import Writer, py_str
from editor.graph.errors import ValidationError, show
from editor.graph.model import Node, as_list
from editor.graph.naming import identifier_problem


def output_names(node: Node) -> list[str]:
    outs = node.data.get("outputVariables")
    return [o for o in outs if isinstance(o, str)] if isinstance(outs, list) else []


class CodeBlock(BlockType):
    type = "code"

    def datapaths(self, node: Node) -> list[tuple[str, str]]:
        return strings_in(as_list(node.data.get("inputParameters")), "data.inputParameters")

    def validate(self, node: Node) -> list[ValidationError]:
        out = super().validate(node)
        outs = node.data.get("outputVariables", [])
        if not isinstance(outs, list):
            return out + [err(node, "data.outputVariables", "outputVariables must be a list")]
        for i, name in enumerate(outs):
            problem = identifier_problem(name) if isinstance(name, str) else "must be a string"
            if problem:
                out.append(
                    err(node, f"data.outputVariables[{i}]", f"output variable {show(name)} {problem}", "bad_identifier")
                )
        return out

    def emit(self, node: Node, ctx: Context) -> list[str]:
        fn = ctx.names[node.id]
        w = Writer()
        w.raw(ctx.header(fn))
        w.raw(self.banner(node))
        w.line()
        loader = Loader(node.advanced.get("scope") == "all", ctx.features.walrus)
        literals: list[tuple[int, str]] = []
        for k, value in enumerate(as_list(node.data.get("inputParameters"))):
            if isinstance(value, str) and loader.add(value) is None:
                literals.append((k, value))
        loader.emit(w, columns=True)
        for k, value in literals:
            w.line(f"input_parameter_{k} = {py_str(value)}")
        w.line()
        outs = output_names(node)
        for out in outs:
            w.line(f"{fn}__{out} = None")
        w.raw(self.region(node))
        w.line()
        for out in outs:
            w.line(f"phantom.save_run_data(key={py_str(f'{node.function_name}:{out}')}, value=json.dumps({fn}__{out}))")
        w.line()
        for c in ctx.child_ids(node.id):
            w.line(f"{ctx.call_name(c)}(container=container)")
        w.line()
        w.line("return")
        return w.lines


BLOCK = CodeBlock()
