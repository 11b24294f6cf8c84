"""Classic cell → modern node data, one function per cell kind.

Each converter returns ``NodeSpec``s: usually one, several when a classic block does
the work of several modern ones (an API cell with two configured calls).  The
orchestrator gives them ids, wires the edges and applies whole-function custom code.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from editor.classic.apps import AppIndex
from editor.classic.cells import Cell, JSONDict, text
from editor.classic.codeparams import action_parameters
from editor.classic.customcode import (
    assigned_names,
    classic_prologue,
    commented,
    is_region_body,
    parse,
    py3_names,
    read_names,
    region_text,
)
from editor.classic.rename import rename_code, rename_value
from editor.classic.report import BlockReport


@dataclass
class NodeSpec:
    name: str  # functionName
    type: str
    data: JSONDict  # node.data without id/type/functionName (the orchestrator adds them)
    user_code: str | None = None
    custom_code: str | None = None


@dataclass
class BlockContext:
    cell: Cell
    name: str
    names: dict[str, str]  # classic function name → modern functionName, every block
    report: BlockReport
    apps: AppIndex | None = None
    hoisted: list[str] = field(default_factory=list)  # code for the global region


def advanced(cell: Cell, **extra: Any) -> JSONDict:
    out: JSONDict = {"join": [], "customName": cell.custom_name, "customNameId": 0}
    if cell.description:
        out["description"] = cell.description
    if cell.notes:
        out["note"] = cell.notes
    out.update(extra)
    return out


def _ordered(items: object) -> list[Any]:
    """``parameters[]`` / ``outputVariables[]`` of classic cells: ``{position, value}``."""
    rows = [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []
    rows.sort(key=lambda r: r["position"] if isinstance(r.get("position"), int) else 0)
    return [r.get("value", "") for r in rows]


def _calls(code: str, name: str) -> list[ast.Call]:
    tree = parse(code)
    if tree is None:
        return []
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == name:
            if isinstance(node.func.value, ast.Name) and node.func.value.id == "phantom":
                out.append(node)
    return out


def _kw(call: ast.Call, key: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == key), None)


# -- start / end ---------------------------------------------------------------------------
def start_end(ctx: BlockContext) -> list[NodeSpec]:
    kind = "start" if ctx.cell.is_start else "end"
    return [NodeSpec(ctx.name, kind, {"advanced": {"join": []}})]


# -- action --------------------------------------------------------------------------------
def _param_value(value: Any) -> Any:
    # The classic generator wrote "True"/"False" as Python booleans (bool app params);
    # the modern one would quote them, so they become JSON booleans here.
    if value in ("True", "False"):
        return value == "True"
    return value


def _same(value: Any) -> str:
    """Settings hold every value as text ("True", "10"); code holds Python values."""
    return "" if value is None else str(value)


def _assets(cell: Cell) -> list[str]:
    """Assets the classic code really passed (the cell's list may hold an app-level
    placeholder entry), else the names in the cell; duplicates dropped."""
    for call in _calls(cell.effective_code, "act"):
        node = _kw(call, "assets")
        if isinstance(node, (ast.List, ast.Tuple)):
            names = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            if names:
                return list(dict.fromkeys(names))
    out: list[str] = []
    for asset in cell.raw.get("assets") or []:
        if isinstance(asset, dict):
            name = text(asset.get("name")) or text(asset.get("asset_name"))
            if name and name not in out:
                out.append(name)
    return out


def action(ctx: BlockContext) -> list[NodeSpec]:
    cell, rep = ctx.cell, ctx.report
    raw = cell.raw
    act = text(raw.get("action"))
    values = raw.get("active_values")
    if not isinstance(values, dict):
        first = (raw.get("assets") or [{}])[0]
        fields = first.get("fields") if isinstance(first, dict) else None
        values = fields if isinstance(fields, dict) else {}
    params = {k: _param_value(rename_value(v, ctx.names)) for k, v in values.items()}
    from_code = action_parameters(cell.effective_code) if cell.effective_code else None
    if from_code is not None:
        traced = {k: rename_value(v, ctx.names) for k, v in from_code.items()}
        stale = sorted(k for k in set(params) | set(traced) if _same(params.get(k)) != _same(traced.get(k)))
        if stale:
            rep.change("parameters follow the classic code, which is what ran; the block's saved settings "
                       f"were stale for: {', '.join(stale)}")
        params = traced
    required = raw.get("required_params")
    req = [k for k, v in required.items() if v] if isinstance(required, dict) else []
    assets = _assets(cell)
    raw_assets = [a for a in raw.get("assets") or [] if isinstance(a, dict)]
    connector = text(raw.get("app")) or next((text(a.get("app_name")) for a in raw_assets if a.get("app_name")), "")
    appid = text(raw.get("appid")) or next((text(a.get("appid")) for a in raw_assets if a.get("appid")), "")
    if ctx.apps is not None and not (appid and appid in ctx.apps.by_id):
        known = ctx.apps.known(appid, connector) if connector else None
        if known is not None and ctx.apps.action_def(known, act) is not None:
            appid = str(known.get("appid", ""))
        else:
            hints = [connector] + [text(a.get("product_name")) for a in raw_assets]
            installed = ctx.apps.by_installed_assets(act, assets)
            match = installed or ctx.apps.resolve(act, assets, [h for h in hints if h])
            if installed is not None and not connector:
                rep.change(f"app {installed.name!r} chosen from the assets on this installation (the classic "
                           "block did not name it)")
            elif match is not None and (match.guessed or not connector):
                rep.change(f"app {match.name!r} found in the app catalogue (the classic block did not name it)")
            if match is not None:
                connector, appid = match.name, match.appid
    if not connector:
        rep.needs_review(f"the classic block does not say which app runs {act!r}: choose the app in the block")
    if len(assets) > 1:
        rep.change(
            f"runs on {len(assets)} assets ({', '.join(assets)}) as one action block, as in classic "
            "(SOAR's own converter refuses this)"
        )
    dups = [text(a.get("name")) for a in raw_assets]
    if len(assets) == 1 and len(dups) > 1:
        rep.change(f"the classic block listed {len(dups)} asset entries; the code used only {assets[0]!r}")
    for call in _calls(cell.effective_code, "act"):
        app_arg = _kw(call, "app")
        if isinstance(app_arg, ast.Dict) and not assets:
            app_name = next((v.value for k, v in zip(app_arg.keys, app_arg.values, strict=True)
                             if isinstance(k, ast.Constant) and k.value == "name" and isinstance(v, ast.Constant)), "")
            named = [text(a.get("name")) for a in raw_assets if a.get("name")]
            assets = list(dict.fromkeys(named))
            rep.needs_review(f"the classic code ran the action on any asset of app {app_name!r} (app=…); modern "
                             f"blocks name their assets: it now uses {', '.join(assets) or 'no asset'}")
    if not assets and not cell.has_custom_block:
        rep.needs_review(f"no asset is configured for {act!r}: pick one before running")
    adv = advanced(cell)
    delay = raw.get("delay")
    adv["delayTime"] = 0
    if isinstance(delay, (int, float)) and delay > 0 and not isinstance(delay, bool):
        rep.needs_review(f"the classic block delayed the action by {delay} minute(s); modern blocks run at once")
    for key in ("reviewer", "approver"):
        who = text(raw.get(key))
        if who:
            adv["reviewer"] = who
            rep.needs_review(f"the classic action needed {key} {who!r}; modern action blocks have no reviewer")
    data: JSONDict = {
        "action": act,
        "actionType": text(raw.get("action_type")) or "generic",
        "advanced": adv,
        "connector": connector,
        "connectorConfigs": assets,
        "connectorId": appid,
        "connectorVersion": "v1",
        "functionId": cell.number,
        "parameters": params,
        "requiredParameters": req,
    }
    return [NodeSpec(ctx.name, "action", data)]


# -- filter / decision ------------------------------------------------------------------------
_DISPLAY = {"if": "If", "elif": "Else If", "else": "Else"}


def conditions(ctx: BlockContext, with_type: bool) -> list[JSONDict]:
    out: list[JSONDict] = []
    outputs = ctx.cell.raw.get("outputs")
    for i, o in enumerate(o for o in (outputs if isinstance(outputs, list) else []) if isinstance(o, dict)):
        comps = []
        for c in o.get("conditions") or []:
            if not isinstance(c, dict):
                continue
            value = c.get("value", "")
            comps.append({
                "conditionIndex": i,
                "op": text(c.get("comparison")) or "==",
                "param": rename_value(c.get("param", ""), ctx.names),
                "value": rename_value(value if isinstance(value, str) else str(value), ctx.names),
            })
        if not comps:
            comps.append({"conditionIndex": i, "op": "==", "param": "", "value": ""})
        logic = o.get("logic") if o.get("logic") in ("and", "or") else "and"
        cond: JSONDict = {"comparisons": comps, "conditionIndex": i, "customName": "", "logic": logic}
        if with_type:
            kind = text(o.get("type")) or ("if" if i == 0 else "elif")
            cond["type"] = kind
            cond["display"] = text(o.get("display")) or _DISPLAY.get(kind, "If")
        out.append(cond)
    return out


def filter_block(ctx: BlockContext) -> list[NodeSpec]:
    conds = conditions(ctx, with_type=False)
    if not conds:
        ctx.report.needs_review("the filter has no conditions: add one")
        conds = [{"comparisons": [{"conditionIndex": 0, "op": "==", "param": "", "value": ""}], "conditionIndex": 0,
                  "customName": "", "logic": "and"}]
    outputs = ctx.cell.raw.get("outputs") or []
    if any(isinstance(o, dict) and o.get("type") == "else" for o in outputs):
        ctx.report.needs_review("the classic filter had an 'else' output; modern filters test every condition")
    return [NodeSpec(ctx.name, "filter", {"advanced": advanced(ctx.cell), "conditions": conds,
                                           "functionId": ctx.cell.number})]


def decision(ctx: BlockContext) -> list[NodeSpec]:
    conds = conditions(ctx, with_type=True)
    if not conds:
        ctx.report.needs_review("the decision has no conditions: add one")
        conds = [{"comparisons": [{"conditionIndex": 0, "op": "==", "param": "", "value": ""}], "conditionIndex": 0,
                  "customName": "", "display": "If", "logic": "and", "type": "if"}]
    return [NodeSpec(ctx.name, "decision", {"advanced": advanced(ctx.cell), "conditions": conds,
                                             "functionId": ctx.cell.number})]


# -- format / prompt / task ---------------------------------------------------------------------
def format_block(ctx: BlockContext) -> list[NodeSpec]:
    raw = ctx.cell.raw
    adv = advanced(ctx.cell)
    sep = text(raw.get("delimiter"))
    if sep:
        adv["separator"] = sep  # classic emitted it as phantom.format(separator=…)
    params = [rename_value(v if isinstance(v, str) else str(v), ctx.names) for v in _ordered(raw.get("parameters"))]
    return [NodeSpec(ctx.name, "format", {"advanced": adv, "functionId": ctx.cell.number, "parameters": params,
                                           "template": text(raw.get("template"))})]


_RESPONSE_TYPES = {"yes/no": "yes/no", "message": "message", "custom list": "customList"}


def _response(key: str, options: object, prompt: str, rep: BlockReport) -> JSONDict:
    kind = _RESPONSE_TYPES.get(key.strip().lower())
    opts = [o for o in options if isinstance(o, (str, int, float))] if isinstance(options, list) else []
    if kind is None:
        if opts:
            kind = "customList"
        else:
            kind = "message"
        rep.needs_review(f"response type {key!r} has no modern equivalent; it became a {kind} response")
    out: JSONDict = {"responsePrompt": prompt, "responseType": kind}
    if kind == "yes/no":
        out["responseOptions"] = [str(o) for o in opts] or ["Yes", "No"]
    elif kind == "customList":
        out["responseOptions"] = [str(o) for o in opts]
    return out


def prompt(ctx: BlockContext) -> list[NodeSpec]:
    raw, rep = ctx.cell.raw, ctx.report
    responses: list[JSONDict] = []
    if isinstance(raw.get("responses"), list) and raw["responses"]:
        for r in raw["responses"]:
            if isinstance(r, dict):
                responses.append(_response(text(r.get("response_key")), r.get("response_options"),
                                           text(r.get("response_prompt")), rep))
    else:
        responses.append(_response(text(raw.get("response_key")) or "Message", raw.get("response_options"), "", rep))
        rep.change("the legacy single-question prompt (phantom.prompt) became a prompt2 block; its answer is now "
                   "read as summary.responses.0 (downstream datapaths were rewritten)")
    respond = text(raw.get("respond_in")) or str(raw.get("respond_in") or "")
    minutes = int(respond) if respond.strip().isdigit() and int(respond) > 0 else 30
    params = [rename_value(v if isinstance(v, str) else str(v), ctx.names) for v in _ordered(raw.get("parameters"))]
    data: JSONDict = {"advanced": advanced(ctx.cell), "approver": text(raw.get("approver")), "functionId": ctx.cell.number,
                      "message": text(raw.get("message")), "parameters": params, "responseTime": minutes,
                      "responses": responses}
    return [NodeSpec(ctx.name, "prompt", data)]


def is_legacy_prompt(cell: Cell) -> bool:
    return cell.kind == "Prompt" and not (isinstance(cell.raw.get("responses"), list) and cell.raw["responses"])


def task(ctx: BlockContext) -> list[NodeSpec]:
    raw = ctx.cell.raw
    respond = text(raw.get("respond_in"))
    minutes = int(respond) if respond.strip().isdigit() else 30
    from editor.compiler.writer import py_str, py_triple

    code = "\n".join([
        "    # A classic manual task: modern playbooks have no task block, so it is created here.",
        f"    phantom.task(user={py_str(text(raw.get('approver')))}, message={py_triple(text(raw.get('message')))}, "
        f"respond_in_mins={minutes}, name={py_str(ctx.name)})",
    ])
    ctx.report.change("a classic task block has no modern block: it became a code block that calls phantom.task")
    data: JSONDict = {"advanced": advanced(ctx.cell), "functionId": ctx.cell.number, "inputParameters": [],
                      "outputVariables": []}
    return [NodeSpec(ctx.name, "code", data, user_code=code)]


# -- code / custom function / playbook ----------------------------------------------------------
def _region(ctx: BlockContext, code: str) -> str | None:
    body = rename_code(region_text(code), ctx.names)
    if not body:
        return None
    body, py2 = py3_names(body)
    if py2:
        ctx.report.change(f"Python 2 names replaced by their Python 3 equivalents: {', '.join(py2)}")
    if not is_region_body(body):
        ctx.report.needs_review("the block's custom code does not parse as Python 3; it was kept as comments")
        return commented(body.strip("\n"))
    return body


def code_block(ctx: BlockContext) -> list[NodeSpec]:
    raw = ctx.cell.raw
    inputs = [rename_value(v if isinstance(v, str) else str(v), ctx.names) for v in _ordered(raw.get("parameters"))]
    outputs = [v for v in _ordered(raw.get("outputVariables")) if isinstance(v, str) and v]
    body = _region(ctx, ctx.cell.user_code)
    prologue = rename_code(classic_prologue(ctx.cell.block_code), ctx.names)
    if body and prologue:
        needed = (assigned_names(prologue) & read_names(body)) - {f"input_parameter_{i}" for i in range(len(inputs))}
        if needed:
            body = (
                "    # Inputs loaded under the names the classic playbook gave them (the code below uses them).\n"
                + prologue + "\n\n" + body
            )
            ctx.report.change(
                "the classic input variables (" + ", ".join(sorted(needed)) + ") are loaded at the top of the "
                "custom code: the modern block names its inputs differently"
            )
    data: JSONDict = {"advanced": advanced(ctx.cell), "functionId": ctx.cell.number, "inputParameters": inputs,
                      "outputVariables": outputs}
    return [NodeSpec(ctx.name, "code", data, user_code=body if body is not None else "")]


def custom_function(ctx: BlockContext) -> list[NodeSpec]:
    raw = ctx.cell.raw
    path = text(raw.get("customFunction")) or text(raw.get("cfDisplayPath"))
    repo, _, cf = path.rpartition("/")
    repo = repo or "local"
    selected_raw = raw.get("selectedCustomFunction")
    selected: JSONDict = selected_raw if isinstance(selected_raw, dict) else {}
    fields = []
    for i in selected.get("inputs") or []:
        if isinstance(i, dict) and isinstance(i.get("name"), str):
            fields.append({"dataTypes": i.get("contains_type") or [], "description": text(i.get("description")),
                           "inputType": i.get("input_type") or "item", "label": i["name"], "name": i["name"],
                           "placeholder": text(i.get("placeholder")), "renderType": "datapath", "required": False})
    kinds = {f["name"]: f["inputType"] for f in fields}
    values: JSONDict = {}
    inputs_raw = raw.get("cfInputs")
    inputs: JSONDict = inputs_raw if isinstance(inputs_raw, dict) else {}
    for key, spec in inputs.items():
        if not isinstance(spec, dict):
            continue
        dp = spec.get("dataPath")
        value = rename_value(dp, ctx.names) if isinstance(dp, str) and dp != "" else None
        if (spec.get("type") or kinds.get(key)) == "list":
            kinds.setdefault(key, "list")
            values[key] = [value] if value is not None else None
        else:
            values[key] = value
    for f in fields:
        values.setdefault(f["name"], None)
    if not fields:
        fields = [{"dataTypes": [], "description": "", "inputType": kinds.get(k, "item"), "label": k, "name": k,
                   "placeholder": "", "renderType": "datapath", "required": False} for k in values]
    data: JSONDict = {
        "advanced": advanced(ctx.cell),
        "customFunction": {"draftMode": bool(raw.get("draftMode")), "name": cf, "repoName": repo},
        "functionId": ctx.cell.number,
        "selectMore": False,
        "tab": "customFunctions",
        "utilities": {cf: {"description": text(selected.get("description")), "fields": fields, "label": cf,
                           "name": cf}},
        "utilityType": "custom_function",
        "values": {cf: values},
    }
    return [NodeSpec(ctx.name, "utility", data, user_code=_region(ctx, ctx.cell.user_code))]


def call_playbook(ctx: BlockContext) -> list[NodeSpec]:
    raw = ctx.cell.raw
    path = text(raw.get("playbook"))
    repo, _, name = path.rpartition("/")
    repo = repo or text(raw.get("scmName")) or "local"
    if not name:
        ctx.report.needs_review("the classic block does not name the playbook it calls")
    data: JSONDict = {"advanced": advanced(ctx.cell), "functionId": ctx.cell.number, "inputs": {},
                      "playbookName": name, "playbookRepo": 1 if repo == "community" else 2,
                      "playbookRepoName": repo, "playbookType": "automation", "synchronous": False}
    return [NodeSpec(ctx.name, "playbook", data)]


def unknown(ctx: BlockContext) -> list[NodeSpec]:
    ctx.report.needs_review(f"classic block type {ctx.cell.kind!r} is not known; it became an empty code block")
    data: JSONDict = {"advanced": advanced(ctx.cell), "functionId": ctx.cell.number, "inputParameters": [],
                      "outputVariables": []}
    return [NodeSpec(ctx.name, "code", data, user_code="")]


def converter_for(cell: Cell) -> Callable[[BlockContext], list[NodeSpec]]:
    from editor.classic.apis import api_block

    table: dict[str, Callable[[BlockContext], list[NodeSpec]]] = {
        "StartEnd": start_end, "Action": action, "Filter": filter_block, "Decision": decision,
        "Format": format_block, "Prompt": prompt, "Task": task, "API": api_block, "FunctionBlock": code_block,
        "CustomFunctionBlock": custom_function, "CallPlaybook": call_playbook,
    }
    return table.get(cell.kind, unknown)
