"""A test can pin exact responses per action on a simulated asset."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from engine.apps.catalogue import AppDef, parse_app
from engine.apps.simulator import Simulator, SimulatorError
from tests.apps.factories import GEO


@pytest.fixture
def geo() -> AppDef:
    return parse_app(GEO)


def test_a_pinned_result_is_returned_as_given(geo: AppDef) -> None:
    pinned = {"status": "failed", "message": "quota exceeded", "data": [], "summary": {}}
    sim = Simulator(geo, overrides={"geolocate ip": pinned})
    result = sim.handle_action("geolocate_ip", {"ip": "1.1.1.1"}).to_dict()
    assert result == {**pinned, "parameter": {"ip": "1.1.1.1"}, "simulated": True}


def test_a_list_of_results_is_served_in_turn_and_the_last_repeats(geo: AppDef) -> None:
    sim = Simulator(geo, overrides={"geolocate_ip": [
        {"status": "failed", "message": "not yet"},
        {"status": "success", "message": "done", "data": [{"city_name": "Oslo"}]},
    ]})
    messages = [sim.handle_action("geolocate_ip", {"ip": "1.1.1.1"}).get_message()
                for _ in range(3)]
    assert messages == ["not yet", "done", "done"]


def test_cases_match_on_parameters_and_fall_back_to_the_default(geo: AppDef) -> None:
    sim = Simulator(geo, overrides={"geolocate ip": {
        "cases": [{"when": {"ip": "1.1.1.1"}, "result": {"message": "cloudflare"}}],
        "default": {"status": "failed", "message": "unknown"},
    }})
    assert sim.handle_action("geolocate ip", {"ip": "1.1.1.1"}).get_message() == "cloudflare"
    other = sim.handle_action("geolocate ip", {"ip": "8.8.8.8"})
    assert other.is_fail() and other.get_message() == "unknown"


def test_cases_without_a_default_fall_back_to_synthetic_results(geo: AppDef) -> None:
    sim = Simulator(geo, overrides={"geolocate ip": {
        "cases": [{"when": {"ip": "1.1.1.1"}, "result": {"message": "pinned"}}]}})
    assert sim.handle_action("geolocate ip", {"ip": "9.9.9.9"}).get_data()[0]["ip"] == "9.9.9.9"


def test_a_callable_override_sees_the_parameters(geo: AppDef) -> None:
    def reply(param: Mapping[str, Any]) -> Mapping[str, Any] | None:
        return {"message": f"saw {param['ip']}"} if param["ip"].startswith("10.") else None

    sim = Simulator(geo, overrides={"geolocate_ip": reply})
    assert sim.handle_action("geolocate_ip", {"ip": "10.1.1.1"}).get_message() == "saw 10.1.1.1"
    assert sim.handle_action("geolocate_ip", {"ip": "1.1.1.1"}).get_data()


def test_it_refuses_overrides_for_unknown_actions_or_with_unknown_keys(geo: AppDef) -> None:
    with pytest.raises(SimulatorError, match="unknown action 'fly'"):
        Simulator(geo, overrides={"fly": {"message": "x"}})
    with pytest.raises(SimulatorError, match=r"unknown result keys \['city'\]"):
        Simulator(geo, overrides={"geolocate ip": {"city": "Oslo"}})
    with pytest.raises(SimulatorError, match="empty list"):
        Simulator(geo, overrides={"geolocate ip": []})
