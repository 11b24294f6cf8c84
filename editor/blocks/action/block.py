"""Action (and Mission Control) block template."""

from __future__ import annotations

from typing import Any

from editor.blocks.base import BlockType, err, strings_in
from editor.compiler.context import Context
from editor.compiler.loaders import Loader, safe_var
from editor.compiler.loops import loop_state_lines
from editor.compiler.params import collect_strings, emit_parameter_rows
from editor.compiler.writer import Writer, py_str, py_triple
from editor.graph.errors import ValidationError
from editor.graph.model import Node, as_dict, as_list


def required_names(node: Node) -> list[str]:
    """``requiredParameters`` comes as dicts (``{field}``), plain strings or empty."""
    out: list[str] = []
    for item in as_list(node.data.get("requiredParameters")):
        if isinstance(item, dict) and isinstance(item.get("field"), str):
            out.append(item["field"])
        elif isinstance(item, str):
            out.append(item)
    return out


def ordered_params(node: Node) -> list[tuple[str, Any]]:
    """The app's parameter order is lost in JSON (keys sorted); ``requiredParameters``
    preserves it for the parameters it lists, so those come first."""
    params = node.data.get("parameters")
    if not isinstance(params, dict):
        return []
    order = [k for k in required_names(node) if k in params]
    order += [k for k in params if k not in order]
    return [(k, params[k]) for k in order]


def is_inline_format(value: Any) -> bool:
    return isinstance(value, dict) and "template" in value


class ActionBlock(BlockType):
    type = "action"
    required_fields = ("action", "functionName")

    def is_async(self, node: Node) -> bool:
        return True

    def datapaths(self, node: Node) -> list[tuple[str, str]]:
        return strings_in(as_dict(node.data.get("parameters")), "data.parameters")

    def validate(self, node: Node) -> list[ValidationError]:
        out = super().validate(node)
        if not isinstance(node.data.get("action"), str):
            out.append(err(node, "data.action", "action name must be a string"))
        assets = node.data.get("connectorConfigs", [])
        if not isinstance(assets, list) or not all(isinstance(a, str) for a in assets):
            out.append(err(node, "data.connectorConfigs", "assets must be a list of strings"))
        params = node.data.get("parameters", {})
        if params is not None and not isinstance(params, dict):
            out.append(err(node, "data.parameters", "parameters must be an object"))
        return out

    def emit(self, node: Node, ctx: Context) -> list[str]:
        fn = ctx.names[node.id]
        w = Writer()
        loop = ctx.loop_enabled(node)
        w.raw(ctx.header(fn, force_loop=loop))
        w.line()
        w.line("# phantom.debug('Action: {0} {1}'.format(action['name'], ('SUCCEEDED' if success else 'FAILED')))")
        w.raw(self.banner(node))
        w.line()
        params = ordered_params(node)
        loader = Loader(node.advanced.get("scope") == "all", ctx.features.walrus)
        formatted: dict[str, str] = {}
        for key, value in params:
            if is_inline_format(value):
                var = safe_var(f"{key}_formatted_string")
                tpl = value.get("template")
                dps = [p for p in as_list(value.get("parameters")) if isinstance(p, str)]
                w.line(f"{var} = phantom.format(")
                w.line("    container=container,")
                w.line(f"    template={py_triple(tpl if isinstance(tpl, str) else '')},")
                w.line(f"    parameters=[{', '.join(py_str(p) for p in dps)}])")
                w.line()
                formatted[key] = var
        for key, value in params:
            if key not in formatted:
                for s in collect_strings(value):
                    loader.add(s)
            elif ctx.features.load_inline_format:
                # 6.x generators also load the inline format's own datapaths (unused,
                # but it changes which run-data/format reads happen).
                for s in as_list(value.get("parameters")):
                    if isinstance(s, str):
                        loader.add(s)
        loader.add_context_columns()
        loader.emit(w)
        w.line()
        emit_parameter_rows(
            w, fn, params, loader, formatted, set(required_names(node)), none_checks=True, context_artifacts=True
        )
        if loop:
            w.raw(loop_state_lines(node))
        w.raw(self.region(node))
        w.line()
        assets = [a for a in as_list(node.data.get("connectorConfigs")) if isinstance(a, str)]
        action = node.data.get("action")
        call = (
            f"phantom.act({py_str(action if isinstance(action, str) else '')}, parameters=parameters, "
            f"name={py_str(fn)}, assets=[{', '.join(py_str(a) for a in assets)}]"
        )
        target = ctx.callback_target(node.id)
        if target:
            call += f", callback={target}"
        if loop:
            call += ", loop_state=loop_state.to_json()"
        w.line(call + ")")
        w.line()
        w.line("return")
        return w.lines
