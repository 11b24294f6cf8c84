"""Graph validation: every problem is a located ``ValidationError`` (block id + field).

One entry point, ``validate(playbook, catalogue=None)``.  The compiler refuses graphs
with errors; the editor shows them on the canvas.  Warnings never block compilation.

Facts about the installation (the app catalogue, the playbooks that exist) are passed in
by the caller, so this module stays pure: with a catalogue, every action block must name
its app and at least one asset; with the known playbook names, a ``playbook`` block must
call one of them (a warning while editing, an error when ``activating``).
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Callable, Collection
from typing import Any

from editor.graph import datapath as dpmod
from editor.graph.errors import SoarFormatError, ValidationError, show
from editor.graph.limits import DEFAULT_LIMITS, Limits
from editor.graph.model import END_ID, START_ID, Node, Playbook, as_list, parse_playbook
from editor.graph.naming import function_name_problem, python_name

#: ``catalogue(node) -> app JSON | None``: the app behind an action node, if known.
AppCatalogue = Callable[[Node], "dict[str, Any] | None"]


def _err(
    block_id: str | None, field: str, message: str, kind: str, severity: str = "error", line: int | None = None
) -> ValidationError:
    prefix = f"block {block_id}: " if block_id is not None else ""
    return ValidationError(
        block_id, field, prefix + message, "warning" if severity == "warning" else "error", kind, line
    )


def validate(
    playbook: Playbook | dict[str, Any],
    catalogue: AppCatalogue | None = None,
    limits: Limits = DEFAULT_LIMITS,
    *,
    playbooks: Collection[str] | None = None,
    activating: bool = False,
) -> list[ValidationError]:
    """All problems of ``playbook`` (a model or parsed JSON), errors first, then warnings.
    Unreadable JSON becomes a single ``format`` error instead of an exception.

    ``playbooks`` are the names of the playbooks that exist ("repo/name" or bare names);
    ``activating`` turns a call to a missing one from a warning into an error."""
    if not isinstance(playbook, Playbook):
        try:
            playbook = parse_playbook(playbook)
        except SoarFormatError as exc:
            return [ValidationError(None, exc.path or "playbook", str(exc), "error", "format")]
    out: list[ValidationError] = []
    out += _check_sizes(playbook, limits)
    if out:
        # Oversized or over-nested input is rejected before any other work: the other
        # checks walk it recursively and would only add noise.
        return out
    out += _check_structure(playbook)
    out += _check_blocks(playbook, catalogue)
    if playbooks is not None:
        out += _check_callees(playbook, playbooks, activating)
    out += _check_names(playbook, limits)
    out += _check_datapaths(playbook)
    out += _check_code(playbook, limits)
    # One report per (block, field, kind): a huge string trips both the size and the
    # name checks, and the user needs to hear it once.
    seen: set[tuple[str | None, str, str]] = set()
    unique: list[ValidationError] = []
    for e in out:
        if (e.block_id, e.field, e.kind) not in seen:
            seen.add((e.block_id, e.field, e.kind))
            unique.append(e)
    return sorted(unique, key=lambda e: e.severity != "error")


# -- sizes -------------------------------------------------------------------------------
def _check_sizes(pb: Playbook, limits: Limits) -> list[ValidationError]:
    out: list[ValidationError] = []
    if len(pb.nodes) > limits.max_blocks:
        out.append(
            _err(None, "coa.data.nodes", f"{len(pb.nodes)} blocks exceed the limit of {limits.max_blocks}", "too_large")
        )
    if len(pb.edges) > limits.max_edges:
        out.append(
            _err(None, "coa.data.edges", f"{len(pb.edges)} edges exceed the limit of {limits.max_edges}", "too_large")
        )
    if out:
        return out
    if len(pb.description) > limits.max_string:
        out.append(
            _err(
                None,
                "coa.data.description",
                f"text of {len(pb.description)} characters exceeds {limits.max_string}",
                "too_large",
            )
        )
    for node in pb.nodes.values():
        for path, problem in _scan(node.data, "data", limits):
            out.append(_err(node.id, path, problem, "too_large"))
    for key in ("input_spec", "output_spec"):
        for path, problem in _scan(pb.coa.get(key), f"coa.{key}", limits):
            out.append(_err(None, path, problem, "too_large"))
    return out


def _scan(value: Any, root: str, limits: Limits) -> list[tuple[str, str]]:
    """Over-long strings and over-deep nesting in a JSON value, as (key path, problem).
    Iterative: hostile nesting must not exhaust the interpreter stack."""
    out: list[tuple[str, str]] = []
    stack: list[tuple[Any, str, int]] = [(value, root, 0)]
    while stack:
        item, path, depth = stack.pop()
        if isinstance(item, str):
            if len(item) > limits.max_string:
                out.append((path, f"text of {len(item)} characters exceeds {limits.max_string}"))
        elif isinstance(item, (dict, list)):
            if depth >= limits.max_depth:
                out.append((path, f"values nested deeper than {limits.max_depth} levels"))
                continue
            pairs = item.items() if isinstance(item, dict) else enumerate(item)
            for k, v in pairs:
                if isinstance(v, (str, dict, list)):
                    stack.append((v, f"{path}.{k}" if isinstance(item, dict) else f"{path}[{k}]", depth + 1))
    return sorted(out)


# -- structure ---------------------------------------------------------------------------
def _check_structure(pb: Playbook) -> list[ValidationError]:
    from editor.blocks import block_type

    out: list[ValidationError] = []
    if START_ID not in pb.nodes or pb.nodes[START_ID].type != "start":
        out.append(_err(None, "coa.data.nodes", 'missing start block (node "0" of type start)', "missing_start"))
    if END_ID not in pb.nodes or pb.nodes[END_ID].type != "end":
        out.append(_err(None, "coa.data.nodes", 'missing end block (node "1" of type end)', "missing_end"))
    for node in pb.nodes.values():
        if block_type(node.type) is None:
            out.append(_err(node.id, "type", f"unknown block type {show(node.type)}", "unknown_type"))
        elif node.type in ("start", "end") and node.id not in (START_ID, END_ID):
            out.append(_err(node.id, "type", f"only one {node.type} block is allowed", "duplicate_start_end"))
    children: dict[str, list[str]] = {nid: [] for nid in pb.nodes}
    seen_pairs: set[tuple[str, str]] = set()
    for i, edge in enumerate(pb.edges):
        for end, field in ((edge.source, "sourceNode"), (edge.target, "targetNode")):
            if end not in pb.nodes:
                other = edge.target if end == edge.source else edge.source
                out.append(
                    _err(
                        other if other in pb.nodes else None,
                        f"coa.data.edges[{i}].{field}",
                        f"edge {show(edge.id)} points to missing block {show(end)}",
                        "dangling_edge",
                    )
                )
        if edge.source in pb.nodes and edge.target in pb.nodes:
            if edge.target == START_ID:
                out.append(
                    _err(edge.source, f"coa.data.edges[{i}]", "an edge cannot enter the start block", "bad_edge")
                )
            if edge.source == END_ID:
                out.append(_err(END_ID, f"coa.data.edges[{i}]", "an edge cannot leave the end block", "bad_edge"))
            if (edge.source, edge.target) in seen_pairs:
                out.append(
                    _err(
                        edge.source,
                        f"coa.data.edges[{i}]",
                        f"duplicate edge to block {edge.target}",
                        "duplicate_edge",
                        "warning",
                    )
                )
            seen_pairs.add((edge.source, edge.target))
            children[edge.source].append(edge.target)
            out += _check_branch(pb, i)
    if START_ID in pb.nodes:
        reached = _reach(children, START_ID)
        for nid in pb.node_order():
            if nid not in reached and nid != END_ID:
                # A warning, as in SOAR: its generator still emits the block's function
                # (nothing calls it), and custom code may call it by name.
                out.append(
                    _err(nid, "edges", "block is unreachable from the start block", "unreachable", "warning")
                )
    cycle = _find_cycle(children)
    if cycle:
        path = " -> ".join(cycle)
        out.append(_err(cycle[0], "edges", f"cycle {path} is not a declared logic loop", "cycle"))
    return out


def _check_branch(pb: Playbook, index: int) -> list[ValidationError]:
    edge = pb.edges[index]
    source = pb.nodes[edge.source]
    if source.type not in ("decision", "filter"):
        return []
    conds = source.data.get("conditions")
    count = len(conds) if isinstance(conds, list) else 0
    indices = edge.condition_indices
    if not indices:
        return [
            _err(
                edge.source,
                f"coa.data.edges[{index}].conditions",
                f"edge to block {edge.target} does not say which branch it leaves from, so it is never taken",
                "bad_branch",
                "warning",
            )
        ]
    return [
        _err(
            edge.source,
            f"coa.data.edges[{index}].conditions",
            f"edge to block {edge.target} uses branch {k} but the block has {count} conditions",
            "bad_branch",
        )
        for k in indices
        if not 0 <= k < count
    ]


def _reach(children: dict[str, list[str]], root: str) -> set[str]:
    seen = {root}
    stack = [root]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return seen


def _find_cycle(children: dict[str, list[str]]) -> list[str] | None:
    """Iterative DFS (10,000-block graphs must not hit the recursion limit).  Logic loops
    live inside one block (``data.loop``), so any edge cycle is undeclared."""
    state: dict[str, int] = {}
    for root in sorted(children, key=lambda k: (len(k), k)):
        if root in state:
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        path: list[str] = []
        while stack:
            nid, i = stack.pop()
            if i == 0:
                state[nid] = 1
                path.append(nid)
            kids = children.get(nid, [])
            if i < len(kids):
                stack.append((nid, i + 1))
                kid = kids[i]
                if state.get(kid) == 1:
                    return path[path.index(kid) :] + [kid]
                if kid not in state:
                    stack.append((kid, 0))
            else:
                state[nid] = 2
                path.pop()
    return None


# -- per block ---------------------------------------------------------------------------
def _check_blocks(pb: Playbook, catalogue: AppCatalogue | None) -> list[ValidationError]:
    from editor.blocks import block_type

    out: list[ValidationError] = []
    for nid in pb.node_order():
        node = pb.nodes[nid]
        plugin = block_type(node.type)
        if plugin is None:
            continue
        out += plugin.validate(node)
        if not plugin.custom_region and node.user_code and node.user_code.strip():
            out.append(
                _err(
                    nid,
                    "userCode",
                    f"{node.type} blocks have no custom code region; this code is never run",
                    "ignored_code",
                    "warning",
                )
            )
        if node.type in ("action", "missionControl") and catalogue is not None:
            out += _check_assets(node, catalogue)
    return out


def _check_assets(node: Node, catalogue: AppCatalogue) -> list[ValidationError]:
    """An action runs on an asset of an app: a block that names neither cannot run
    (imported and converted playbooks often arrive that way; SOAR's editor flags them)."""
    action = node.data.get("action")
    named = [node.data.get(k) for k in ("connector", "connectorId")]
    if not any(isinstance(v, str) and v.strip() for v in named):
        out = [_err(node.id, "data.connector", f"action {show(action)} names no app: choose one", "missing_app")]
        if not _assets_of(node):
            out.append(
                _err(node.id, "data.connectorConfigs", f"action {show(action)} names no asset: pick one", "missing_asset")
            )
        return out
    app = catalogue(node)
    if _assets_of(node):
        return []
    if app is None:
        return [_err(node.id, "data.connectorConfigs", f"action {show(action)} names no asset: pick one", "missing_asset")]
    actions = app.get("actions")
    known = not isinstance(actions, list) or any(isinstance(a, dict) and a.get("action") == action for a in actions)
    if not known:
        return [
            _err(node.id, "data.action", f"app {show(app.get('name'))} has no action {show(action)}", "unknown_action")
        ]
    return [
        _err(
            node.id,
            "data.connectorConfigs",
            f"action {show(action)} of app {show(app.get('name'))} needs at least one asset",
            "missing_asset",
        )
    ]


def _assets_of(node: Node) -> list[str]:
    assets = node.data.get("connectorConfigs")
    return [a for a in assets if isinstance(a, str) and a.strip()] if isinstance(assets, list) else []


def _check_callees(pb: Playbook, playbooks: Collection[str], activating: bool) -> list[ValidationError]:
    """A ``playbook`` block calls another playbook by name.  While editing, the callee
    may simply not be imported yet (a warning); an active playbook would fail at run
    time, so activation refuses it.  The engine falls back from "repo/name" to the bare
    name, and so does this check."""
    known = set(playbooks) | {p.rpartition("/")[2] for p in playbooks}
    out: list[ValidationError] = []
    for nid in pb.node_order():
        node = pb.nodes[nid]
        name = node.data.get("playbookName")
        if node.type != "playbook" or not isinstance(name, str):
            continue
        repo = node.data.get("playbookRepoName")
        full = f"{repo}/{name}" if isinstance(repo, str) and repo else name
        if name and (full in known or name in known):
            continue
        out.append(
            _err(
                nid,
                "data.playbookName",
                f"calls playbook {show(full)}, which does not exist",
                "unknown_playbook",
                "error" if activating else "warning",
            )
        )
    return out


def _check_names(pb: Playbook, limits: Limits) -> list[ValidationError]:
    out: list[ValidationError] = []
    seen: dict[str, str] = {}
    for nid in pb.node_order():
        node = pb.nodes[nid]
        name = node.function_name
        if nid in (START_ID, END_ID):
            continue
        if len(name) > limits.max_identifier:
            out.append(
                _err(
                    nid,
                    "data.functionName",
                    f"function name of {len(name)} characters exceeds {limits.max_identifier}",
                    "too_large",
                )
            )
            continue
        problem = function_name_problem(python_name(name)) if name else "is empty"
        if problem is None and not name.isascii():
            problem = "must be ASCII"
        if problem:
            out.append(_err(nid, "data.functionName", f"function name {show(name)} {problem}", "bad_identifier"))
            continue
        py = python_name(name)
        if py != name.lower():
            out.append(
                _err(
                    nid,
                    "data.functionName",
                    f"function name {show(name)} is emitted as {show(py)}; datapaths must use the normalised name",
                    "renamed",
                    "warning",
                )
            )
        derived = [py, f"join_{py}", f"{py}_callback", f"loop_{py}"]
        clash = next((seen[d] for d in derived if d in seen), None)
        if clash is not None and clash != nid:
            out.append(
                _err(
                    nid,
                    "data.functionName",
                    f"function name {show(name)} duplicates the name of block {clash}",
                    "duplicate_name",
                )
            )
        for d in derived:
            seen.setdefault(d, nid)
    return out


def _check_datapaths(pb: Playbook) -> list[ValidationError]:
    from editor.blocks import block_type

    names = {n.function_name for n in pb.nodes.values()} | {python_name(n.function_name) for n in pb.nodes.values()}
    out: list[ValidationError] = []
    for nid in pb.node_order():
        node = pb.nodes[nid]
        plugin = block_type(node.type)
        if plugin is None:
            continue
        for field, value in plugin.datapaths(node):
            dp = dpmod.parse(value)
            if dp is None:
                continue
            for ref in dp.referenced_blocks():
                if ref not in names:
                    # A warning: SOAR itself ships playbooks with stale references
                    # (14 in the corpus); the generated collect2 simply finds nothing.
                    out.append(
                        _err(
                            nid,
                            field,
                            f"datapath {show(value)} names block {show(ref)}, which does not exist",
                            "dangling_datapath",
                            "warning",
                        )
                    )
    for i, spec in enumerate(pb.output_spec):
        for j, value in enumerate(as_list(spec.get("datapaths"))):
            dp = dpmod.parse(value)
            for ref in dp.referenced_blocks() if dp else []:
                if ref not in names:
                    out.append(
                        _err(
                            END_ID,
                            f"coa.output_spec[{i}].datapaths[{j}]",
                            f"datapath {show(str(value))} names block {show(ref)}, which does not exist",
                            "dangling_datapath",
                            "warning",
                        )
                    )
    return out


# -- user code ---------------------------------------------------------------------------
def _check_code(pb: Playbook, limits: Limits) -> list[ValidationError]:
    out: list[ValidationError] = []
    gcode = pb.global_custom_code
    if gcode is not None:
        out += _parse_problem(None, "coa.data.globalCustomCode", gcode, "module", "", limits)
    for nid in pb.node_order():
        node = pb.nodes[nid]
        if node.user_code is not None:
            out += _parse_problem(nid, "userCode", node.user_code, "body", "", limits)
        if node.custom_code is not None:
            fn = "on_start" if nid == START_ID else "on_finish" if nid == END_ID else python_name(node.function_name)
            out += _parse_problem(nid, "customCode", node.custom_code, "function", fn, limits)
    return out


# A leading `pass` gives a region a body of its own, so a dedent shows up as a second
# top-level statement; a trailing indented `pass` checks that generated code can follow
# at the region's indentation (no string, bracket or block left open).
_REGION_HEAD = "def _region():\n    pass\n"
_REGION_OFFSET = 2


def _parse(source: str) -> ast.Module:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # user code's own SyntaxWarnings are not ours
        return ast.parse(source)


def _region_line(line: int | None, last_line: int) -> int:
    return min(max((line or 1) - _REGION_OFFSET, 1), last_line)


def _parse_problem(
    block_id: str | None, field: str, code: str, mode: str, fn: str, limits: Limits
) -> list[ValidationError]:
    """User code is code by design, but it must stay inside its region: a block body
    must parse as the body of one function (so it cannot dedent out and define
    top-level names, or leave a string/bracket open that swallows generated code)."""
    if len(code) > limits.max_code:
        return [_err(block_id, field, f"code of {len(code)} characters exceeds {limits.max_code}", "too_large")]
    last_line = code.count("\n") + 1

    def syntax(exc: SyntaxError | ValueError, line: int) -> list[ValidationError]:
        msg = exc.msg if isinstance(exc, SyntaxError) else str(exc)
        return [_err(block_id, field, f"invalid Python in {field} at line {line}: {msg}", "syntax", line=line)]

    def escape(line: int) -> list[ValidationError]:
        return [
            _err(block_id, field, f"{field} leaves its custom code region at line {line}", "code_escape", line=line)
        ]

    if mode == "body":
        try:
            tree = _parse(_REGION_HEAD + code + "\n    pass\n")
        except (SyntaxError, ValueError) as exc:
            # Rejected with generated code after it: an escape if the code alone parses
            # at module level (e.g. a dedented import), a plain syntax error otherwise.
            try:
                alone = _parse(_REGION_HEAD + code + "\n")
            except (SyntaxError, ValueError):
                alone = None
            if alone is not None and len(alone.body) > 1:
                return escape(_region_line(getattr(alone.body[1], "lineno", 1), last_line))
            lineno = exc.lineno if isinstance(exc, SyntaxError) else 1
            return syntax(exc, _region_line(lineno, last_line))
        if len(tree.body) > 1:
            return escape(_region_line(getattr(tree.body[1], "lineno", 1), last_line))
        return []
    try:
        tree = _parse(code)
    except (SyntaxError, ValueError) as exc:
        lineno = exc.lineno if isinstance(exc, SyntaxError) else 1
        return syntax(exc, min(max(lineno or 1, 1), last_line))
    if mode == "function":
        if len(tree.body) != 1 or not isinstance(tree.body[0], ast.FunctionDef) or tree.body[0].name != fn:
            return [
                _err(block_id, field, f"{field} must be exactly one function named {show(fn)}", "code_escape", line=1)
            ]
    return []
