"""Utility block: either a platform API call (``utilityType: api``, e.g. add comment) or
a custom function (``utilityType: custom_function``).  One node type, two templates."""

from __future__ import annotations

from editor.blocks.base import BlockType, err, strings_in
from editor.blocks.utility.api import emit_api, validate_api
from editor.blocks.utility.custom_function import emit_custom_function, validate_custom_function
from editor.compiler.context import Context
from editor.graph.errors import ValidationError, show
from editor.graph.model import Node, as_dict


class UtilityBlock(BlockType):
    type = "utility"
    required_fields = ("utilityType",)

    def is_async(self, node: Node) -> bool:
        return node.data.get("utilityType") == "custom_function"

    def datapaths(self, node: Node) -> list[tuple[str, str]]:
        return strings_in(as_dict(node.data.get("values")), "data.values")

    def validate(self, node: Node) -> list[ValidationError]:
        out = super().validate(node)
        kind = node.data.get("utilityType")
        if kind == "api":
            out += validate_api(node)
        elif kind == "custom_function":
            out += validate_custom_function(node)
        elif "utilityType" in node.data:
            out.append(err(node, "data.utilityType", f"unknown utility type {show(kind)}", "unknown_type"))
        return out

    def emit(self, node: Node, ctx: Context) -> list[str]:
        if node.data.get("utilityType") == "custom_function":
            return emit_custom_function(self, node, ctx)
        return emit_api(self, node, ctx)


BLOCK = UtilityBlock()
