"""Per-block templates (soar-format.md §3.6): the phantom.* call each block makes."""

from __future__ import annotations

import ast
from typing import Any

from pbkit import action, code, edge, node, playbook

from editor.compiler import compile_playbook


def fn(pb: dict[str, Any], name: str) -> str:
    tree = ast.parse(compile_playbook(pb).source)
    return ast.unparse(next(f for f in tree.body if isinstance(f, ast.FunctionDef) and f.name == name))


def single(block: dict[str, Any], **kw: Any) -> dict[str, Any]:
    return playbook([block], [edge("0", block["id"])], **kw)


def test_format_passes_separator_drop_none_and_scope_only_when_set() -> None:
    f = node("2", "format", "fmt", template="{0}", parameters=["artifact:*.cef.ip"])
    assert (
        fn(single(f), "fmt").count(
            "phantom.format(container=container, template=template, parameters=parameters, name='fmt')"
        )
        == 1
    )
    f["data"]["advanced"].update({"separator": ", ", "drop_none": False, "scope": "all"})
    assert "name='fmt', scope='all', separator=', ', drop_none=False)" in fn(single(f), "fmt")


def test_api_utility_calls_the_api_with_its_values_and_can_refresh_the_container() -> None:
    api = node("2", "utility", "set_status_1", utilityType="api", utilities={"set_status": {"fields": []}},
               values={"set_status": {"status": "closed", "_internal": ["container"]}})  # fmt: skip
    api["data"]["advanced"]["refreshNotableData"] = True
    body = fn(single(api), "set_status_1")
    assert "phantom.set_status(container=container, status='closed')" in body
    assert "container = phantom.get_container(container.get('id', None))" in body


def test_custom_function_item_inputs_iterate_rows_and_list_inputs_take_columns() -> None:
    cf = node("2", "utility", "merge_1", utilityType="custom_function",
              customFunction={"name": "list_merge", "repoName": "community"},
              utilities={"list_merge": {"fields": [{"name": "input_1", "inputType": "list"},
                                                    {"name": "input_2", "inputType": "item"}]}},
              values={"list_merge": {"input_1": ["artifact:*.cef.a"], "input_2": "playbook_input:x"}})  # fmt: skip
    body = fn(single(cf), "merge_1")
    assert "for playbook_input_x_item in playbook_input_x:" in body
    assert "'input_1': container_artifact_cef_item_0, 'input_2': playbook_input_x_item[0]" in body
    assert (
        "phantom.custom_function(custom_function='community/list_merge', parameters=parameters, name='merge_1')" in body
    )


def test_synchronous_child_playbooks_call_back_and_asynchronous_ones_continue_at_once() -> None:
    def child(sync: bool) -> dict[str, Any]:
        pb = node("2", "playbook", "playbook_x_1", playbookName="x", playbookRepoName="local",
                  playbookType="automation", synchronous=sync)  # fmt: skip
        return playbook([pb, code("3", "after")], [edge("0", "2"), edge("2", "3")])

    sync = fn(child(True), "playbook_x_1")
    assert "phantom.playbook('local/x', container=container, name='playbook_x_1', callback=after)" in sync
    fire_and_forget = fn(child(False), "playbook_x_1")
    assert "phantom.playbook('local/x', container=container)" in fire_and_forget
    assert "after(container=container)" in fire_and_forget


def test_data_playbook_inputs_concatenate_several_sources_and_wrap_literals() -> None:
    pb = node("2", "playbook", "playbook_x_1", playbookName="x", playbookRepoName="local", playbookType="data",
              synchronous=True, inputs={"ip": {"datapaths": ["artifact:*.cef.a", "artifact:*.cef.b"], "deduplicate": True},
                                        "tag": {"datapaths": ["blocked"], "deduplicate": False}})  # fmt: skip
    body = fn(single(pb), "playbook_x_1")
    assert (
        "ip_combined_value = phantom.concatenate(container_artifact_cef_item_0, container_artifact_cef_item_1, dedup=True)"
        in body
    )
    assert "inputs = {'ip': ip_combined_value, 'tag': ['blocked']}" in body
    assert "inputs=inputs)" in body


def test_prompt_asks_the_approver_with_typed_responses() -> None:
    p = node("2", "prompt", "ask", approver="Incident Commander", message="Block {0}?", parameters=["artifact:*.cef.ip"],
             responseTime=45, responses=[{"responsePrompt": "Ok?", "responseType": "yes/no", "responseOptions": ["Yes", "No"]}])  # fmt: skip
    body = fn(single(p), "ask")
    assert "user = 'Incident Commander'" in body and "message = 'Block {0}?'" in body
    assert "respond_in_mins=45, name='ask'" in body
    assert "'options': {'type': 'list', 'choices': ['Yes', 'No']}" in body


def test_decision_passes_case_sensitivity_and_the_builds_delimiter() -> None:
    d = node("2", "decision", "d", conditions=[
        {"comparisons": [{"op": "==", "param": "artifact:*.cef.a", "value": "x"}], "logic": "and", "type": "if"}])  # fmt: skip
    d["data"]["advanced"].update({"case_sensitive": False, "delimiter": ",", "delimiter_enabled": True})
    assert "case_sensitive=False, delimiter=','" in fn(single(d, version="6.1.0.131"), "d")
    assert "delimiter" not in fn(single(d, version="6.0.0.114895"), "d")


def test_a_join_with_optional_inputs_runs_once() -> None:
    pb = playbook([action("2", "a"), action("3", "b"), code("4", "c")],
                  [edge("0", "2"), edge("0", "3"), edge("2", "4"), edge("3", "4")])  # fmt: skip
    pb["coa"]["data"]["nodes"]["4"]["data"]["advanced"]["notRequiredJoins"] = ["b"]
    body = fn(pb, "join_c")
    assert "if phantom.get_run_data(key='join_c_called'):\n        return" in body
    assert "phantom.completed(action_names=['a'])" in body
    assert "phantom.save_run_data(key='join_c_called', value='c')" in body


def test_on_finish_saves_lower_cased_outputs_and_concatenates_several_sources() -> None:
    pb = playbook([code("2", "c", outputs=["x", "y"])], [edge("0", "2")], playbook_type="data",
                  output_spec=[{"name": "Both", "datapaths": ["c:custom_function:x", "c:custom_function:y"]},
                               {"name": "Const", "datapaths": ["fixed"]}])  # fmt: skip
    body = fn(pb, "on_finish")
    assert "both_combined_value = phantom.concatenate(c__x, c__y)" in body
    assert "output = {'both': both_combined_value, 'const': 'fixed'}" in body


def test_code_blocks_save_each_output_under_block_colon_name() -> None:
    body = fn(single(code("2", "c", outputs=["first", "second"])), "c")
    assert "c__first = None" in body
    assert "phantom.save_run_data(key='c:second', value=json.dumps(c__second))" in body


def test_global_custom_code_gets_its_region_after_the_imports() -> None:
    pb = single(code("2", "c"))
    pb["coa"]["data"]["globalCustomCode"] = "HELPER = 1"
    source = compile_playbook(pb).source
    assert source.index("from datetime import datetime, timedelta") < source.index("## Global Custom Code Start")
    assert "## Global Custom Code Start\n" + "#" * 80 + "\nHELPER = 1\n" + "#" * 80 in source
