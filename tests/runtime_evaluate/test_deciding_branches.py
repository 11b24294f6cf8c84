from __future__ import annotations

from engine.runtime.evaluate import InMemoryDataSource, decision


def test_it_is_true_when_any_item_satisfies_the_conditions(source: InMemoryDataSource) -> None:
    assert decision(source, [["artifact:*.cef.risk", ">", 50]], scope="all")


def test_it_is_false_when_no_item_does(source: InMemoryDataSource) -> None:
    assert not decision(source, [["artifact:*.cef.risk", ">", 500]], scope="all")


def test_it_is_false_for_a_block_without_results(source: InMemoryDataSource) -> None:
    assert not decision(source, [["never_ran:action_result.summary.total_events", ">", 0]])


def test_it_needs_every_row_on_the_same_item_with_and(source: InMemoryDataSource) -> None:
    rows = [["artifact:*.severity", "==", "high"], ["artifact:*.label", "==", "report"]]
    assert not decision(source, rows, "and", scope="all")
    assert decision(source, rows, "or", scope="all")


def test_it_decides_on_literal_rows_generated_code_substitutes_for_container_fields(
    source: InMemoryDataSource,
) -> None:
    assert decision(source, [["open", "==", "open"]])
    assert not decision(source, [[None, "!=", ""]])


def test_it_decides_on_container_datapaths(source: InMemoryDataSource) -> None:
    assert decision(source, [["container:data.summary.user", "==", "alice"]])


def test_it_reads_prompt_responses(source: InMemoryDataSource) -> None:
    source.results_by_block["ask"] = [
        {
            "name": "ask",
            "app_run_id": 1,
            "action_results": [
                {
                    "status": "success",
                    "parameter": {"message": "Block?"},
                    "data": [],
                    "summary": {"responses": ["Yes", "because"], "response": "Yes"},
                }
            ],
        }
    ]
    assert decision(source, [["ask:action_result.summary.responses.0", "==", "Yes"]])
    assert decision(source, [["ask:action_result.parameter.message", "==", "Block?"]])


def test_it_compares_against_a_code_block_output(source: InMemoryDataSource) -> None:
    assert decision(source, [["sum_score:custom_function:total_score", ">=", 250]])


def test_it_searches_substrings_in_result_data(source: InMemoryDataSource) -> None:
    assert decision(source, [["Ash", "in", "geolocate_ip_1:action_result.data.*.city_name"]])


def test_it_reports_a_trace_and_stores_nothing(source: InMemoryDataSource) -> None:
    outcome = decision(source, [["playbook_input:user", "==", "bob"]])
    assert outcome.matched and [t.outcome for t in outcome.trace] == [False, False, True]
    assert source.filtered_sets == {}


def test_its_result_alias_matches_its_truth(source: InMemoryDataSource) -> None:
    outcome = decision(source, [["container:id", "==", "7"]])
    assert outcome.result is outcome.matched is True
