"""Classic API cells → modern API utility blocks.

One classic cell may configure several platform calls ("set sensitivity, severity");
a modern API block makes exactly one, so such a cell becomes a chain of blocks.
Field names follow the ``phantom.*`` keyword arguments the classic code passed.
"""

from __future__ import annotations

import ast
from typing import Any

from editor.classic.blocks import BlockContext, NodeSpec, _calls, _kw, advanced
from editor.classic.cells import JSONDict, text
from editor.classic.rename import rename_value

# classic key → (modern API name, label, [(modern field, classic config key(s), default)]).
# Config keys are the API key in camel case plus the field ("add-note" → "addNoteTitle").
_APIS: dict[str, tuple[str, str, list[tuple[str, str | tuple[str, ...], Any]]]] = {
    "set-severity": ("set_severity", "set severity", [("severity", "setSeveritySeverity", "")]),
    "set-status": ("set_status", "set status", [("status", "setStatusStatus", "")]),
    "set-sensitivity": ("set_sensitivity", "set sensitivity", [("sensitivity", "setSensitivitySensitivity", "")]),
    "add-comment": ("comment", "add comment", [("comment", "addCommentComment", "")]),
    "add-note": ("add_note", "add note", [("title", "addNoteTitle", ""), ("content", "addNoteContent", ""),
                                          ("note_format", "addNoteNoteFormat", "markdown"),
                                          ("note_type", "", "general")]),
    "pin": ("pin", "pin", [("message", "pinMessage", ""), ("data", "pinData", ""), ("pin_type", "pinPinType", "card"),
                           ("pin_style", "pinPinColor", ""), ("name", "pinName", "")]),
    "pin-to-hud": ("pin", "pin", [("message", "pinToHudMessage", ""), ("data", "pinToHudData", ""),
                                  ("pin_type", "pinToHudPinType", "card"), ("pin_style", "pinToHudPinStyle", "")]),
    "add-list": ("add_list", "add to list", [("list_name", "addListList", ""), ("values", "addListData", "")]),
    "promote-to-case": ("promote", "promote to case", [("template", "promoteToCaseTemplate", "")]),
    # Tags are a list or a comma-separated text; phantom.add_tags / remove_tags take either.
    "add-tag": ("add_tags", "add tag", [("tags", ("addTagTags", "addTagTag", "addTagsTags"), "")]),
    "remove-tag": ("remove_tags", "remove tag", [("tags", ("removeTagTags", "removeTagTag", "removeTagsTags"), "")]),
}

# The phantom calls the classic code made for an API key, where the settings may not
# hold the value (it is then read from the call, which is what ran).
_CLASSIC_CALLS = {"add_tags": ("add_tags", "add_tag"), "remove_tags": ("remove_tags", "remove_tag")}

# Calls this project's engine does not offer: converted faithfully, but the user must know.
_UNSUPPORTED = {"promote": "promoting to a case (phantom.promote) is not available on this engine"}


def _from_code(code: str, api: str, field: str) -> Any:
    """The literal ``field=`` argument of the classic code's call of ``api``, if any."""
    for call in _calls(code, api) if code else []:
        node = _kw(call, field)
        if node is not None:
            try:
                return ast.literal_eval(node)
            except (ValueError, TypeError, SyntaxError, RecursionError, MemoryError):
                return None  # not a literal: the settings' value stands
    return None


def _entry(entry: JSONDict, names: dict[str, str], code: str = "") -> tuple[str, str, JSONDict] | None:
    key = text(entry.get("key"))
    if key in _APIS:
        api, label, spec = _APIS[key]
        values: JSONDict = {}
        for field, source, default in spec:
            keys = (source,) if isinstance(source, str) else source
            found = next((k for k in keys if k and k in entry), None)
            value = entry[found] if found else default
            if found is None and api in _CLASSIC_CALLS:
                in_code = next((v for v in (_from_code(code, c, field) for c in _CLASSIC_CALLS[api]) if v), None)
                value = in_code if in_code is not None else default
            values[field] = rename_value(value, names) if isinstance(value, str) else value
        return api, label, values
    name = text(entry.get("name"))
    if not key and name:
        # Schema 2/3: {"name": "severity", "value": "high"} → phantom.update(container, {…}).
        return f"set_{name}", f"set {name}", {name: rename_value(entry.get("value", ""), names)}
    return None


def _utility(name: str, api: str, label: str, values: JSONDict, adv: JSONDict, number: int) -> NodeSpec:
    fields: list[JSONDict] = [
        {"description": "", "label": k, "name": k, "placeholder": "", "renderType": "datapath", "required": False}
        for k in values
    ]
    fields.append({"hidden": True, "name": "container", "required": False})
    data: JSONDict = {
        "advanced": adv,
        "functionId": number,
        "selectMore": False,
        "tab": "apis",
        "utilities": {api: {"description": "", "fields": fields, "label": label, "name": api}},
        "utilityType": "api",
        "values": {api: {**values, "_internal": ["container"]}},
    }
    return NodeSpec(name, "utility", data)


def api_block(ctx: BlockContext) -> list[NodeSpec]:
    cell, rep = ctx.cell, ctx.report
    configured = [e for e in cell.raw.get("configured") or [] if isinstance(e, dict)]
    calls = []
    for entry in configured:
        found = _entry(entry, ctx.names, cell.effective_code)
        if found is None:
            rep.needs_review(f"configured API {text(entry.get('key')) or entry!r} is not known; set it up again")
            continue
        calls.append(found)
    if not calls:
        if not cell.has_custom_block:
            rep.needs_review("the API block configures no call; it became an empty code block that passes through")
        data: JSONDict = {"advanced": advanced(cell), "functionId": cell.number, "inputParameters": [],
                          "outputVariables": []}
        return [NodeSpec(ctx.name, "code", data, user_code="")]
    if cell.has_custom_block:
        # The custom function replaces the generated one and makes every call itself, so
        # one block carries it; splitting would run the later calls twice.
        calls = calls[:1]
    specs = []
    for i, (api, label, values) in enumerate(calls):
        name = ctx.name if i == 0 else f"{ctx.name}_{i + 1}"
        while name in ctx.names.values() and i > 0:
            name += "_"
        adv = advanced(cell) if i == 0 else {"join": [], "customName": "", "customNameId": 0}
        specs.append(_utility(name, api, label, values, adv, cell.number))
        if api in _UNSUPPORTED:
            rep.needs_review(_UNSUPPORTED[api] + "; the block fails when it runs here")
        if api in _CLASSIC_CALLS and not values.get("tags"):
            rep.needs_review(f"the classic {label} block names no tags; enter them in the block")
        if api.startswith("set_") and api not in ("set_severity", "set_status", "set_sensitivity"):
            rep.needs_review(f"container field update {api[4:]!r} has no API block; check phantom.{api} exists")
    if len(specs) > 1:
        rep.change(f"one classic API block made {len(specs)} calls; it became a chain of {len(specs)} API blocks "
                   f"({', '.join(s.name for s in specs)})")
    if any(not text(e.get("key")) and e.get("name") for e in configured):
        rep.change("the schema-2 container update (phantom.update) became the matching set_* API block")
    return specs
