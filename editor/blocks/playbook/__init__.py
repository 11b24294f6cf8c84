"""Child-playbook block: ``phantom.playbook("<repo>/<name>", …)`` (§3.6.9)."""

from __future__ import annotations

from typing import Any

from editor.blocks.base import BlockType, err, strings_in
from editor.compiler.context import Context
from editor.compiler.loaders import Loader, safe_var
from editor.compiler.writer import Writer, py_str
from editor.graph.errors import ValidationError
from editor.graph.model import Node, as_dict, as_list


def playbook_inputs(node: Node) -> dict[str, dict[str, Any]]:
    inputs = node.data.get("inputs")
    if not isinstance(inputs, dict):
        return {}
    return {k: v for k, v in inputs.items() if isinstance(v, dict)}


def value_exprs(spec: dict[str, Any], loader: Loader) -> list[str]:
    out = []
    for dp in as_list(spec.get("datapaths")):
        expr = loader.column_expr(dp) if isinstance(dp, str) else None
        out.append(expr if expr is not None else py_str(dp if isinstance(dp, str) else str(dp)))
    return out


class PlaybookBlock(BlockType):
    type = "playbook"
    required_fields = ("playbookName",)

    def is_async(self, node: Node) -> bool:
        return node.data.get("synchronous") is not False

    def datapaths(self, node: Node) -> list[tuple[str, str]]:
        return strings_in(as_dict(node.data.get("inputs")), "data.inputs")

    def validate(self, node: Node) -> list[ValidationError]:
        out = super().validate(node)
        if "playbookName" in node.data and not isinstance(node.data["playbookName"], str):
            out.append(err(node, "data.playbookName", "playbookName must be a string"))
        return out

    def emit(self, node: Node, ctx: Context) -> list[str]:
        fn = ctx.names[node.id]
        is_data = node.data.get("playbookType") == "data"
        sync = node.data.get("synchronous") is not False
        inputs = playbook_inputs(node) if is_data else {}
        repo = node.data.get("playbookRepoName")
        repo = repo if isinstance(repo, str) else "local"
        order = ctx.callee_inputs(repo, str(node.data.get("playbookName", "")))
        if order:
            inputs = {
                k: inputs[k] for k in [*[o for o in order if o in inputs], *[k for k in inputs if k not in order]]
            }
        w = Writer()
        w.raw(ctx.header(fn))
        w.raw(self.banner(node))
        w.line()
        loader = Loader(node.advanced.get("scope") == "all", ctx.features.walrus)
        for spec in inputs.values():
            for dp in as_list(spec.get("datapaths")):
                if isinstance(dp, str):
                    loader.add(dp)
        loader.emit(w, columns=True)
        w.line()
        entries: list[tuple[str, str]] = []
        for name, spec in inputs.items():
            exprs = value_exprs(spec, loader)
            dedup_on = spec.get("deduplicate") is True
            if len(exprs) >= 2 or (exprs and dedup_on):
                var = safe_var(f"{name}_combined_value")
                dedup = ", dedup=True" if spec.get("deduplicate") is True else ""
                w.line(f"{var} = phantom.concatenate({', '.join(exprs)}{dedup})")
                entries.append((name, var))
            elif exprs:
                first = as_list(spec.get("datapaths"))[0]
                is_literal = not isinstance(first, str) or loader.column_expr(first) is None
                entries.append((name, f"[{exprs[0]}]" if is_literal else exprs[0]))
            else:
                entries.append((name, "[]"))
        if is_data:
            w.line()
            w.line("inputs = {")
            for name, expr in entries:
                w.line(f"    {py_str(name)}: {expr},")
            w.line("}")
        w.raw(self.region(node))
        w.line()
        target = f"{repo}/{node.data.get('playbookName', '')}"
        w.line(f"# call playbook {py_str(target)}, returns the playbook_run_id")
        call = f"playbook_run_id = phantom.playbook({py_str(target)}, container=container"
        if sync:
            call += f", name={py_str(fn)}"
            cb = ctx.callback_target(node.id)
            if cb:
                call += f", callback={cb}"
        if is_data:
            call += ", inputs=inputs"
        w.line(call + ")")
        w.line()
        if not sync:
            for c in ctx.child_ids(node.id):
                w.line(f"{ctx.call_name(c)}(container=container)")
            w.line()
        w.line("return")
        return w.lines


BLOCK = PlaybookBlock()
