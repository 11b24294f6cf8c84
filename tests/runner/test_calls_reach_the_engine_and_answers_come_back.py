"""phantom.* calls that need the platform reach `serve` (callbacks as stubs the runtime's
_callback_name reads), and their values and exceptions come back to the playbook code."""
from __future__ import annotations

import datetime

import pytest

from engine.runner.protocol import CallableStub
from tests.runner.helpers import Engine, run


def test_it_sends_a_call_with_its_arguments_and_the_current_block() -> None:
    engine = Engine(answers={"act": 12})
    outcome = run("""
        import phantom.rules as phantom

        def on_done(action=None, success=None, container=None, results=None, handle=None):
            pass

        def fn():
            return phantom.act("geolocate ip", parameters=[{"ip": "192.0.2.1"}], assets=["maxmind"], callback=on_done)
        """, engine=engine, block="geolocate_1")
    assert outcome.value == 12
    [(module, name, args, kwargs, block)] = engine.calls
    assert (module, name, args, block) == ("rules", "act", ("geolocate ip",), "geolocate_1")
    assert kwargs["parameters"] == [{"ip": "192.0.2.1"}] and kwargs["assets"] == ["maxmind"]
    callback = kwargs["callback"]
    assert isinstance(callback, CallableStub)
    assert (callback.__name__, callback.__qualname__) == ("on_done", "on_done")


def test_it_turns_callbacks_into_stubs_the_runtime_accepts_or_refuses_as_today() -> None:
    from engine.runtime.phantom._flow import PlaybookAPIError, _callback_name

    engine = Engine()
    run("""
        import phantom.rules as phantom

        @phantom.playbook_block()
        def top(action=None, success=None, container=None, results=None, handle=None):
            pass

        def fn():
            def nested():
                pass
            phantom.act("a", callback=top)
            phantom.act("b", callback=lambda *a: None)
            phantom.act("c", callback=nested)
        """, engine=engine)
    top, lam, nested = (kwargs["callback"] for _, _, _, kwargs, _ in engine.calls)
    assert _callback_name("act", top) == "top"
    for refused in (lam, nested):
        with pytest.raises(PlaybookAPIError, match="top-level function"):
            _callback_name("act", refused)


def test_it_returns_the_engines_values_to_the_code() -> None:
    when = datetime.datetime(2024, 5, 6, 7, 8, 9, tzinfo=datetime.UTC)
    engine = Engine(answers={"get_container": {"id": 3, "create_time": when, "tags": ("a", "b")}})
    outcome = run("""
        import phantom.rules as phantom

        def fn():
            c = phantom.get_container(3)
            return [c["id"], c["create_time"].year, list(c["tags"])]
        """, engine=engine)
    assert outcome.value == [3, 2024, ["a", "b"]]


def test_it_raises_the_engines_builtin_exceptions_as_themselves() -> None:
    engine = Engine(answers={"save_run_data": ValueError("phantom.save_run_data: key must be a non-empty string")})
    outcome = run("""
        import phantom.rules as phantom

        def fn():
            try:
                phantom.save_run_data(value="x", key="")
            except ValueError as exc:
                return ["caught", type(exc).__name__, str(exc)]
        """, engine=engine)
    assert outcome.value == ["caught", "ValueError", "phantom.save_run_data: key must be a non-empty string"]


def test_it_raises_runtime_exceptions_as_the_runners_classes_of_the_same_name() -> None:
    from engine.runtime.phantom._flow import PlaybookAPIError

    class DoesNotExist(Exception):
        pass

    answers = {"act": PlaybookAPIError("phantom.act: bad"), "get_list": DoesNotExist("no such list")}
    outcome = run("""
        import phantom.rules as phantom

        def fn():
            seen = []
            try:
                phantom.act("x")
            except phantom.PlaybookAPIError as exc:
                seen.append([type(exc).__name__, str(exc), isinstance(exc, ValueError)])
            try:
                phantom.get_list(list_name="nope")
            except Exception as exc:
                seen.append([type(exc).__name__, str(exc)])
            return seen
        """, engine=Engine(answers=answers))
    assert outcome.value == [["PlaybookAPIError", "phantom.act: bad", True], ["DoesNotExist", "no such list"]]


def test_it_fails_the_block_with_the_engines_exception_when_the_code_does_not_catch_it() -> None:
    outcome = run("""
        import phantom.rules as phantom

        def fn():
            phantom.set_status(container=1, status="bogus")
        """, engine=Engine(answers={"set_status": KeyError("bogus")}), block="close_it")
    assert outcome.status == "error" and outcome.error == "KeyError in close_it: 'bogus'"


def test_it_answers_an_unknown_name_without_asking_the_engine() -> None:
    engine = Engine()
    outcome = run("""
        import phantom.rules as phantom

        def fn():
            try:
                phantom.no_such_api(1)
            except NotImplementedError as exc:
                return [type(exc).__name__, str(exc)]
        """, engine=engine)
    assert outcome.value == ["NotImplementedInPlaybookStudio", "phantom.no_such_api() is not implemented by Playbook Studio"]
    assert engine.calls == []


def test_it_computes_pure_helpers_in_the_runner() -> None:
    engine = Engine()
    outcome = run("""
        import phantom.rules as phantom
        import phantom.utils as utils

        def fn():
            return [phantom.concatenate([1, 2], 3, [2], dedup=True), phantom.is_ip("10.0.0.1"),
                    phantom.address_in_network("10.0.0.1", "10.0.0.0/8"), utils.is_md5("a" * 32),
                    phantom.parse_errors([{"action_results": [{"status": "failed", "message": "m"}]}]),
                    phantom.build_phantom_rest_url("container", 7)]
        """, engine=engine, base_url="http://soar.example:8000")
    assert outcome.value == [[1, 2, 3], True, True, True, ["m"], "http://soar.example:8000/rest/container/7"]
    assert engine.calls == []


def test_it_sends_requests_to_the_server_to_the_engine_and_others_out() -> None:
    def on_call(name: str, args: tuple, kwargs: dict) -> object:
        assert name == "requests_local"
        method, url, body, headers = args
        return (201, b'{"success": true, "id": 5}', {"Content-Type": "application/json"}, url, method.upper())

    engine = Engine(on_call=on_call)
    outcome = run("""
        import phantom.rules as phantom

        def fn():
            r = phantom.requests.post(phantom.build_phantom_rest_url("artifact"), json={"cef": {}})
            return [r.status_code, r.json()["id"], r.ok]
        """, engine=engine, base_url="http://127.0.0.1:8000")
    assert outcome.value == [201, 5, True]
    [(module, name, args, _, _)] = engine.calls
    assert (module, name, args[0], args[1]) == ("runner", "requests_local", "post", "http://127.0.0.1:8000/rest/artifact")


def test_it_proxies_vault_methods() -> None:
    engine = Engine(answers={"Vault.get_file_info": [{"vault_id": "abc"}]})
    outcome = run("""
        from phantom.vault import Vault

        def fn():
            return Vault.get_file_info(vault_id="abc")
        """, engine=engine)
    assert outcome.value == [{"vault_id": "abc"}]
    assert engine.calls[0][:2] == ("vault", "Vault.get_file_info")
