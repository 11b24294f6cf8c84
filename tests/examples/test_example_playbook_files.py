"""The example playbooks in editor/examples: valid SOAR files that compile, round-trip and
together use every block type. No database needed."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any

import pytest

from editor.compiler import compile_playbook
from editor.examples import EXAMPLES_DIR, example_paths
from editor.graph.validate import validate
from editor.soarfile import dump_playbook, load_playbook

REPO = Path(__file__).resolve().parents[2]
SHARED_APPS = REPO.parent / "shared" / "apps"
BUILTIN_APPS = {
    json.loads(p.read_text())["appid"]: json.loads(p.read_text()) for p in (REPO / "engine" / "apps").glob("*/app.json")
}

PATHS = example_paths()
NAMES = [p.stem for p in PATHS]
DOCS = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in PATHS}

REQUIRED_KINDS = {
    "start",
    "end",
    "action",
    "decision",
    "filter",
    "format",
    "prompt",
    "code",
    "utility/api",
    "utility/custom_function",
    "playbook",
    "join",
    "loop",
}


def nodes(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["coa"]["data"]["nodes"]  # type: ignore[no-any-return]


def in_degree(doc: dict[str, Any]) -> dict[str, int]:
    counts = {nid: 0 for nid in nodes(doc)}
    for edge in doc["coa"]["data"]["edges"]:
        counts[edge["targetNode"]] += 1
    return counts


def kinds(doc: dict[str, Any]) -> set[str]:
    out = set()
    degree = in_degree(doc)
    for nid, node in nodes(doc).items():
        data = node["data"]
        out.add(f"utility/{data['utilityType']}" if node["type"] == "utility" else node["type"])
        if degree[nid] >= 2 and node["type"] != "end":
            out.add("join")
        if (data.get("loop") or {}).get("enabled"):
            out.add("loop")
    return out


def app_for(connector_id: str) -> dict[str, Any] | None:
    if connector_id in BUILTIN_APPS:
        return BUILTIN_APPS[connector_id]
    if SHARED_APPS.is_dir():
        for path in SHARED_APPS.glob("*.json"):
            try:
                app = json.loads(path.read_text(encoding="utf-8"))
            except ValueError:
                continue
            if isinstance(app, dict) and app.get("appid") == connector_id:
                return app
    return None


def test_there_are_at_least_five_examples_and_the_benchmark_playbook() -> None:
    assert len(PATHS) >= 5
    assert "bench_ten_blocks" in NAMES
    assert all(re.fullmatch(r"[A-Za-z0-9_]+", n) for n in NAMES)


@pytest.mark.parametrize("path", PATHS, ids=NAMES)
def test_each_example_is_written_in_soar_serialisation(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), sort_keys=True, indent=4)


@pytest.mark.parametrize("path", PATHS, ids=NAMES)
def test_each_example_parses_and_validates_without_errors_or_warnings(path: Path) -> None:
    playbook = load_playbook(path.read_text(encoding="utf-8"), str(path))
    problems = [(p.severity, p.message) for p in validate(playbook)]
    assert problems == []


@pytest.mark.parametrize("path", PATHS, ids=NAMES)
def test_each_example_round_trips_losslessly(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert json.loads(dump_playbook(load_playbook(text, str(path)))) == json.loads(text)


@pytest.mark.parametrize("path", PATHS, ids=NAMES)
def test_each_example_compiles_to_a_module_that_parses(path: Path) -> None:
    source = compile_playbook(json.loads(path.read_text(encoding="utf-8"))).source
    tree = ast.parse(source)
    defined = {f.name for f in tree.body if isinstance(f, ast.FunctionDef)}
    assert {"on_start", "on_finish"} <= defined
    doc = DOCS[path.stem]
    for nid, node in nodes(doc).items():
        if nid not in ("0", "1"):
            assert node["data"]["functionName"] in defined


def test_the_examples_together_use_every_block_type() -> None:
    used = set().union(*(kinds(doc) for doc in DOCS.values()))
    assert REQUIRED_KINDS <= used, REQUIRED_KINDS - used
    apis = {
        next(iter(n["data"]["utilities"]))
        for doc in DOCS.values()
        for n in nodes(doc).values()
        if n["type"] == "utility" and n["data"]["utilityType"] == "api"
    }
    assert {"set_severity", "add_note", "add_tags", "set_status", "add_artifact"} <= apis


def test_functions_are_named_as_soar_names_them() -> None:
    for name, doc in DOCS.items():
        for node in nodes(doc).values():
            data = node["data"]
            assert node["id"] == data["id"] and node["type"] == data["type"]
            custom = data["advanced"].get("customName")
            if custom:
                assert data["functionName"] == re.sub(r"[^a-z0-9]+", "_", custom.strip().lower()), name
            elif node["type"] == "playbook":
                assert data["functionName"] == f"playbook_{data['playbookName']}_{data['functionId']}"


def test_branch_edges_name_a_condition_and_other_edges_do_not() -> None:
    for doc in DOCS.values():
        for edge in doc["coa"]["data"]["edges"]:
            source = nodes(doc)[edge["sourceNode"]]
            assert edge["id"] == f"port_{edge['sourceNode']}_to_port_{edge['targetNode']}"
            if source["type"] in ("filter", "decision"):
                (cond,) = edge["conditions"]
                assert 0 <= cond["index"] < len(source["data"]["conditions"])
            else:
                assert "conditions" not in edge


def test_at_least_two_examples_need_only_the_builtin_apps() -> None:
    def builtin_only(name: str) -> bool:
        doc = DOCS[name]
        ids = {n["data"]["connectorId"] for n in nodes(doc).values() if n["type"] == "action"}
        called = [n["data"]["playbookName"] for n in nodes(doc).values() if n["type"] == "playbook"]
        return ids <= set(BUILTIN_APPS) and all(builtin_only(c) for c in called)

    assert len([n for n in NAMES if builtin_only(n)]) >= 2


def test_action_blocks_name_a_real_app_action_with_its_declared_parameters() -> None:
    checked = 0
    for name, doc in DOCS.items():
        for node in nodes(doc).values():
            if node["type"] != "action":
                continue
            data = node["data"]
            app = app_for(data["connectorId"])
            if app is None:
                assert SHARED_APPS.is_dir() is False, f"{name}: no app {data['connectorId']}"
                continue
            assert data["connector"] == app["name"]
            action = next(a for a in app["actions"] if a["action"] == data["action"])
            assert data["actionType"] == action["type"]
            declared = action["parameters"]
            assert set(data["parameters"]) <= set(declared), (name, data["functionName"])
            required = {k for k, v in declared.items() if v.get("required")}
            assert required <= set(data["parameters"]), (name, data["functionName"])
            assert {r["field"] for r in data["requiredParameters"]} == required
            assert data["connectorConfigs"], (name, data["functionName"])
            checked += 1
    assert checked > 0


def test_the_readme_lists_every_asset_the_examples_use() -> None:
    readme = (EXAMPLES_DIR / "README.md").read_text(encoding="utf-8")
    assets = {
        a
        for doc in DOCS.values()
        for n in nodes(doc).values()
        if n["type"] == "action"
        for a in n["data"]["connectorConfigs"]
    }
    for asset in assets:
        assert f"`{asset}`" in readme


def test_custom_function_blocks_call_builtin_community_functions_with_their_inputs() -> None:
    cf_dir = REPO / "engine" / "custom_functions"
    for doc in DOCS.values():
        for node in nodes(doc).values():
            data = node["data"]
            if node["type"] != "utility" or data["utilityType"] != "custom_function":
                continue
            cf = data["customFunction"]
            assert cf["repoName"] == "community"
            contract_path = cf_dir / f"{cf['name']}.json"
            if not contract_path.exists():
                pytest.skip("built-in custom functions are not in this checkout")
            contract = json.loads(contract_path.read_text(encoding="utf-8"))
            inputs = {i["name"]: i["input_type"] for i in contract["inputs"]}
            fields = {f["name"]: f["inputType"] for f in data["utilities"][cf["name"]]["fields"]}
            assert fields == inputs
            for key, value in data["values"][cf["name"]].items():
                assert isinstance(value, list) if inputs[key] == "list" else not isinstance(value, list)


def test_playbook_blocks_call_an_example_input_playbook_with_its_inputs_and_outputs() -> None:
    calls = 0
    for name, doc in DOCS.items():
        text = json.dumps(doc)
        for node in nodes(doc).values():
            if node["type"] != "playbook":
                continue
            data = node["data"]
            callee = DOCS[data["playbookName"]]
            assert data["playbookType"] == callee["coa"]["playbook_type"] == "data"
            assert data["synchronous"] is True and data["playbookRepoName"] == "local"
            assert set(data["inputs"]) <= {s["name"] for s in callee["coa"]["input_spec"]}
            used = set(re.findall(re.escape(data["functionName"]) + r":playbook_output:(\w+)", text))
            assert used and used <= {s["name"] for s in callee["coa"]["output_spec"]}, name
            assert in_degree(doc)[node["id"]] == 1 and any(
                e["sourceNode"] == node["id"] for e in doc["coa"]["data"]["edges"]
            )  # a callback continues
            calls += 1
    assert calls >= 1


def test_the_input_playbook_reads_its_inputs_through_playbook_input_datapaths() -> None:
    for doc in DOCS.values():
        coa = doc["coa"]
        if coa["playbook_type"] != "data":
            continue
        text = json.dumps(coa["data"])
        for spec in coa["input_spec"]:
            assert f"playbook_input:{spec['name']}" in text
        assert coa["output_spec"] and all(s["datapaths"] for s in coa["output_spec"])


def test_bench_ten_blocks_has_the_shape_the_benchmark_expects() -> None:
    doc = DOCS["bench_ten_blocks"]
    by_type: dict[str, list[str]] = {}
    for nid, node in nodes(doc).items():
        by_type.setdefault(node["type"], []).append(nid)
    assert len(nodes(doc)) == 10
    assert {k: len(v) for k, v in by_type.items()} == {
        "start": 1,
        "end": 1,
        "filter": 1,
        "decision": 1,
        "format": 2,
        "action": 3,
        "utility": 1,
    }
    (flt,) = by_type["filter"]
    params = [c["param"] for cond in nodes(doc)[flt]["data"]["conditions"] for c in cond["comparisons"]]
    assert params == ["artifact:*.cef.sourceAddress"]
    actions = sorted(nodes(doc)[a]["data"]["action"] for a in by_type["action"])
    assert actions == ["geolocate ip", "ip reputation", "whois ip"]
    degree = in_degree(doc)
    joins = [nid for nid in nodes(doc) if degree[nid] >= 2 and nid != "1"]
    assert len(joins) == 1 and degree[joins[0]] == 3
    (util,) = by_type["utility"]
    assert nodes(doc)[util]["data"]["utilityType"] == "api"


@pytest.mark.parametrize("path", PATHS, ids=NAMES)
def test_user_code_only_reads_names_the_generated_function_defines(path: Path) -> None:
    """userCode is written against the compiler's variable names (soar-format.md §3.5);
    a renamed variable would surface here rather than as a NameError in a run."""
    import builtins

    tree = ast.parse(compile_playbook(DOCS[path.stem]).source)
    module_names = {a.asname or a.name.split(".")[0] for n in tree.body if isinstance(n, ast.Import) for a in n.names}
    module_names |= {a.asname or a.name for n in tree.body if isinstance(n, ast.ImportFrom) for a in n.names}
    functions = {f.name: f for f in tree.body if isinstance(f, ast.FunctionDef)}
    module_names |= set(functions) | set(dir(builtins))
    for node in nodes(DOCS[path.stem]).values():
        if not node.get("userCode") or node["id"] in ("0", "1"):
            continue
        fn = functions[node["data"]["functionName"]]
        defined = {a.arg for a in [*fn.args.args, *fn.args.kwonlyargs]} | {fn.args.kwarg.arg if fn.args.kwarg else ""}
        for sub in ast.walk(fn):
            if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                defined.add(sub.id)
            elif isinstance(sub, ast.arg):
                defined.add(sub.arg)
        used = {s.id for s in ast.walk(fn) if isinstance(s, ast.Name) and isinstance(s.ctx, ast.Load)}
        assert used <= defined | module_names, (node["data"]["functionName"], used - defined - module_names)
