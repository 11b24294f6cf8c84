"""How the compiler wires blocks: joins, callbacks, branches, builds, determinism."""

from __future__ import annotations

import ast
import json
from typing import Any

from pbkit import action, code, edge, node, playbook, simple

from editor.compiler import compile_playbook


def functions(source: str) -> dict[str, ast.FunctionDef]:
    return {f.name: f for f in ast.parse(source).body if isinstance(f, ast.FunctionDef)}


def calls(fn: ast.FunctionDef, api: str) -> list[ast.Call]:
    return [
        n for n in ast.walk(fn) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == api
    ]


def kw(call: ast.Call, name: str) -> Any:
    return next(ast.unparse(k.value) for k in call.keywords if k.arg == name)


def test_it_is_deterministic_byte_for_byte() -> None:
    assert compile_playbook(simple()).source == compile_playbook(json.loads(json.dumps(simple()))).source


def test_it_emits_on_start_first_and_on_finish_last() -> None:
    names = list(functions(compile_playbook(simple()).source))
    assert names[0] == "on_start" and names[-1] == "on_finish"


def test_it_adds_a_join_when_a_block_has_two_parents() -> None:
    pb = playbook(
        [action("2", "a"), action("3", "b"), code("4", "c")],
        [edge("0", "2"), edge("0", "3"), edge("2", "4"), edge("3", "4")],
    )
    fns = functions(compile_playbook(pb).source)
    [done] = calls(fns["join_c"], "completed")
    assert kw(done, "action_names") == "['a', 'b']"
    assert kw(calls(fns["a"], "act")[0], "callback") == "join_c"


def test_it_fans_out_through_a_callback_when_an_action_has_two_children() -> None:
    pb = playbook([action("2", "a"), code("3", "b"), code("4", "c")], [edge("0", "2"), edge("2", "3"), edge("2", "4")])
    fns = functions(compile_playbook(pb).source)
    assert kw(calls(fns["a"], "act")[0], "callback") == "a_callback"
    assert {n.id for n in ast.walk(fns["a_callback"]) if isinstance(n, ast.Name)} >= {"b", "c"}


def test_it_calls_each_filter_branch_with_its_matches() -> None:
    f = node(
        "2",
        "filter",
        "f",
        conditions=[
            {
                "comparisons": [{"op": "==", "param": "artifact:*.cef.x", "value": "1"}],
                "conditionIndex": 0,
                "logic": "and",
            },
            {
                "comparisons": [{"op": "==", "param": "artifact:*.cef.x", "value": "2"}],
                "conditionIndex": 1,
                "logic": "and",
            },
        ],
    )
    pb = playbook([f, code("3", "one"), code("4", "two")], [edge("0", "2"), edge("2", "3", 0), edge("2", "4", 1)])
    source = compile_playbook(pb).source
    assert 'name="f:condition_1"' in source and 'name="f:condition_2"' in source
    assert (
        "one(action=action, success=success, container=container, results=results, handle=handle, "
        "filtered_artifacts=matched_artifacts_1" in source
    )


def test_it_renders_condition_values_like_soar() -> None:
    d = node(
        "2",
        "decision",
        "d",
        conditions=[
            {
                "comparisons": [
                    {"op": "==", "param": "container:severity", "value": "None"},
                    {"op": ">", "param": "artifact:*.cef.n", "value": "10"},
                ],
                "conditionIndex": 0,
                "logic": "or",
                "type": "if",
            }
        ],
    )
    source = compile_playbook(playbook([d], [edge("0", "2")])).source
    assert 'conditions=[[severity_value, "==", None], ["artifact:*.cef.n", ">", 10]]' in source
    assert 'logical_operator="or"' in source


def test_old_builds_have_no_decorator_and_no_loop_state_argument() -> None:
    source = compile_playbook(playbook([action("2", "a")], [edge("0", "2")], version="5.3.1.84890")).source
    assert "@phantom.playbook_block()" not in source and "loop_state_json" not in source
    new = compile_playbook(playbook([action("2", "a")], [edge("0", "2")], version="6.2.0.355")).source
    assert "@phantom.playbook_block()" in new and "loop_state_json=None" in new


def test_it_splices_user_code_between_the_banners_verbatim() -> None:
    body = "\n    # keep me exactly\n    x = {'a': 1}  # comment\n"
    source = compile_playbook(playbook([code("2", "c", user_code=body)], [edge("0", "2")])).source
    assert (
        "## Custom Code Start\n    ################################################################################\n"
        + body
        in source
    )


def test_it_uses_a_whole_function_override_from_custom_code() -> None:
    pb = simple()
    pb["coa"]["data"]["nodes"]["2"]["customCode"] = "def geolocate_ip_1(**kwargs):\n    return 42\n"
    fn = functions(compile_playbook(pb).source)["geolocate_ip_1"]
    assert ast.unparse(fn.body[0]) == "return 42"


def test_it_saves_outputs_of_an_input_playbook_in_on_finish() -> None:
    pb = playbook(
        [code("2", "c", outputs=["v"])],
        [edge("0", "2"), edge("2", "1")],
        playbook_type="data",
        input_spec=[{"contains": [], "description": "", "name": "ip"}],
        output_spec=[
            {
                "contains": [],
                "datapaths": ["c:custom_function:v"],
                "deduplicate": False,
                "description": "",
                "metadata": {},
                "name": "Result",
            }
        ],
    )
    fin = functions(compile_playbook(pb).source)["on_finish"]
    assert calls(fin, "save_playbook_output_data") and calls(fin, "get_run_data")
    assert "{'result': c__v}" in ast.unparse(fin)


def test_it_loops_an_action_with_an_enabled_loop() -> None:
    a = action("2", "poll", job="x")
    a["data"]["loop"] = {
        "enabled": True,
        "exitLoopAfter": 3,
        "exitAfterValue": 1,
        "exitAfterUnit": "m",
        "pauseValue": 10,
        "pauseUnit": "s",
        "exitConditionEnabled": True,
        "conditions": [],
    }
    fns = functions(compile_playbook(playbook([a, code("3", "next_step")], [edge("0", "2"), edge("2", "3")])).source)
    assert kw(calls(fns["poll"], "act")[0], "callback") == "loop_poll"
    assert {n.id for n in ast.walk(fns["loop_poll"]) if isinstance(n, ast.Name)} >= {"poll", "next_step"}
    assert '"max_ttl": 60' in ast.unparse(fns["poll"]).replace("'", '"')


def test_a_callee_lookup_orders_child_playbook_inputs_like_the_callee_declares_them() -> None:
    child = node(
        "2", "playbook", "playbook_child_1", playbookName="child", playbookRepoName="local", playbookType="data",
        synchronous=True, inputs={"a": {"datapaths": ["artifact:*.cef.a"]}, "b": {"datapaths": ["artifact:*.cef.b"]}},
    )  # fmt: skip
    pb = playbook([child], [edge("0", "2")])
    default = compile_playbook(pb).source
    assert default.index('"artifact:*.cef.a"') < default.index('"artifact:*.cef.b"')  # JSON (sorted) order
    callee = {"coa": {"input_spec": [{"name": "b"}, {"name": "a"}]}}
    ordered = compile_playbook(
        pb, playbook_lookup=lambda repo, name: callee if (repo, name) == ("local", "child") else None
    ).source
    assert ordered.index('"artifact:*.cef.b"') < ordered.index('"artifact:*.cef.a"')
