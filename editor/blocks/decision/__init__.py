"""Decision block: first matching if/elif branch wins, else branch last (§3.6.4)."""

from __future__ import annotations

from editor.blocks.base import BlockType, strings_in
from editor.blocks.filter import conditions_of, validate_conditions
from editor.compiler.conditions import container_loads, extra_kwargs, is_empty, logical, triples
from editor.compiler.context import Context
from editor.compiler.writer import Writer
from editor.graph.errors import ValidationError
from editor.graph.model import Node, as_list

CALL_ARGS = "action=action, success=success, container=container, results=results, handle=handle"


class DecisionBlock(BlockType):
    type = "decision"
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
        extra = extra_kwargs(node, ctx.features.delimiter, with_case=True)
        edges = ctx.child_edges(node.id)
        for index, cond in enumerate(conditions_of(node)):
            p = index + 1
            kind = cond.get("type")
            targets: list[str] = []
            for e in edges:
                if index in e.condition_indices and e.target not in targets:
                    targets.append(e.target)
            if kind == "else":
                if targets:
                    w.line(f"# check for 'else' condition {p}")
                    for t in targets:
                        w.line(f"{ctx.call_name(t)}({CALL_ARGS})")
                    w.line()
                continue
            if is_empty(cond):
                # No test, so control goes on to the next condition or the else branch
                # (as SOAR generates it); a blank test would match and take this branch.
                continue
            label = "elif" if kind == "elif" else "if"
            w.line(f"# check for '{label}' condition {p}")
            w.line(f"found_match_{p} = phantom.decision(")
            w.line(f"    container=container{logical(cond)},")
            w.line(f"    conditions={triples(cond)}{extra})")
            w.line()
            w.line(f"# call connected blocks if condition {p} matched")
            w.line(f"if found_match_{p}:")
            for t in targets:
                w.line(f"    {ctx.call_name(t)}({CALL_ARGS})")
            w.line("    return")
            w.line()
        w.line("return")
        return w.lines


BLOCK = DecisionBlock()
