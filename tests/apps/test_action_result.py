"""ActionResult behaves like SOAR's and serialises to the callback shape."""

from __future__ import annotations

import pytest

from engine.apps.base import APP_ERROR, APP_SUCCESS, ActionResult


def test_it_starts_failed_so_a_forgetful_handler_never_reports_success() -> None:
    result = ActionResult({"ip": "1.1.1.1"})
    assert result.get_status() is APP_ERROR
    assert result.to_dict()["status"] == "failed"


def test_it_returns_the_added_dict_so_connectors_can_keep_filling_it() -> None:
    result = ActionResult()
    item = result.add_data({})
    item["city_name"] = "Research"
    assert result.get_data() == [{"city_name": "Research"}]


def test_it_merges_summaries_and_returns_the_whole_summary() -> None:
    result = ActionResult()
    result.update_summary({"city": "Research"})
    assert result.update_summary({"country": "Australia"}) == {
        "city": "Research", "country": "Australia"}


def test_it_serialises_to_soars_action_result_shape() -> None:
    result = ActionResult({"ip": "1.1.1.1"})
    result.add_data({"city_name": "Research"})
    result.update_summary({"city": "Research"})
    result.update_param({"context": {"artifact_id": 0}})
    assert result.set_status(APP_SUCCESS, "City: Research") is True
    assert result.to_dict() == {
        "status": "success",
        "message": "City: Research",
        "data": [{"city_name": "Research"}],
        "summary": {"city": "Research"},
        "parameter": {"ip": "1.1.1.1", "context": {"artifact_id": 0}},
    }


def test_it_accepts_status_words_and_rejects_others() -> None:
    result = ActionResult()
    assert result.set_status("success", "ok") is True
    assert result.is_success() and result.get_message() == "ok"
    assert result.set_status("failed") is False
    with pytest.raises(ValueError, match="'success' or 'failed'"):
        result.set_status("done")


def test_it_keeps_the_exception_in_the_message() -> None:
    result = ActionResult()
    result.set_status(APP_ERROR, "Lookup failed", exception=KeyError("city"))
    assert result.get_message() == "Lookup failed. KeyError: 'city'"


def test_its_dict_is_a_copy_that_later_changes_do_not_touch() -> None:
    result = ActionResult()
    item = result.add_data({"n": 1})
    snapshot = result.to_dict()
    item["n"] = 2
    assert snapshot["data"] == [{"n": 1}]


def test_it_round_trips_through_a_dict_and_says_when_it_was_simulated() -> None:
    original = ActionResult({"ip": "1.1.1.1"})
    original.add_data({"a": 1})
    original.set_status(APP_SUCCESS, "fine")
    original.simulated = True
    as_dict = original.to_dict()
    assert as_dict["simulated"] is True
    again = ActionResult.from_dict(as_dict)
    assert again.to_dict() == as_dict
    assert "simulated" not in ActionResult().to_dict()
