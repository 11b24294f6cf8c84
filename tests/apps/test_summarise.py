"""App-run summaries and messages read like SOAR's."""

from __future__ import annotations

from engine.apps.base import APP_ERROR, APP_SUCCESS, ActionResult
from engine.apps.dispatch import app_run_result, summarise


def maxmind_result() -> ActionResult:
    result = ActionResult({"ip": "1.1.1.1",
                           "context": {"guid": "f42f", "artifact_id": 0, "parent_action_run": []}})
    result.add_data({"city_name": "Research"})
    result.set_status(APP_SUCCESS, "City: Research, State: VIC, Country: Australia")
    return result


def test_it_matches_the_seed_examples_message_and_summary() -> None:
    summary = summarise([maxmind_result()], name="geolocate_ip_1", asset="maxmind")
    assert summary == {
        "status": "success",
        "message": "'geolocate_ip_1' on asset 'maxmind': 1 action succeeded. (1)For Parameter: "
                   '{"ip":"1.1.1.1"} Message: "City: Research, State: VIC, Country: Australia"',
        "summary": {"total_objects": 1, "total_objects_successful": 1},
    }


def test_it_counts_successes_and_failures_and_succeeds_if_any_did() -> None:
    failed = ActionResult({"ip": "bad"})
    failed.set_status(APP_ERROR, "Invalid IP")
    summary = summarise([maxmind_result(), failed.to_dict()], name="g", asset="m")
    assert summary["status"] == "success"
    assert summary["summary"] == {"total_objects": 2, "total_objects_successful": 1}
    assert summary["message"].startswith("'g' on asset 'm': 1 action succeeded, 1 action failed.")
    assert '(2)For Parameter: {"ip":"bad"} Message: "Invalid IP"' in summary["message"]


def test_an_app_run_with_only_failures_or_nothing_failed() -> None:
    failed = ActionResult({"ip": "bad"})
    failed.set_status(APP_ERROR, "Invalid IP")
    assert summarise([failed, failed], name="g", asset="m")["message"].startswith(
        "'g' on asset 'm': 2 actions failed.")
    empty = summarise([], name="g", asset="m")
    assert empty == {"status": "failed", "message": "'g' on asset 'm': no action ran.",
                     "summary": {"total_objects": 0, "total_objects_successful": 0}}


def test_it_builds_one_callback_results_element() -> None:
    element = app_run_result([maxmind_result()], name="geolocate_ip_1", action="geolocate ip",
                             app="MaxMind", asset="maxmind")
    assert element["action_results"][0]["data"] == [{"city_name": "Research"}]
    assert element["summary"]["total_objects_successful"] == 1
    assert (element["name"], element["app"], element["status"]) == (
        "geolocate_ip_1", "MaxMind", "success")


def test_it_keeps_non_ascii_text_readable_in_the_message() -> None:
    result = ActionResult({"city": "Zürich"})
    result.set_status(APP_SUCCESS, "Stadt: Zürich")
    message = summarise([result], name="g", asset="m")["message"]
    assert message.endswith('For Parameter: {"city":"Zürich"} Message: "Stadt: Zürich"')
