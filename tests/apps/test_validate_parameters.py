"""Parameters are checked against the action's declaration before a run."""

from __future__ import annotations

from typing import Any

import pytest

from engine.apps.catalogue import ActionDef, parse_app
from engine.apps.dispatch import validate_parameters

APP: dict[str, Any] = {
    "appid": "f0e0d0c0-b0a0-4090-8080-706050403020", "name": "Fw", "app_version": "1",
    "actions": [{
        "action": "block ip", "identifier": "block_ip", "type": "contain", "read_only": False,
        "parameters": {
            "ip": {"data_type": "string", "required": True},
            "minutes": {"data_type": "numeric"},
            "permanent": {"data_type": "boolean"},
            "direction": {"data_type": "string", "value_list": ["in", "out"]},
            "priority": {"data_type": "numeric", "value_list": [1, 2, 3]},
            "spacer": {"data_type": "ph"},
        },
        "output": [],
    }],
}


@pytest.fixture
def block() -> ActionDef:
    return parse_app(APP).actions[0]


def test_it_accepts_well_formed_parameters(block: ActionDef) -> None:
    assert validate_parameters(block, {
        "ip": "1.1.1.1", "minutes": "30", "permanent": "false", "direction": "in",
        "priority": "2", "context": {"artifact_id": 3}}) == []
    assert validate_parameters(block, {"ip": 17, "minutes": 2.5, "permanent": True,
                                       "priority": 3}) == []


@pytest.mark.parametrize("missing", [{}, {"ip": None}, {"ip": "  "}])
def test_it_reports_a_missing_required_parameter(block: ActionDef,
                                                 missing: dict[str, Any]) -> None:
    assert validate_parameters(block, missing) == ["missing required parameter 'ip'"]


def test_it_reports_wrong_data_types(block: ActionDef) -> None:
    problems = validate_parameters(block, {"ip": ["1.1.1.1"], "minutes": "soon",
                                           "permanent": "maybe"})
    assert problems == [
        "parameter 'ip' must be a string (got list)",
        "parameter 'minutes' must be numeric (got 'soon')",
        "parameter 'permanent' must be true or false (got 'maybe')",
    ]


def test_a_boolean_is_not_a_number(block: ActionDef) -> None:
    assert validate_parameters(block, {"ip": "x", "minutes": True}) == [
        "parameter 'minutes' must be numeric (got True)"]


def test_it_reports_a_value_outside_the_value_list(block: ActionDef) -> None:
    assert validate_parameters(block, {"ip": "x", "direction": "sideways", "priority": 9}) == [
        "parameter 'direction' must be one of: in, out (got 'sideways')",
        "parameter 'priority' must be one of: 1, 2, 3 (got 9)",
    ]



def test_value_lists_can_be_left_unenforced_for_apps_that_do_not_enforce_them(block: ActionDef) -> None:
    assert validate_parameters(block, {"ip": "x", "direction": "sideways"}, value_lists=False) == []


def test_a_simulated_app_accepts_a_value_outside_the_value_list_as_a_real_app_does() -> None:
    from engine.apps.catalogue import parse_app
    from engine.apps.dispatch import run_action
    from engine.apps.simulator import Simulator
    from tests.apps.factories import minimal_app

    appdef = parse_app(minimal_app())
    action = appdef.action("block ip")
    assert action is not None
    result = run_action(Simulator(appdef), action, {"ip": "192.0.2.1", "direction": "sideways"}, timeout_s=5)
    assert result.is_success(), result.get_message()
