from __future__ import annotations

from engine.runtime.evaluate import FilteredSet, InMemoryDataSource, parse_datapath, resolve


def test_it_reads_container_fields_and_nested_container_data(source: InMemoryDataSource) -> None:
    assert resolve(source, "container:id") == [7]
    assert resolve(source, "container:data.summary.user") == ["alice"]
    assert resolve(source, "container:url") == ["https://soar.example/mission/7"]


def test_it_gives_none_for_a_missing_key_instead_of_raising(source: InMemoryDataSource) -> None:
    assert resolve(source, "container:data.nothing.here") == [None]
    assert resolve(source, "artifact:*.cef.nope", scope="all") == [None, None, None]


def test_it_reads_artifact_fields_in_id_order_within_the_scope(source: InMemoryDataSource) -> None:
    assert resolve(source, "artifact:*.id", scope="all") == [101, 102, 103]
    assert resolve(source, "artifact:*.id") == [102, 103]  # "new" = the run's scope
    assert resolve(source, "artifact:*.id", scope=[103, 101]) == [101, 103]


def test_it_reads_artifact_headers_and_cef_types(source: InMemoryDataSource) -> None:
    assert resolve(source, "artifact:*.name", scope=[101]) == ["proxy event"]
    assert resolve(source, "artifact:*.label", scope=[103]) == ["report"]
    assert resolve(source, "artifact:*.cef_types.destinationAddress", scope=[101]) == [["ip"]]
    assert resolve(source, "artifact:*.cef.emailHeaders.Message-ID", scope=[101]) == ["<m1@x>"]
    assert resolve(source, "artifact:*.tags", scope=[101]) == [["high_threat"]]


def test_it_expands_action_result_data_rows(source: InMemoryDataSource) -> None:
    assert resolve(source, "geolocate_ip_1:action_result.data.*.city_name") == [
        "Research",
        "Mountain View",
        "Ashburn",
        None,
    ]


def test_it_reads_parameters_status_message_and_summary(source: InMemoryDataSource) -> None:
    assert resolve(source, "geolocate_ip_1:action_result.parameter.ip") == ["1.1.1.1", "8.8.8.8", "10.0.0.1"]
    assert resolve(source, "geolocate_ip_1:action_result.status") == ["success", "success", "failed"]
    assert resolve(source, "geolocate_ip_1:action_result.message")[2] == "No data"
    assert resolve(source, "geolocate_ip_1:action_result.summary.country") == ["Australia", "United States", None]
    assert resolve(source, "geolocate_ip_1:action_result.parameter.context.artifact_id") == [101, 102, None]


def test_it_indexes_data_lists_with_numbers(source: InMemoryDataSource) -> None:
    assert resolve(source, "geolocate_ip_1:action_result.data.1.city_name") == [None, "Ashburn", None]


def test_it_reads_the_app_run_summary(source: InMemoryDataSource) -> None:
    assert resolve(source, "geolocate_ip_1:summary.total_objects") == [3, 3, 3]


def test_it_reads_the_artifact_an_action_ran_on_through_its_context(source: InMemoryDataSource) -> None:
    assert resolve(source, "geolocate_ip_1:artifact:*.cef.destinationAddress") == ["1.1.1.1", "8.8.8.8", None]


def test_it_gives_no_values_for_a_block_that_never_ran(source: InMemoryDataSource) -> None:
    assert resolve(source, "never_ran:action_result.data.*.x") == []


def test_it_reads_custom_function_results_per_invocation(source: InMemoryDataSource) -> None:
    assert resolve(source, "list_demux:custom_function_result.data.output.value") == ["a", None]
    assert resolve(source, "list_demux:custom_function_result.success") == [True, False]
    assert resolve(source, "list_demux:custom_function_result.message")[1].startswith("Timed out")
    assert resolve(source, "dedup_users:custom_function_result.data.*.item") == ["alice", "bob"]


def test_it_reads_code_block_outputs_one_value_per_list_element(source: InMemoryDataSource) -> None:
    assert resolve(source, "merge_groups:custom_function:list") == ["g1", "g2"]
    assert resolve(source, "sum_score:custom_function:total_score") == [260]


def test_it_reads_format_text_and_rows(source: InMemoryDataSource) -> None:
    assert resolve(source, "note:formatted_data") == ["IPs: 1.1.1.1, 8.8.8.8"]
    assert resolve(source, "note:formatted_data.*") == ["1.1.1.1", "8.8.8.8"]


def test_it_reads_playbook_inputs_one_value_each(source: InMemoryDataSource) -> None:
    assert resolve(source, "playbook_input:user") == ["alice", "", "bob"]
    assert resolve(source, "playbook_input:device") == ["laptop-1"]
    assert resolve(source, "playbook_input:missing") == []


def test_it_reads_child_playbook_outputs_across_list_elements(source: InMemoryDataSource) -> None:
    assert resolve(source, "dispatch:playbook_output:observable.value") == ["1.1.1.1", "evil.example"]
    assert resolve(source, "dispatch:playbook_output:observable.reputation.score_id") == [7, 1]
    assert resolve(source, "dispatch:playbook_output:observable.related_observables.*.reputation.score_id") == [2, None]


def test_it_reads_the_inputs_a_playbook_block_passed_to_its_child(source: InMemoryDataSource) -> None:
    assert resolve(source, "purge:playbook_input:email") == ["a@example.com"]


def test_it_flattens_a_custom_list_into_its_cells(source: InMemoryDataSource) -> None:
    assert resolve(source, "custom_list:allowlist") == ["alice", "admin", "carol", None]


def test_it_restricts_filtered_data_paths_to_the_stored_set(source: InMemoryDataSource) -> None:
    run = source.results_by_block["geolocate_ip_1"][0]
    source.filtered_sets["f:condition_1"] = FilteredSet(
        artifact_ids=(103,),
        results={"geolocate_ip_1": [{**run, "action_results": run["action_results"][1:2]}]},
        values={"playbook_input:user": ["bob"]},
    )
    assert resolve(source, "filtered-data:f:condition_1:artifact:*.cef.suser") == ["bob@example.com"]
    assert resolve(source, "filtered-data:f:condition_1:geolocate_ip_1:action_result.data.*.city_name") == [
        "Mountain View",
        "Ashburn",
    ]
    assert resolve(source, "filtered-data:f:condition_1:playbook_input:user") == ["bob"]
    assert resolve(source, "filtered-data:other:condition_1:artifact:*.id") == []


def test_it_prefers_the_callback_results_when_given(source: InMemoryDataSource) -> None:
    only = [{"name": "geolocate_ip_1", "action_results": [{"status": "success", "parameter": {"ip": "9.9.9.9"}}]}]
    assert resolve(source, "geolocate_ip_1:action_result.parameter.ip", action_results=only) == ["9.9.9.9"]


def test_it_accepts_an_already_parsed_datapath(source: InMemoryDataSource) -> None:
    assert resolve(source, parse_datapath("container:name")) == ["Phishing report"]


def test_a_trailing_star_on_a_map_gives_its_values_and_dotted_keys_resolve() -> None:
    from engine.runtime.evaluate._walk import get_all

    obj = {"categories": {"BitDefender": "portals", "Dr.Web": "e-mail"}, "data": {"ip": "1.1.1.1"}}
    assert get_all(obj, ["categories", "*"]) == ["portals", "e-mail"]
    assert get_all(obj, ["categories", "Dr", "Web"]) == ["e-mail"]
    # a lone object where a list was expected still behaves as one element
    assert get_all(obj, ["data", "*", "ip"]) == ["1.1.1.1"]
