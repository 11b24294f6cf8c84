"""Each classic cell type becomes its modern block with its configuration carried over."""

from __future__ import annotations

from typing import Any

from classickit import action, cell, decision, end, link, playbook, start

from editor.classic import Conversion, convert_classic


def nodes_by_name(conversion: Conversion) -> dict[str, dict[str, Any]]:
    return {n["data"]["functionName"]: n for n in conversion.playbook["coa"]["data"]["nodes"].values()}


def edges(conversion: Conversion) -> list[tuple[str, str, Any]]:
    by_id = {k: n["data"]["functionName"] for k, n in conversion.playbook["coa"]["data"]["nodes"].items()}
    return [(by_id[e["sourceNode"]], by_id[e["targetNode"]], e.get("conditions"))
            for e in conversion.playbook["coa"]["data"]["edges"]]


def test_it_converts_an_action_with_its_app_assets_and_parameter_datapaths() -> None:
    conv = convert_classic(playbook(start(), action("geolocate_ip_1", 1, custom_name="geo", notes="why"), end(),
                                    link("id-start", "geolocate_ip_1"), link("geolocate_ip_1", "id-end")))
    node = nodes_by_name(conv)["geolocate_ip_1"]
    assert node["type"] == "action" and node["id"] == "2"
    data = node["data"]
    assert data["action"] == "geolocate ip" and data["connector"] == "MaxMind"
    assert data["connectorConfigs"] == ["maxmind"]
    assert data["parameters"] == {"ip": "artifact:*.cef.sourceAddress"}
    assert data["requiredParameters"] == ["ip"]
    assert data["advanced"]["customName"] == "geo" and data["advanced"]["note"] == "why"
    assert 'phantom.act("geolocate ip"' in (conv.source or "")
    assert conv.report.status == "converted"


def test_it_runs_an_action_with_several_assets_as_one_block_and_says_so() -> None:
    conv = convert_classic(playbook(start(), action("hunt_file_1", 1, act="hunt file", assets=("cb", "cylance")), end(),
                                    link("id-start", "hunt_file_1")))
    node = nodes_by_name(conv)["hunt_file_1"]
    assert node["data"]["connectorConfigs"] == ["cb", "cylance"]
    assert 'assets=["cb", "cylance"]' in (conv.source or "")
    block = conv.report.block("hunt_file_1")
    assert block is not None and block.status == "converted-with-changes"
    assert any("2 assets" in c and "refuses" in c for c in block.changes)


def api_code(name: str, call: str) -> str:
    return f"def {name}(action=None, success=None, container=None, results=None, handle=None, **kwargs):\n" \
           f"    {call}\n    return"


def test_it_joins_two_decision_branches_that_lead_to_the_same_block() -> None:
    conv = convert_classic(playbook(
        start(), action("ip_reputation_1", 1, act="ip reputation"),
        decision("decision_1", 2, [("ip_reputation_1:action_result.summary.x", "==", "bad"),
                                   ("ip_reputation_1:action_result.summary.x", "==", "unknown")]),
        # The classic code makes the calls its settings describe (the behaviour check counts them).
        cell("API", "set_severity_1", 3, configured=[{"key": "set-severity", "setSeveritySeverity": "high"}],
             block_code=api_code("set_severity_1", 'phantom.set_severity(container=container, severity="high")')),
        cell("API", "set_severity_2", 4, configured=[{"key": "set-severity", "setSeveritySeverity": "low"}],
             block_code=api_code("set_severity_2", 'phantom.set_severity(container=container, severity="low")')),
        end(),
        link("id-start", "ip_reputation_1"), link("ip_reputation_1", "decision_1"),
        link("decision_1", "set_severity_1", 1), link("decision_1", "set_severity_1", 2),
        link("decision_1", "set_severity_2", 3)))
    wired = edges(conv)
    assert ("decision_1", "set_severity_1", [{"index": 0}]) in wired
    assert ("decision_1", "decision_1_branch_2", [{"index": 1}]) in wired
    assert ("decision_1_branch_2", "set_severity_1", None) in wired
    assert ("decision_1", "set_severity_2", [{"index": 2}]) in wired
    source = conv.source or ""
    assert "def join_set_severity_1(" in source
    assert 'phantom.completed(action_names=["ip_reputation_1"])' in source
    block = conv.report.block("decision_1")
    assert block is not None and any("join" in c for c in block.changes)
    assert conv.report.behaviour["same"]


def test_it_carries_filter_conditions_with_their_logic_and_branches() -> None:
    outputs = [{"type": "if", "logic": "or", "conditions": [
        {"param": "artifact:*.cef.a", "comparison": "==", "value": "1"},
        {"param": "artifact:*.cef.b", "comparison": "in", "value": "custom_list:bad"}]}]
    conv = convert_classic(playbook(start(), cell("Filter", "filter_1", 1, outputs=outputs), action("geo", 2), end(),
                                    link("id-start", "filter_1"), link("filter_1", "geo", 1)))
    data = nodes_by_name(conv)["filter_1"]["data"]
    cond = data["conditions"][0]
    assert cond["logic"] == "or" and cond["conditionIndex"] == 0
    assert [(c["param"], c["op"], c["value"]) for c in cond["comparisons"]] == [
        ("artifact:*.cef.a", "==", "1"), ("artifact:*.cef.b", "in", "custom_list:bad")]
    assert ("filter_1", "geo", [{"index": 0}]) in edges(conv)
    assert 'logical_operator="or"' in (conv.source or "")


def test_it_carries_a_format_template_with_parameters_in_position_order_and_separator() -> None:
    params = [{"position": 1, "value": "geo:action_result.data.*.city"}, {"position": 0, "value": "artifact:*.cef.x"}]
    conv = convert_classic(playbook(start(), cell("Format", "format_1", 1, template="{0} in {1}", parameters=params,
                                                  delimiter=", "), end(), link("id-start", "format_1")))
    data = nodes_by_name(conv)["format_1"]["data"]
    assert data["template"] == "{0} in {1}"
    assert data["parameters"] == ["artifact:*.cef.x", "geo:action_result.data.*.city"]
    assert data["advanced"]["separator"] == ", "


def test_it_turns_a_legacy_prompt_into_prompt2_and_rewrites_its_answer_datapath() -> None:
    conv = convert_classic(playbook(
        start(), cell("Prompt", "prompt_1", 1, approver="admin", message="Block {0}?", respond_in="15",
                      parameters=[{"position": 0, "value": "artifact:*.cef.ip"}], response_key="Yes/No",
                      response_options=["Yes", "No"]),
        decision("decision_1", 2, [("prompt_1:action_result.summary.response", "==", "Yes")], with_else=False), end(),
        link("id-start", "prompt_1"), link("prompt_1", "decision_1")))
    nodes = nodes_by_name(conv)
    prompt = nodes["prompt_1"]["data"]
    assert prompt["approver"] == "admin" and prompt["responseTime"] == 15
    assert prompt["responses"] == [{"responsePrompt": "", "responseType": "yes/no", "responseOptions": ["Yes", "No"]}]
    comparison = nodes["decision_1"]["data"]["conditions"][0]["comparisons"][0]
    assert comparison["param"] == "prompt_1:action_result.summary.responses.0"
    block = conv.report.block("prompt_1")
    assert block is not None and any("prompt2" in c for c in block.changes)


def test_it_splits_an_api_block_with_two_calls_into_a_chain() -> None:
    configured = [{"key": "set-sensitivity", "setSensitivitySensitivity": "white"},
                  {"key": "set-severity", "setSeveritySeverity": "low"}]
    conv = convert_classic(playbook(start(), cell("API", "deescalate", 1, configured=configured), end(),
                                    link("id-start", "deescalate"), link("deescalate", "id-end")))
    nodes = nodes_by_name(conv)
    assert nodes["deescalate"]["data"]["values"] == {"set_sensitivity": {"sensitivity": "white",
                                                                         "_internal": ["container"]}}
    assert nodes["deescalate_2"]["data"]["values"]["set_severity"]["severity"] == "low"
    assert ("deescalate", "deescalate_2", None) in edges(conv)
    assert ("deescalate_2", "on_finish", None) in edges(conv)
    source = conv.source or ""
    assert 'phantom.set_sensitivity(container=container, sensitivity="white")' in source
    assert 'phantom.set_severity(container=container, severity="low")' in source


def test_it_maps_a_schema_2_container_update_to_its_api_block() -> None:
    conv = convert_classic(playbook(start(), cell("API", "resolve", 1, configured=[{"name": "status", "value": "closed"}]),
                                    end(), link("id-start", "resolve")))
    assert nodes_by_name(conv)["resolve"]["data"]["values"]["set_status"]["status"] == "closed"


def test_it_carries_a_legacy_function_block_as_a_code_block_with_its_user_code() -> None:
    block_code = '''def count_ips(action=None, success=None, container=None, results=None, handle=None, filtered_artifacts=None, filtered_results=None, custom_function=None, **kwargs):
    phantom.debug('count_ips() called')
    container_data = phantom.collect2(container=container, datapath=['artifact:*.cef.ip'])
    container_item_0 = [item[0] for item in container_data]

    count_ips__total = None

    ################################################################################
    ## Custom Code Start
    ################################################################################
    count_ips__total = len(container_item_0)
    ################################################################################
    ## Custom Code End
    ################################################################################
    return'''
    conv = convert_classic(playbook(
        start(), cell("FunctionBlock", "count_ips", 1, parameters=[{"position": 0, "value": "artifact:*.cef.ip"}],
                      outputVariables=[{"position": 0, "value": "total"}], block_code=block_code,
                      userGeneratedCode="    count_ips__total = len(container_item_0)\n"), end(),
        link("id-start", "count_ips")))
    node = nodes_by_name(conv)["count_ips"]
    assert node["type"] == "code"
    assert node["data"]["inputParameters"] == ["artifact:*.cef.ip"] and node["data"]["outputVariables"] == ["total"]
    assert "container_item_0 = [item[0] for item in container_data]" in node["userCode"]
    assert node["userCode"].rstrip().endswith("count_ips__total = len(container_item_0)")
    assert 'phantom.save_run_data(key="count_ips:total"' in (conv.source or "")


def test_it_carries_a_custom_function_block_with_its_inputs() -> None:
    conv = convert_classic(playbook(
        start(), cell("CustomFunctionBlock", "dedup", 1, customFunction="community/list_deduplicate",
                      cfInputs={"input_list": {"dataPath": "artifact:*.cef.ip", "type": "list"}},
                      selectedCustomFunction={"description": "d", "inputs": [
                          {"name": "input_list", "input_type": "list", "contains_type": ["*"]}]},
                      userGeneratedCode="    # Write your custom code here..."), end(), link("id-start", "dedup")))
    data = nodes_by_name(conv)["dedup"]["data"]
    assert data["utilityType"] == "custom_function"
    assert data["customFunction"] == {"draftMode": False, "name": "list_deduplicate", "repoName": "community"}
    assert data["values"] == {"list_deduplicate": {"input_list": ["artifact:*.cef.ip"]}}
    assert 'custom_function="community/list_deduplicate"' in (conv.source or "")


def test_it_calls_a_child_playbook_from_a_playbook_block() -> None:
    conv = convert_classic(playbook(start(), cell("CallPlaybook", "playbook_local_child_1", 1, playbook="local/child"),
                                    end(), link("id-start", "playbook_local_child_1")))
    data = nodes_by_name(conv)["playbook_local_child_1"]["data"]
    assert (data["playbookRepoName"], data["playbookName"], data["synchronous"]) == ("local", "child", False)
    assert 'phantom.playbook("local/child", container=container)' in (conv.source or "")


def test_it_keeps_a_manual_task_as_a_code_block_that_creates_the_task() -> None:
    conv = convert_classic(playbook(start(), cell("Task", "task_1", 1, approver="admin", message="Call HR",
                                                  respond_in="30"), end(), link("id-start", "task_1")))
    node = nodes_by_name(conv)["task_1"]
    assert node["type"] == "code" and "phantom.task(user=\"admin\"" in node["userCode"]
    block = conv.report.block("task_1")
    assert block is not None and block.status == "converted-with-changes"


def test_it_turns_join_optional_into_not_required_joins() -> None:
    conv = convert_classic(playbook(
        start(), action("a_1", 1), action("b_1", 2), action("c_1", 3, join_optional=["b_1"]), end(),
        link("id-start", "a_1"), link("id-start", "b_1"), link("a_1", "c_1"), link("b_1", "c_1")))
    assert nodes_by_name(conv)["c_1"]["data"]["advanced"]["notRequiredJoins"] == ["b_1"]
    assert 'phantom.completed(action_names=["a_1"])' in (conv.source or "")
