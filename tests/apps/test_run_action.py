"""run_action turns crashes, hangs and bad parameters into failed results, never raising."""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from typing import Any

import pytest

from engine.apps.base import APP_SUCCESS, ActionResult, Connector, handler
from engine.apps.catalogue import ActionDef, parse_app
from engine.apps.dispatch import run_action, run_app_run

APP: dict[str, Any] = {
    "appid": "a0e0d0c0-b0a0-4090-8080-706050403020", "name": "Flaky", "app_version": "1",
    "actions": [
        {"action": name, "identifier": name.replace(" ", "_"), "type": "generic",
         "read_only": True,
         "parameters": {"n": {"data_type": "numeric", "required": True}}, "output": []}
        for name in ("ok", "crash", "hang", "wrong return", "no param echo")
    ],
}


class Flaky(Connector):
    release = threading.Event()

    @handler("ok")
    def ok(self, param: Mapping[str, Any], result: ActionResult) -> bool:
        result.add_data({"double": float(param["n"]) * 2})
        return result.set_status(APP_SUCCESS, "fine")

    @handler("crash")
    def crash(self, param: Mapping[str, Any], result: ActionResult) -> None:
        raise RuntimeError("vendor API exploded")

    @handler("hang")
    def hang(self, param: Mapping[str, Any], result: ActionResult) -> None:
        self.release.wait(10)

    @handler("wrong_return")
    def wrong_return(self, param: Mapping[str, Any], result: ActionResult) -> None:
        pass

    def handle_action(self, action_identifier: str, param: Mapping[str, Any]) -> ActionResult:
        if action_identifier == "wrong_return":
            return "done"  # type: ignore[return-value]
        if action_identifier == "no_param_echo":
            result = ActionResult()
            result.set_status(APP_SUCCESS, "fine")
            return result
        return super().handle_action(action_identifier, param)


def action(name: str) -> ActionDef:
    found = parse_app(APP).action(name)
    assert found is not None
    return found


def test_it_returns_the_connectors_result() -> None:
    result = run_action(Flaky(), action("ok"), {"n": 2}, timeout_s=5)
    assert result.is_success() and result.get_data() == [{"double": 4.0}]


def test_it_fails_the_action_when_the_connector_raises() -> None:
    result = run_action(Flaky(), action("crash"), {"n": 1}, timeout_s=5)
    assert result.is_fail()
    assert result.get_message() == "Action 'crash' raised RuntimeError: vendor API exploded"
    assert result.get_param() == {"n": 1}


def test_it_fails_the_action_when_the_connector_hangs_past_the_deadline() -> None:
    started = time.monotonic()
    try:
        result = run_action(Flaky(), action("hang"), {"n": 1}, timeout_s=0.2)
    finally:
        Flaky.release.set()
    assert time.monotonic() - started < 2
    assert result.is_fail()
    assert result.get_message() == "Action 'hang' timed out after 0.2 seconds"


def test_it_fails_the_action_when_the_parameters_are_invalid() -> None:
    result = run_action(Flaky(), action("ok"), {"n": "many"}, timeout_s=5)
    assert result.is_fail()
    assert result.get_message() == ("Parameter validation failed: "
                                    "parameter 'n' must be numeric (got 'many')")


def test_it_fails_the_action_when_the_connector_returns_something_else() -> None:
    result = run_action(Flaky(), action("wrong return"), {"n": 1}, timeout_s=5)
    assert result.get_message() == "Action 'wrong return' returned str, not an ActionResult"


def test_it_fills_in_the_parameters_a_connector_left_out() -> None:
    result = run_action(Flaky(), action("no param echo"), {"n": 1}, timeout_s=5)
    assert result.is_success() and result.get_param() == {"n": 1}


@pytest.mark.parametrize("error", [KeyboardInterrupt, SystemExit])
def test_even_interpreter_level_exceptions_become_a_failed_result(
        error: type[BaseException]) -> None:
    class Exiting(Connector):
        @handler("ok")
        def ok(self, param: Mapping[str, Any], result: ActionResult) -> None:
            raise error()

    result = run_action(Exiting(), action("ok"), {"n": 1}, timeout_s=5)
    assert result.is_fail() and error.__name__ in result.get_message()


def test_an_app_run_runs_each_parameter_set_and_summarises_them() -> None:
    run = run_app_run(Flaky(), action("ok"), [{"n": 1}, {"n": "x"}], name="ok_1", app="Flaky",
                      asset="flaky", timeout_s=5)
    assert [r["status"] for r in run["action_results"]] == ["success", "failed"]
    assert run["summary"] == {"total_objects": 2, "total_objects_successful": 1}
    assert run["status"] == "success" and run["action"] == "ok"


def test_an_app_run_without_parameters_runs_once() -> None:
    class NoParams(Connector):
        @handler("ok")
        def ok(self, param: Mapping[str, Any], result: ActionResult) -> bool:
            return result.set_status(APP_SUCCESS, f"got {dict(param)}")

    bare = parse_app({**APP, "actions": [{**APP["actions"][0], "parameters": {}}]}).actions[0]
    run = run_app_run(NoParams(), bare, [], name="ok_1", app="A", asset="a", timeout_s=5)
    assert [r["message"] for r in run["action_results"]] == ["got {}"]
