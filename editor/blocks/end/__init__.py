"""End block: ``on_finish(container, summary)``; input playbooks save their outputs
here (§3.6.10)."""

from __future__ import annotations

from editor.blocks.base import BlockType
from editor.compiler.context import Context
from editor.compiler.loaders import Loader, safe_var
from editor.compiler.writer import Writer, py_str
from editor.graph.model import Node, as_list


class EndBlock(BlockType):
    type = "end"

    def emit(self, node: Node, ctx: Context) -> list[str]:
        w = Writer()
        if ctx.features.decorator:
            w.raw(["@phantom.playbook_block()"])
        w.raw(["def on_finish(container, summary):"])
        w.line('phantom.debug("on_finish() called")')
        outputs = ctx.pb.output_spec
        if outputs:
            w.line()
        loader = Loader(False, ctx.features.walrus, has_results=False)
        for spec in outputs:
            for dp in as_list(spec.get("datapaths")):
                if isinstance(dp, str):
                    loader.add(dp)
        loader.emit(w, columns=True)
        entries: list[tuple[str, str]] = []
        for spec in outputs:
            name = str(spec.get("name", "")).lower()
            dps = [d for d in as_list(spec.get("datapaths")) if isinstance(d, str)]
            exprs = [loader.column_expr(d) or py_str(d) for d in dps]
            if len(exprs) >= 2:
                var = safe_var(f"{name}_combined_value")
                w.line(f"{var} = phantom.concatenate({', '.join(exprs)})")
                entries.append((name, var))
            else:
                entries.append((name, exprs[0] if exprs else "[]"))
        if outputs:
            w.line()
            w.line("output = {")
            for name, expr in entries:
                w.line(f"    {py_str(name)}: {expr},")
            w.line("}")
        w.raw(self.region(node))
        if outputs:
            w.line()
            w.line("phantom.save_playbook_output_data(output=output)")
        w.line()
        w.line("return")
        return w.lines


BLOCK = EndBlock()
