from __future__ import annotations

import pytest

from engine.runtime.evaluate import DatapathError, InMemoryDataSource, collect, collect2, condition


def test_it_zips_artifact_columns_row_by_row(source: InMemoryDataSource) -> None:
    rows = collect2(source, ["artifact:*.cef.destinationAddress", "artifact:*.id"], scope="all")
    assert rows == [["1.1.1.1", 101], ["8.8.8.8", 102], [None, 103]]


def test_it_uses_the_runs_new_artifacts_by_default(source: InMemoryDataSource) -> None:
    assert collect2(source, ["artifact:*.id"]) == [[102], [103]]


def test_it_keeps_only_artifacts_with_a_requested_tag(source: InMemoryDataSource) -> None:
    assert collect2(source, ["artifact:*.id"], scope="all", tags=["dns", "other"]) == [[102]]


def test_it_caps_artifacts_at_the_limit(source: InMemoryDataSource) -> None:
    assert collect2(source, ["artifact:*.id"], scope="all", limit=2) == [[101], [102]]


def test_it_caps_artifacts_at_two_thousand_by_default() -> None:
    many = InMemoryDataSource(artifact_list=[{"id": i, "cef": {}} for i in range(1, 2502)])
    assert len(collect2(many, ["artifact:*.id"], scope="all")) == 2000
    assert len(collect2(many, ["artifact:*.id"], scope="all", limit=0)) == 2501


def test_it_gives_one_row_per_data_item_and_repeats_the_other_columns(source: InMemoryDataSource) -> None:
    rows = collect2(
        source,
        [
            "geolocate_ip_1:action_result.parameter.ip",
            "geolocate_ip_1:action_result.data.*.city_name",
            "geolocate_ip_1:action_result.status",
            "geolocate_ip_1:action_result.parameter.context.artifact_id",
        ],
    )
    assert rows == [
        ["1.1.1.1", "Research", "success", 101],
        ["8.8.8.8", "Mountain View", "success", 102],
        ["8.8.8.8", "Ashburn", "success", 102],
        ["10.0.0.1", None, "failed", None],
    ]


def test_it_keeps_a_row_with_none_for_an_action_result_without_data(source: InMemoryDataSource) -> None:
    rows = collect2(source, ["geolocate_ip_1:action_result.data.*.country_name"])
    assert rows[-1] == [None]


def test_it_zips_two_star_columns_of_the_same_result_element_by_element(source: InMemoryDataSource) -> None:
    rows = collect2(
        source, ["geolocate_ip_1:action_result.data.*.city_name", "geolocate_ip_1:action_result.data.*.country_name"]
    )
    assert rows[1:3] == [["Mountain View", "United States"], ["Ashburn", "United States"]]


def test_it_lines_up_the_artifact_an_action_ran_on_with_its_result(source: InMemoryDataSource) -> None:
    rows = collect2(
        source,
        [
            "geolocate_ip_1:action_result.parameter.ip",
            "geolocate_ip_1:artifact:*.name",
            "geolocate_ip_1:summary.total_objects",
        ],
    )
    assert rows == [["1.1.1.1", "proxy event", 3], ["8.8.8.8", "dns event", 3], ["10.0.0.1", None, 3]]


def test_it_gives_one_row_per_custom_function_output_element(source: InMemoryDataSource) -> None:
    assert collect2(source, ["dedup_users:custom_function_result.data.*.item"]) == [["alice"], ["bob"]]
    assert collect2(
        source, ["list_demux:custom_function_result.data.output.value", "list_demux:custom_function_result.success"]
    ) == [["a", True], [None, False]]


def test_it_gives_one_row_per_playbook_input_value(source: InMemoryDataSource) -> None:
    assert collect2(source, ["playbook_input:user"]) == [["alice"], [""], ["bob"]]


def test_it_gives_one_row_per_child_output_element(source: InMemoryDataSource) -> None:
    rows = collect2(
        source, ["dispatch:playbook_output:observable.value", "dispatch:playbook_output:observable.reputation.score_id"]
    )
    assert rows == [["1.1.1.1", 7], ["evil.example", 1]]


def test_it_gives_a_single_row_for_the_container(source: InMemoryDataSource) -> None:
    assert collect2(source, ["container:id", "container:name"]) == [[7, "Phishing report"]]


def test_it_pads_columns_of_different_sources_with_none(source: InMemoryDataSource) -> None:
    rows = collect2(source, ["container:id", "artifact:*.id"], scope="all")
    assert rows == [[7, 101], [None, 102], [None, 103]]


def test_it_returns_no_rows_for_no_items(source: InMemoryDataSource) -> None:
    assert collect2(source, ["never_ran:action_result.parameter.ip"]) == []
    assert collect2(source, []) == []


def test_it_reads_classic_callback_artifacts_and_results(source: InMemoryDataSource) -> None:
    artifacts = [{"id": 5, "cef": {"bytesIn": 10}}]
    assert collect2(source, ["filtered-artifact:*.cef.bytesIn"], filter_artifacts=artifacts) == [[10]]
    results = source.results_by_block["geolocate_ip_1"]
    rows = collect2(source, ["geolocate_ip_1:filtered-action_result.parameter.ip"], action_results=results)
    assert rows == [["1.1.1.1"], ["8.8.8.8"], ["10.0.0.1"]]


def test_it_raises_a_clear_error_for_a_malformed_datapath(source: InMemoryDataSource) -> None:
    with pytest.raises(DatapathError, match="unknown root"):
        collect2(source, ["geolocate_ip_1:action_results.data"])


def test_collect_returns_the_flat_values_of_one_datapath(source: InMemoryDataSource) -> None:
    assert collect(source, "artifact:*.cef.destinationAddress", scope="all") == ["1.1.1.1", "8.8.8.8", None]
    assert collect(source, ["geolocate_ip_1:action_result.status"]) == ["success", "success", "failed"]


def test_it_appends_the_artifact_id_column_generated_action_code_reads_last(source: InMemoryDataSource) -> None:
    source.filtered_sets["f:condition_1"] = condition(
        source, [["artifact:*.cef.risk", ">", 0]], scope="all"
    ).filtered_set
    rows = collect2(
        source,
        ["filtered-data:f:condition_1:artifact:*.cef.destinationAddress", "filtered-data:f:condition_1:artifact:*.id"],
    )
    assert [(item[0], item[-1]) for item in rows] == [("1.1.1.1", 101), ("8.8.8.8", 102)]
