"""Reading an action's parameters back out of its classic generated code.

The classic JSON keeps a block's settings (``active_values``) next to the code SOAR
generated from them (``block_code``), and the two drift: renaming a block updated the
code but left stale names in other blocks' settings, and switching assets left the
previous app's fields behind.  The code is what ran, so when its ``parameters.append``
dict can be traced back to datapaths and constants, it wins.
"""

from __future__ import annotations

import ast
from typing import Any

from editor.classic.customcode import parse

_Value = tuple[str, Any]  # ("dp", datapath) | ("const", value) | ("rows", [dp…]) | ("item", [dp…])
_UNKNOWN = object()


def _phantom_call(node: ast.expr, *names: str) -> ast.Call | None:
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in names
            and isinstance(node.func.value, ast.Name) and node.func.value.id == "phantom"):
        return node
    return None


def _arg(call: ast.Call, key: str, pos: int) -> ast.expr | None:
    found = next((k.value for k in call.keywords if k.arg == key), None)
    if found is None and len(call.args) > pos:
        return call.args[pos]
    return found


def _str(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _source(value: ast.expr, env: dict[str, _Value]) -> _Value | None:
    """What an assigned expression loads."""
    call = _phantom_call(value, "collect2", "collect")
    if call is not None:
        target = _arg(call, "datapath", 1)
        items = target.elts if isinstance(target, (ast.List, ast.Tuple)) else []
        paths = [_str(i) for i in items]
        return ("rows", paths) if paths and all(p is not None for p in paths) else None
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "loads":
        value = value.args[0] if value.args else value
    call = _phantom_call(value, "get_format_data")
    if call is not None:
        name = _str(_arg(call, "name", 0))
        if name is None:
            return None
        return ("dp", f"{name[:-9]}:formatted_data.*" if name.endswith("__as_list") else f"{name}:formatted_data")
    call = _phantom_call(value, "get_run_data")
    if call is not None:
        key = _str(_arg(call, "key", 0))
        if key is None or ":" not in key:
            return None
        block, _, var = key.partition(":")
        return ("dp", f"{block}:custom_function:{var}")
    if (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "get"
            and isinstance(value.func.value, ast.Name) and value.func.value.id == "container"):
        field = _str(value.args[0]) if value.args else None
        return ("dp", f"container:{field}") if field else None
    if isinstance(value, ast.ListComp) and len(value.generators) == 1:
        gen = value.generators[0]
        src = env.get(gen.iter.id) if isinstance(gen.iter, ast.Name) else None
        elt = value.elt
        if (src and src[0] == "rows" and isinstance(elt, ast.Subscript) and isinstance(elt.slice, ast.Constant)
                and isinstance(elt.slice.value, int) and elt.slice.value < len(src[1])):
            return ("dp", src[1][elt.slice.value])
        return None
    resolved = _resolve(value, env)
    return resolved if resolved is not None and resolved[0] in ("dp", "const") else None


def _resolve(node: ast.expr, env: dict[str, _Value]) -> _Value | None:
    if isinstance(node, ast.Constant):
        return ("const", node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant):
        v = node.operand.value
        return ("const", -v) if isinstance(v, (int, float)) else None
    if isinstance(node, ast.Name):
        return env.get(node.id)
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
        src = env.get(node.value.id)
        k = node.slice.value if isinstance(node.slice, ast.Constant) else None
        if src and src[0] == "item" and isinstance(k, int) and 0 <= k < len(src[1]):
            return ("dp", src[1][k])
    return None


def _walk(stmts: list[ast.stmt], env: dict[str, _Value], rows: list[ast.Dict]) -> None:
    for stmt in stmts:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            src = _source(stmt.value, env)
            if src is not None:
                env[stmt.targets[0].id] = src
            else:
                env.pop(stmt.targets[0].id, None)
        elif isinstance(stmt, ast.For):
            it = env.get(stmt.iter.id) if isinstance(stmt.iter, ast.Name) else None
            if isinstance(stmt.target, ast.Name) and it and it[0] == "rows":
                env[stmt.target.id] = ("item", it[1])
            _walk(stmt.body, env, rows)
        elif isinstance(stmt, (ast.If, ast.With, ast.Try)):
            _walk(stmt.body, env, rows)
            _walk(getattr(stmt, "orelse", []), env, rows)
        elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            f = stmt.value.func
            if (isinstance(f, ast.Attribute) and f.attr == "append" and isinstance(f.value, ast.Name)
                    and f.value.id == "parameters" and stmt.value.args and isinstance(stmt.value.args[0], ast.Dict)):
                rows.append(stmt.value.args[0])


def action_parameters(code: str) -> dict[str, Any] | None:
    """``{param: datapath or constant}`` of the single ``phantom.act`` in ``code``, or
    ``None`` when the code does not have the generated shape (then the caller keeps
    the block's settings)."""
    tree = parse(code)
    funcs = [s for s in tree.body if isinstance(s, ast.FunctionDef)] if tree is not None else []
    if len(funcs) != 1:
        return None
    acts = [n for n in ast.walk(funcs[0]) if isinstance(n, ast.Call) and _phantom_call(n, "act") is not None]
    if len(acts) != 1:
        return None
    env: dict[str, _Value] = {}
    rows: list[ast.Dict] = []
    _walk(funcs[0].body, env, rows)
    if len(rows) != 1:
        return None
    out: dict[str, Any] = {}
    for key, value in zip(rows[0].keys, rows[0].values, strict=True):
        name = _str(key)
        if name is None:
            return None
        if name == "context":
            continue  # the artifact id the generator adds; not a parameter
        resolved = _resolve(value, env)
        if resolved is None or resolved[0] not in ("dp", "const"):
            return None
        out[name] = resolved[1]
    return out
