"""Blocks load their datapaths the way SOAR does, under the variable names user code
relies on (soar-format.md §3.5)."""

from __future__ import annotations

import ast

from pbkit import action, code, edge, node, playbook

from editor.compiler import compile_playbook


def function_source(pb: dict[str, object], name: str) -> str:
    tree = ast.parse(compile_playbook(pb).source)
    fn = next(f for f in tree.body if isinstance(f, ast.FunctionDef) and f.name == name)
    return ast.unparse(fn)


CONDITION = {"comparisons": [{"op": "!=", "param": "geo:action_result.status", "value": ""}], "logic": "and"}


def code_block(inputs: list[str], version: str = "6.2.0.355") -> str:
    pb = playbook(
        [action("2", "geo"), node("3", "filter", "f", conditions=[CONDITION]), code("4", "c", inputs)],
        [edge("0", "2"), edge("2", "3"), edge("3", "4", 0)],
        version=version,
    )
    return function_source(pb, "c")


def test_direct_action_results_get_parameter_summary_and_item_columns() -> None:
    body = code_block(
        ["geo:action_result.parameter.ip", "geo:action_result.summary.country", "geo:action_result.data.*.city",
         "geo:action_result.message"]
    )  # fmt: skip
    assert "geo_result_data = phantom.collect2(container=container, datapath=['geo:action_result.parameter.ip'" in body
    assert "action_results=results" in body
    for name in ("geo_parameter_ip", "geo_summary_country", "geo_result_item_2", "geo_result_message"):
        assert f"{name} = [item[" in body


def test_filtered_sources_are_numbered_per_kind() -> None:
    body = code_block(
        ["filtered-data:f:condition_1:playbook_input:user", "filtered-data:f:condition_1:geo:action_result.data.*.city"]
    )
    assert "filtered_input_0_user = phantom.collect2" in body
    assert "filtered_result_0_data_f = phantom.collect2" in body
    assert "filtered_result_0_data___city = [item[0] for item in filtered_result_0_data_f]" in body


def test_filtered_artifacts_name_columns_after_the_path() -> None:
    body = code_block(
        ["filtered-data:f:condition_1:artifact:*.cef._score", "filtered-data:f:condition_1:artifact:*.name"]
    )
    assert "filtered_artifact_0__cef__score = [item[0]" in body and "filtered_artifact_0__name = [item[1]" in body


def test_code_outputs_are_read_from_run_data_with_the_builds_idiom() -> None:
    new = code_block(["geo_code:custom_function:out"])
    assert "geo_code__out = json.loads(_ if (_ := phantom.get_run_data(key='geo_code:out')) != '' else 'null')" in new
    old = code_block(["geo_code:custom_function:out"], version="5.3.1.84890")
    assert "geo_code__out = json.loads(phantom.get_run_data(key='geo_code:out'))" in old


def test_format_output_is_read_as_text_or_as_a_list() -> None:
    body = code_block(["fmt:formatted_data", "fmt:formatted_data.*"])
    assert "fmt = phantom.get_format_data(name='fmt')" in body
    assert "fmt__as_list = phantom.get_format_data(name='fmt__as_list')" in body


def test_container_fields_are_read_with_a_get_chain_that_cannot_raise() -> None:
    body = code_block(["container:data.summary.user", "literal text"])
    assert "data_summary_user_value = container.get('data', {}).get('summary', {}).get('user', None)" in body
    assert "input_parameter_1 = 'literal text'" in body


def test_actions_tie_rows_to_artifacts_through_the_context() -> None:
    pb = playbook([action("2", "geo", ip="artifact:*.cef.ip")], [edge("0", "2")])
    body = function_source(pb, "geo")
    assert "datapath=['artifact:*.cef.ip', 'artifact:*.id']" in body
    assert "'context': {'artifact_id': container_artifact_data_item[1]}" in body
    assert "if container_artifact_data_item[0] is not None:" in body


def test_block_names_that_would_make_bad_locals_are_prefixed() -> None:
    body = code_block(["9lives:custom_function:x", "class:formatted_data", "json:formatted_data"])
    assert "v_9lives__x = " in body and "v_class = phantom.get_format_data" in body
    assert "v_json = phantom.get_format_data" in body  # never shadows the json module


def test_scope_all_reaches_every_collect2() -> None:
    pb = playbook([action("2", "geo", ip="artifact:*.cef.ip")], [edge("0", "2")])
    pb["coa"]["data"]["nodes"]["2"]["data"]["advanced"]["scope"] = "all"
    assert "scope='all'" in function_source(pb, "geo")
