"""Callbacks get the first five arguments positionally and only the keywords they accept
(engine/execution/loader.py call_callback's rules); custom functions get their parameters."""
from __future__ import annotations

import datetime

from tests.runner.helpers import run

CONTAINER = {"id": 7, "name": "incident"}
EXTRA = {"filtered_artifacts": [{"id": 1}], "filtered_results": [], "custom_function": None, "loop_state_json": None}


def test_it_passes_the_first_five_positionally_when_the_callback_names_them_differently() -> None:
    outcome = run("""
        def fn(a, b, c, d, e):
            return [a, b, c, d, e]
        """, kind="callback", args=("geolocate", True, CONTAINER, [{"x": 1}], "h"), extra=EXTRA)
    assert outcome.status == "ok"
    assert outcome.value == ["geolocate", True, CONTAINER, [{"x": 1}], "h"]


def test_it_passes_only_the_keywords_the_callback_accepts() -> None:
    outcome = run("""
        def fn(action=None, success=None, container=None, results=None, handle=None, filtered_artifacts=None):
            return filtered_artifacts
        """, kind="callback", args=(None, True, CONTAINER, [], None), extra=EXTRA)
    assert (outcome.status, outcome.value) == ("ok", [{"id": 1}])


def test_it_passes_every_keyword_when_the_callback_takes_kwargs() -> None:
    outcome = run("""
        def fn(action=None, success=None, container=None, results=None, handle=None, **kwargs):
            return sorted(kwargs)
        """, kind="callback", args=(None, True, CONTAINER, [], None), extra=EXTRA)
    assert outcome.value == sorted(EXTRA)


def test_it_passes_the_same_keywords_through_a_playbook_block_decorator() -> None:
    outcome = run("""
        import phantom.rules as phantom

        @phantom.playbook_block()
        def fn(action=None, success=None, container=None, results=None, handle=None, loop_state_json=None):
            return ["loop_state_json", loop_state_json]
        """, kind="callback", args=(None, True, CONTAINER, [], None), extra={**EXTRA, "loop_state_json": "{}"})
    assert outcome.value == ["loop_state_json", "{}"]


def test_it_calls_a_custom_function_with_its_parameters_and_returns_json_data() -> None:
    outcome = run("""
        import datetime

        def fn(ip=None, count=None):
            return {"ip": ip, "twice": count * 2, "at": datetime.datetime(2024, 1, 2), "pair": (1, 2)}
        """, kind="custom_function", kwargs={"ip": "192.0.2.1", "count": 21})
    assert outcome.status == "ok"
    # JSON-able by construction, as today's json.dumps(value, default=str)
    assert outcome.value == {"ip": "192.0.2.1", "twice": 42, "at": str(datetime.datetime(2024, 1, 2)), "pair": [1, 2]}


def test_it_gives_each_job_a_fresh_module_namespace() -> None:
    source = """
        counter = []

        def fn():
            counter.append(1)
            return len(counter)
        """
    assert [run(source).value for _ in range(3)] == [1, 1, 1]


def test_it_reports_a_source_that_does_not_compile_as_an_error() -> None:
    outcome = run("def fn(:\n    pass\n")
    assert outcome.status == "error"
    assert "SyntaxError" in outcome.error and "line 1" in outcome.error


def test_it_reports_a_missing_function_as_an_error() -> None:
    outcome = run("def other():\n    pass\n")
    assert outcome.status == "error" and "'fn'" in outcome.error


def test_it_names_the_block_and_keeps_only_user_frames_when_code_fails() -> None:
    outcome = run("""
        def helper():
            return 1 / 0

        def fn():
            return helper()
        """, block="my_block")
    assert outcome.status == "error"
    assert outcome.error == "ZeroDivisionError in my_block: division by zero"
    assert outcome.failed_block == "my_block"
    assert "<playbook test>" in outcome.traceback and "engine/runner" not in outcome.traceback
