"""Filter block: each condition independently selects matching artifacts/results and
calls its branch with them (soar-format.md §3.6.3)."""

from __future__ import annotations

from editor.blocks.base import BlockType, err, strings_in
from editor.compiler.conditions import container_loads, extra_kwargs, logical, triples
from editor.compiler.context import Context
from editor.compiler.writer import Writer, py_str
from editor.graph.errors import ValidationError
from editor.graph.model import Node, as_list


def conditions_of(node: Node) -> list[dict[str, object]]:
    conds = node.data.get("conditions")
    return [c for c in conds if isinstance(c, dict)] if isinstance(conds, list) else []


def validate_conditions(node: Node) -> list[ValidationError]:
    conds = node.data.get("conditions")
    if not isinstance(conds, list) or not conds:
        return [err(node, "data.conditions", "needs at least one condition", "missing_field")]
    out = []
    for i, cond in enumerate(conds):
        if not isinstance(cond, dict) or not isinstance(cond.get("comparisons"), list):
            out.append(err(node, f"data.conditions[{i}]", "condition must have a comparisons list"))
    return out


class FilterBlock(BlockType):
    type = "filter"
    custom_region = False
    required_fields = ("conditions",)

    def datapaths(self, node: Node) -> list[tuple[str, str]]:
        return strings_in(as_list(node.data.get("conditions")), "data.conditions")

    def validate(self, node: Node) -> list[ValidationError]:
        out = super().validate(node)
        return out if out else validate_conditions(node)

    def emit(self, node: Node, ctx: Context) -> list[str]:
        fn = ctx.names[node.id]
        w = Writer()
        w.raw(ctx.header(fn))
        w.raw(self.banner(node))
        w.line()
        loads = container_loads(node)
        for line in loads:
            w.line(line)
        if loads:
            w.line()
        extra = extra_kwargs(node, ctx.features.delimiter, with_case=False)
        edges = ctx.child_edges(node.id)
        for p, cond in enumerate(conditions_of(node), start=1):
            w.line(f"# collect filtered artifact ids and results for 'if' condition {p}")
            w.line(f"matched_artifacts_{p}, matched_results_{p} = phantom.condition(")
            w.line(f"    container=container{logical(cond)},")
            w.line(f"    conditions={triples(cond)},")
            w.line(f"    name={py_str(f'{node.function_name}:condition_{p}')}{extra})")
            w.line()
            targets = []
            for e in edges:
                if p - 1 in e.condition_indices and e.target not in targets:
                    targets.append(e.target)
            if targets:
                w.line("# call connected blocks if filtered artifacts or results")
                w.line(f"if matched_artifacts_{p} or matched_results_{p}:")
                for t in targets:
                    w.line(
                        f"    {ctx.call_name(t)}(action=action, success=success, container=container, "
                        f"results=results, handle=handle, filtered_artifacts=matched_artifacts_{p}, "
                        f"filtered_results=matched_results_{p})"
                    )
                w.line()
        w.line("return")
        return w.lines


BLOCK = FilterBlock()
