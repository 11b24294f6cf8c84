from __future__ import annotations

import json

import pytest

from engine.runtime.evaluate import FilteredSet, InMemoryDataSource, collect2, condition


def test_it_keeps_the_artifacts_that_satisfy_the_condition(source: InMemoryDataSource) -> None:
    outcome = condition(source, [["artifact:*.cef.risk", ">", 50]], scope="all", name="f:condition_1")
    assert [a["id"] for a in outcome.matched_artifacts] == [101]
    assert outcome.matched_results == []
    assert outcome.filtered_set.artifact_ids == (101,)


def test_it_unpacks_like_soars_matched_artifacts_and_results(source: InMemoryDataSource) -> None:
    matched_artifacts, matched_results = condition(source, [["artifact:*.cef.risk", ">", 0]], scope="all")
    assert [a["id"] for a in matched_artifacts] == [101, 102] and matched_results == []


def test_it_matches_nothing_when_no_artifact_passes(source: InMemoryDataSource) -> None:
    outcome = condition(source, [["artifact:*.cef.risk", ">", 1000]], scope="all")
    assert not outcome.matched and outcome.filtered_set == FilteredSet()


def test_it_requires_every_row_with_and(source: InMemoryDataSource) -> None:
    rows = [["artifact:*.cef.destinationAddress", "!=", ""], ["artifact:*.severity", "==", "low"]]
    assert [a["id"] for a in condition(source, rows, "and", scope="all").matched_artifacts] == [102]


def test_it_accepts_any_row_with_or(source: InMemoryDataSource) -> None:
    rows = [["artifact:*.cef.suser", "!=", ""], ["artifact:*.severity", "==", "high"]]
    assert [a["id"] for a in condition(source, rows, "or", scope="all").matched_artifacts] == [101, 103]


def test_it_filters_action_results_and_keeps_the_app_run_shape(source: InMemoryDataSource) -> None:
    outcome = condition(source, [["geolocate_ip_1:action_result.status", "==", "success"]], name="f:condition_1")
    assert len(outcome.matched_results) == 1
    run = outcome.matched_results[0]
    assert run["app_run_id"] == 51 and run["asset"] == "maxmind"
    assert [r["parameter"]["ip"] for r in run["action_results"]] == ["1.1.1.1", "8.8.8.8"]
    assert outcome.matched_artifacts == []


def test_it_matches_an_action_result_when_any_data_item_matches(source: InMemoryDataSource) -> None:
    outcome = condition(source, [["geolocate_ip_1:action_result.data.*.city_name", "==", "Ashburn"]])
    assert [r["parameter"]["ip"] for r in outcome.matched_results[0]["action_results"]] == ["8.8.8.8"]


def test_its_filtered_set_feeds_filtered_data_datapaths(source: InMemoryDataSource) -> None:
    outcome = condition(
        source, [["geolocate_ip_1:action_result.summary.country", "==", "United States"]], name="f:condition_1"
    )
    source.filtered_sets["f:condition_1"] = outcome.filtered_set
    rows = collect2(
        source,
        [
            "filtered-data:f:condition_1:geolocate_ip_1:action_result.parameter.ip",
            "filtered-data:f:condition_1:geolocate_ip_1:action_result.data.*.city_name",
        ],
    )
    assert rows == [["8.8.8.8", "Mountain View"], ["8.8.8.8", "Ashburn"]]


def test_it_filters_playbook_inputs_by_value(source: InMemoryDataSource) -> None:
    outcome = condition(source, [["playbook_input:user", "!=", ""]], name="username_filter:condition_1")
    assert outcome.filtered_set.values == {"playbook_input:user": ["alice", "bob"]}
    source.filtered_sets["username_filter:condition_1"] = outcome.filtered_set
    assert collect2(source, ["filtered-data:username_filter:condition_1:playbook_input:user"]) == [["alice"], ["bob"]]


def test_it_filters_custom_function_invocations(source: InMemoryDataSource) -> None:
    outcome = condition(
        source,
        [
            ["list_demux:custom_function_result.success", "==", True],
            ["list_demux:custom_function_result.message", "!=", "Timed out while waiting for the result"],
        ],
        "and",
    )
    assert outcome.filtered_set.values["custom_function_result:list_demux"][0]["data"]["output"]["value"] == "a"
    assert len(outcome.filtered_set.values["custom_function_result:list_demux"]) == 1


def test_it_filters_child_playbook_outputs(source: InMemoryDataSource) -> None:
    outcome = condition(
        source, [["dispatch:playbook_output:observable.reputation.score_id", ">=", 5]], name="d:condition_1"
    )
    source.filtered_sets["d:condition_1"] = outcome.filtered_set
    assert collect2(source, ["filtered-data:d:condition_1:dispatch:playbook_output:observable.value"]) == [["1.1.1.1"]]


def test_it_refilters_an_already_filtered_set(source: InMemoryDataSource) -> None:
    source.filtered_sets["f:condition_1"] = condition(
        source, [["artifact:*.cef.risk", ">", 0]], scope="all"
    ).filtered_set
    second = condition(source, [["filtered-data:f:condition_1:artifact:*.severity", "==", "high"]])
    assert [a["id"] for a in second.matched_artifacts] == [101]


def test_it_tests_a_literal_against_a_list_valued_datapath(source: InMemoryDataSource) -> None:
    outcome = condition(source, [["high_threat", "in", "artifact:*.tags"]], scope="all")
    assert [a["id"] for a in outcome.matched_artifacts] == [101]


def test_it_tests_membership_in_a_custom_list(source: InMemoryDataSource) -> None:
    kept = condition(source, [["playbook_input:user", "in", "custom_list:allowlist"]])
    dropped = condition(source, [["playbook_input:user", "not in", "custom_list:allowlist"]])
    assert kept.filtered_set.values["playbook_input:user"] == ["alice"]
    assert dropped.filtered_set.values["playbook_input:user"] == ["", "bob"]


def test_it_correlates_an_action_artifact_with_container_artifacts(source: InMemoryDataSource) -> None:
    outcome = condition(
        source,
        [["geolocate_ip_1:artifact:*.cef.destinationAddress", "==", "artifact:*.cef.destinationAddress"]],
        scope="all",
    )
    assert [r["parameter"]["ip"] for r in outcome.matched_results[0]["action_results"]] == ["1.1.1.1", "8.8.8.8"]


def test_it_gates_items_on_container_rows_with_and(source: InMemoryDataSource) -> None:
    rows = [["artifact:*.cef.risk", ">", 0], ["container:status", "==", "closed"]]
    assert condition(source, rows, "and", scope="all").matched_artifacts == []
    rows[1][2] = "open"
    assert len(condition(source, rows, "and", scope="all").matched_artifacts) == 2


def test_it_keeps_every_artifact_in_scope_when_only_the_container_is_tested(source: InMemoryDataSource) -> None:
    outcome = condition(source, [["container:severity", "==", "medium"]])
    assert [a["id"] for a in outcome.matched_artifacts] == [102, 103]


def test_its_filtered_set_survives_a_json_round_trip(source: InMemoryDataSource) -> None:
    fs = condition(
        source,
        [["geolocate_ip_1:action_result.status", "==", "success"], ["artifact:*.cef.risk", ">", 0]],
        "or",
        scope="all",
    ).filtered_set
    assert FilteredSet.from_json(json.loads(json.dumps(fs.to_json()))) == fs


def test_it_traces_every_comparison_with_the_item_tested(source: InMemoryDataSource) -> None:
    outcome = condition(source, [["artifact:*.cef.risk", ">", 50]], scope="all")
    assert [(t.left, t.operator, t.right, t.outcome, t.item) for t in outcome.trace] == [
        (90, ">", 50, True, 101),
        ("12", ">", 50, False, 102),
        (None, ">", 50, False, 103),
    ]


def test_it_traces_action_results_by_block_app_run_and_index(source: InMemoryDataSource) -> None:
    outcome = condition(source, [["geolocate_ip_1:action_result.status", "==", "failed"]])
    assert [t.item for t in outcome.trace if t.outcome] == ["geolocate_ip_1/51/2"]


def test_it_honours_case_insensitivity_and_the_delimiter(source: InMemoryDataSource) -> None:
    outcome = condition(
        source, [["artifact:*.label", "in", "REPORT, other"]], scope="all", case_sensitive=False, delimiter=","
    )
    assert [a["id"] for a in outcome.matched_artifacts] == [103]


@pytest.mark.parametrize("bad", [[["artifact:*.id", "=="]], [["artifact:*.id", "~", 1]], ["artifact:*.id"]])
def test_it_rejects_malformed_condition_rows(source: InMemoryDataSource, bad: list[object]) -> None:
    with pytest.raises(ValueError):
        condition(source, bad)  # type: ignore[arg-type]


def test_it_rejects_an_unknown_logical_operator(source: InMemoryDataSource) -> None:
    with pytest.raises(ValueError, match="logical_operator"):
        condition(source, [["artifact:*.id", "==", 1]], "xor")


def test_its_outcome_exposes_the_names_the_runtime_binding_reads(source: InMemoryDataSource) -> None:
    outcome = condition(source, [["artifact:*.cef.risk", ">", 50]], scope="all")
    assert outcome.filtered is outcome.filtered_set
    entry = outcome.trace[0]
    assert (
        vars(entry)
        == entry.as_dict()
        == {"condition": 0, "left": 90, "operator": ">", "right": 50, "outcome": True, "item": 101}
    )
