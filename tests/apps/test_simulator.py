"""The simulator answers any action from its declared outputs, deterministically."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from engine.apps.catalogue import AppDef, parse_app
from engine.apps.datapaths import resolve
from engine.apps.simulator import Simulator, SimulatorError, placeholder
from tests.apps.factories import GEO


@pytest.fixture
def geo() -> AppDef:
    return parse_app(GEO)


def answer(app: AppDef, action: str, **param: Any) -> dict[str, Any]:
    return Simulator(app).handle_action(action, param).to_dict()


def test_it_fills_every_declared_datapath(geo: AppDef) -> None:
    result = answer(geo, "geolocate_ip", ip="1.1.1.1")
    assert result["status"] == "success" and result["simulated"] is True
    item = result["data"][0]
    assert item["city_name"] in GEO["actions"][0]["output"][4]["example_values"]
    assert isinstance(item["latitude"], int)
    assert item["asn"]["owner"].startswith("example-") and item["asn"]["owner"].endswith(".com")
    assert item["tags"] == ["cdn"]
    assert result["summary"] == {"city": "Research"}
    assert resolve(result, "parameter.ip") == ["1.1.1.1"]


def test_a_data_field_named_like_a_parameter_echoes_it(geo: AppDef) -> None:
    assert answer(geo, "geolocate ip", ip="203.0.113.9")["data"][0]["ip"] == "203.0.113.9"


def test_it_gives_the_same_answer_for_the_same_parameters(geo: AppDef) -> None:
    first = answer(geo, "geolocate_ip", ip="1.1.1.1")
    assert Simulator(geo).handle_action("geolocate_ip", {"ip": "1.1.1.1"}).to_dict() == first
    # The artifact context does not change what a lookup would return.
    with_context = answer(geo, "geolocate_ip", ip="1.1.1.1", context={"artifact_id": 4})
    assert with_context["data"] == first["data"]


def test_different_parameters_may_pick_different_example_values(geo: AppDef) -> None:
    cities = {answer(geo, "geolocate_ip", ip=f"10.0.0.{n}")["data"][0]["city_name"]
              for n in range(40)}
    assert len(cities) > 1


def test_it_prefers_a_success_message_from_the_examples(geo: AppDef) -> None:
    for n in range(10):
        assert answer(geo, "geolocate_ip", ip=f"10.0.0.{n}")["message"] == \
            "City: Research, Country: Australia"


def test_it_builds_a_message_from_the_summary_when_no_example_fits(geo: AppDef) -> None:
    blocked = answer(geo, "block_ip", ip="1.1.1.1")
    assert blocked["message"] == f"blocked: {blocked['summary']['blocked']}"
    assert answer(geo, "list_things")["message"] == "Simulated 'list things' succeeded"


def test_it_marks_write_actions_as_simulated(geo: AppDef) -> None:
    block = geo.action("block ip")
    assert block is not None and block.is_write
    assert answer(geo, "block_ip", ip="1.1.1.1")["simulated"] is True


def test_it_refuses_an_action_the_app_does_not_have(geo: AppDef) -> None:
    with pytest.raises(SimulatorError, match="has no action 'fly'"):
        Simulator(geo).handle_action("fly", {})


@pytest.mark.parametrize(("contains", "pattern"), [
    (["ip"], r"^198\.51\.100\.\d+$"),
    (["md5"], r"^[0-9a-f]{32}$"),
    (["sha256"], r"^[0-9a-f]{64}$"),
    (["email"], r"^user-[0-9a-f]{6}@example\.com$"),
    (["url"], r"^https://example\.com/[0-9a-f]{8}$"),
    ([], r"^field-[0-9a-f]{8}$"),
])
def test_placeholders_fit_what_the_output_contains(contains: list[str], pattern: str) -> None:
    import re

    value = placeholder("string", contains, "field", bytes(range(32)))
    assert re.match(pattern, value), value
    assert placeholder("boolean", [], "x", b"\x01" * 32) is True
    assert placeholder("numeric", ["port"], "x", b"\x00\x07" + b"\x00" * 30) == 7


def test_it_also_answers_the_datapaths_a_playbook_reads_beyond_the_declared_outputs() -> None:
    from engine.apps.catalogue import parse_app
    from engine.apps.simulator import Simulator
    from tests.apps.factories import minimal_app

    sim = Simulator(parse_app(minimal_app()),
                    extra_outputs=("action_result.data.*.rule_name", "action_result.data.*.blocked"))
    result = sim.handle_action("block ip", {"ip": "192.0.2.1"}).to_dict()
    (item,) = result["data"]
    assert item["blocked"] is True  # declared: its example value wins
    assert isinstance(item["rule_name"], str) and item["rule_name"]


def test_a_score_without_examples_is_a_number_from_0_to_100() -> None:
    from engine.apps.simulator import placeholder

    values = {placeholder("numeric", (), "DisplayScore", bytes([i, 255 - i, 7, 9])) for i in range(256)}
    assert min(values) >= 0 and max(values) <= 100


def test_a_time_without_examples_is_an_iso_timestamp() -> None:
    from datetime import datetime

    from engine.apps.simulator import placeholder

    for name in ("_time", "createdDate", "first_seen_timestamp", "latest"):
        value = placeholder("string", (), name, bytes([3, 200, 7, 9]))
        assert datetime.fromisoformat(value.replace("Z", "+00:00")).year == 2026


def test_a_repeated_answer_is_the_callers_to_change(geo: AppDef) -> None:
    first = Simulator(geo).handle_action("geolocate_ip", {"ip": "1.1.1.1"})
    expected = first.to_dict()
    first.get_data()[0]["city_name"] = "changed"
    first.get_data()[0]["asn"]["owner"] = "changed"
    first.update_summary({"city": "changed"})
    assert Simulator(geo).handle_action("geolocate_ip", {"ip": "1.1.1.1"}).to_dict() == expected


def test_a_changed_app_is_answered_from_its_new_outputs(geo: AppDef) -> None:
    assert answer(geo, "geolocate_ip", ip="1.1.1.1")["summary"] == {"city": "Research"}
    changed = copy.deepcopy(GEO)
    for output in changed["actions"][0]["output"]:
        if output["data_path"] == "action_result.summary.city":
            output["example_values"] = ["Elsewhere"]
    assert answer(parse_app(changed), "geolocate_ip", ip="1.1.1.1")["summary"] == {"city": "Elsewhere"}


def test_parameters_json_cannot_hold_are_answered_too(geo: AppDef) -> None:
    result = answer(geo, "geolocate_ip", ip="1.1.1.1", tags={"a"})
    assert result["status"] == "success" and result["data"][0]["city_name"]
