"""What a playbook *does*, read from its Python with ``ast``: the app actions it runs
(action, assets, parameter datapaths), the conditions its filters and decisions test,
the container/utility APIs it calls (set_severity, add_note, add_tags, …) and the child
playbooks it calls.  Comparing these facts between the classic code and
the compiled modern playbook is the converter's behaviour check.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from dataclasses import dataclass, field

from editor.classic.customcode import parse

Fact = tuple[object, ...]

_CONTEXT_PATH = re.compile(r"(artifact:\*\.id|\.parameter\.context\.artifact_id)$")


def _is_phantom(call: ast.Call, *names: str) -> bool:
    f = call.func
    return (isinstance(f, ast.Attribute) and f.attr in names and isinstance(f.value, ast.Name)
            and f.value.id == "phantom")


def _const(node: ast.expr | None) -> object:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant):
        value = node.operand.value
        return -value if isinstance(value, (int, float)) else value
    if isinstance(node, ast.Name):
        return f"<{node.id}>"
    return "<expr>"


def _kw(call: ast.Call, key: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == key), None)


def _norm_value(value: object) -> str:
    """Condition operands as text: the generators differ in quoting ("10" vs 10)."""
    return "None" if value is None else str(value)


def _datapaths(fn: ast.FunctionDef) -> list[str]:
    """Datapaths a function loads: collect2/collect lists, format data, run data."""
    out: list[str] = []
    for node in ast.walk(fn):
        if not isinstance(node, ast.Call):
            continue
        if _is_phantom(node, "collect2", "collect"):
            target = _kw(node, "datapath") or (node.args[1] if len(node.args) > 1 else None)
            items = target.elts if isinstance(target, (ast.List, ast.Tuple)) else [target] if target else []
            out += [v for v in (_const(i) for i in items) if isinstance(v, str) and not v.startswith("<")]
        elif _is_phantom(node, "get_format_data"):
            name = _const(_kw(node, "name") or (node.args[0] if node.args else None))
            if isinstance(name, str) and not name.startswith("<"):
                out.append(f"{name[:-len('__as_list')]}:formatted_data.*" if name.endswith("__as_list")
                           else f"{name}:formatted_data")
        elif _is_phantom(node, "get_run_data"):
            key = _const(_kw(node, "key") or (node.args[0] if node.args else None))
            if isinstance(key, str) and ":" in key:
                block, _, var = key.partition(":")
                out.append(f"{block}:custom_function:{var}")
    return sorted({d for d in out if not _CONTEXT_PATH.search(d)})


_CONTAINER_VAR = re.compile(r"^<(\w+?)_(value|param)>$")


def _container(value: object) -> object:
    """Both generators read ``container:<f>`` into a variable named after the field
    (``<f>_value`` / ``<f>_param``); the modern one leaves it a string in value position."""
    m = _CONTAINER_VAR.match(value) if isinstance(value, str) else None
    return f"container:{m.group(1)}" if m else value


def _condition_fact(call: ast.Call, kind: str) -> Fact:
    conds = _kw(call, "conditions")
    triples: list[tuple[str, str, str]] = []
    for item in conds.elts if isinstance(conds, (ast.List, ast.Tuple)) else []:
        if isinstance(item, (ast.List, ast.Tuple)) and len(item.elts) == 3:
            param, op, value = (_container(_const(e)) for e in item.elts)
            triples.append((_norm_value(param), _norm_value(op), _norm_value(value)))
    logic = _const(_kw(call, "logical_operator")) if len(triples) > 1 else None
    return (kind, tuple(triples), logic or ("and" if len(triples) > 1 else None))


# Platform APIs that change the container or its records, by the name a fact uses: the
# classic and modern generators spell a few of them differently.
_APIS = {
    "set_severity": "set_severity", "set_status": "set_status", "set_sensitivity": "set_sensitivity",
    "set_owner": "set_owner", "set_label": "set_label", "set_phase": "set_phase", "comment": "comment",
    "add_comment": "comment", "add_note": "add_note", "pin": "pin", "add_list": "add_list", "promote": "promote",
    "add_tags": "add_tags", "add_tag": "add_tags", "remove_tags": "remove_tags", "remove_tag": "remove_tags",
}


def _dicts(fn: ast.FunctionDef) -> dict[str, ast.Dict]:
    """``name = {…}`` assignments of a function (the classic code builds update_data so)."""
    out: dict[str, ast.Dict] = {}
    for node in ast.walk(fn):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    out[target.id] = node.value
    return out


def _api_facts(call: ast.Call, dicts: dict[str, ast.Dict]) -> list[Fact]:
    f = call.func
    if not (isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id == "phantom"):
        return []
    if f.attr in _APIS:
        return [("api", _APIS[f.attr])]
    if f.attr == "update":
        # Schema-2 classic: phantom.update(container, {"severity": …}) is set_severity.
        data = _kw(call, "update_data") or (call.args[1] if len(call.args) > 1 else None)
        if isinstance(data, ast.Name):
            data = dicts.get(data.id)
        if isinstance(data, ast.Dict):
            keys = [k.value for k in data.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
            return [("api", _APIS.get(f"set_{k}", f"set_{k}")) for k in keys]
        return [("api", "update")]
    return []


@dataclass
class Facts:
    """Facts per function name (so a difference can be pinned on a block)."""

    by_function: dict[str, list[Fact]] = field(default_factory=dict)

    def counter(self) -> Counter[Fact]:
        return Counter(f for facts in self.by_function.values() for f in facts)

    def where(self, fact: Fact) -> list[str]:
        return [fn for fn, facts in self.by_function.items() if fact in facts]


def facts_of_function(fn: ast.FunctionDef) -> list[Fact]:
    out: list[Fact] = []
    paths: list[str] | None = None
    dicts: dict[str, ast.Dict] | None = None
    for node in ast.walk(fn):
        if not isinstance(node, ast.Call):
            continue
        if _is_phantom(node, "act"):
            action = _const(_kw(node, "action") or (node.args[0] if node.args else None))
            assets = _kw(node, "assets")
            names = sorted({str(_const(e)) for e in assets.elts}) if isinstance(assets, (ast.List, ast.Tuple)) else []
            if paths is None:
                paths = _datapaths(fn)
            out.append(("act", str(action), tuple(names), tuple(paths)))
        elif _is_phantom(node, "condition"):
            # Old classic decisions used phantom.condition too: what counts is the test.
            out.append(_condition_fact(node, "condition"))
        elif _is_phantom(node, "decision"):
            out.append(_condition_fact(node, "condition"))
        elif _is_phantom(node, "playbook"):
            target = _const(_kw(node, "playbook") or (node.args[0] if node.args else None))
            out.append(("playbook", str(target)))
        else:
            if dicts is None:
                dicts = _dicts(fn)
            out += _api_facts(node, dicts)
    return out


def facts_of_source(source: str) -> Facts:
    """Facts of every top-level function of a module (or a single function's text)."""
    tree = parse(source)
    facts = Facts()
    if tree is None:
        return facts
    for stmt in tree.body:
        if isinstance(stmt, ast.FunctionDef):
            found = facts_of_function(stmt)
            if found:
                facts.by_function.setdefault(stmt.name, []).extend(found)
    return facts


@dataclass
class Comparison:
    missing: list[tuple[str, Fact]]  # (classic function, fact) the modern code does not make
    extra: list[tuple[str, Fact]]  # (modern function, fact) the classic code did not make
    classic_total: int

    @property
    def same(self) -> bool:
        return not self.missing and not self.extra


def compare(classic: Facts, modern: Facts) -> Comparison:
    a, b = classic.counter(), modern.counter()
    missing = [(next(iter(classic.where(f)), "?"), f) for f in (a - b).elements()]
    extra = [(next(iter(modern.where(f)), "?"), f) for f in (b - a).elements()]
    return Comparison(missing, extra, sum(a.values()))


def _seq(value: object) -> tuple[object, ...]:
    return tuple(value) if isinstance(value, (tuple, list)) else ()


def describe(fact: Fact) -> str:
    kind = fact[0]
    if kind == "act":
        assets, datapaths = _seq(fact[2]), _seq(fact[3])
        paths = ", ".join(str(p) for p in datapaths) or "no datapaths"
        return f"phantom.act({fact[1]!r}) on {', '.join(str(a) for a in assets) or 'no asset'} reading {paths}"
    if kind == "condition":
        return f"condition {list(_seq(fact[1]))} ({fact[2] or 'single'})"
    if kind == "api":
        return f"a phantom.{fact[1]}() call"
    return f"phantom.playbook({fact[1]!r})"
