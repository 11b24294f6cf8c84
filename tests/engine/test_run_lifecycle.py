"""A run from on_start to on_finish, durably, one task per step."""
from __future__ import annotations

from collections.abc import Callable

import pytest

from editor.models import CustomFunction
from engine.models import Container, PlaybookRun, RunData, RunEvent, RunStep
from tests.engine.conftest import python_playbook

pytestmark = pytest.mark.django_db(transaction=True)

Runner = Callable[..., PlaybookRun]

SIMPLE = '''
import json
import phantom.rules as phantom

@phantom.playbook_block()
def on_start(container):
    phantom.debug("starting on " + container["name"])
    phantom.save_run_data(key="seen", value=json.dumps([container["id"]]))
    return

@phantom.playbook_block()
def on_finish(container, summary):
    phantom.debug("finished: " + phantom.get_run_data(key="seen"))
    return
'''


def kinds(run: PlaybookRun) -> list[str]:
    return list(RunEvent.objects.filter(run=run).order_by("seq").values_list("kind", flat=True))


def test_it_calls_on_start_then_on_finish_and_succeeds(container: Container, run_to_end: Runner) -> None:
    run = run_to_end(python_playbook("simple", SIMPLE), container)
    assert run.status == "success" and run.end_time is not None
    steps = list(RunStep.objects.filter(run=run).values_list("kind", "status"))
    assert steps == [("start", "done"), ("finish", "done")]
    debug = [e.payload["message"] for e in RunEvent.objects.filter(run=run, kind="debug").order_by("seq")]
    assert debug == ["starting on case", f"finished: [{container.pk}]"]
    assert kinds(run)[0] == "run.started" and kinds(run)[-1] == "run.finished"


def test_events_are_numbered_from_one_without_gaps(container: Container, run_to_end: Runner) -> None:
    run = run_to_end(python_playbook("simple", SIMPLE), container)
    seqs = list(RunEvent.objects.filter(run=run).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))


def test_an_exception_in_a_block_fails_the_run_naming_the_block(container: Container, run_to_end: Runner) -> None:
    source = SIMPLE.replace('phantom.save_run_data(key="seen", value=json.dumps([container["id"]]))', 'broken_block()') + '''
@phantom.playbook_block()
def broken_block(**kwargs):
    raise RuntimeError("the feed is down")
'''
    run = run_to_end(python_playbook("broken", source), container)
    assert run.status == "failed" and run.failed_block == "broken_block"
    assert "RuntimeError" in run.message and "the feed is down" in run.message
    errors = [e.payload for e in RunEvent.objects.filter(run=run, kind="debug") if e.payload["level"] == "error"]
    assert errors and "Traceback" in errors[0]["message"] and "the feed is down" in errors[0]["message"]
    assert not RunStep.objects.filter(run=run, kind="finish").exists()


def test_a_block_over_its_time_limit_is_stopped_and_the_worker_survives(
        container: Container, run_to_end: Runner, settings: object) -> None:
    settings.SOAR_BLOCK_TIMEOUT_S = 1  # type: ignore[attr-defined]
    source = SIMPLE.replace('phantom.debug("starting on " + container["name"])', 'while True:\n        pass')
    run = run_to_end(python_playbook("spin", source), container)
    assert run.status == "failed" and "time limit" in run.message and run.failed_block == "on_start"
    again = run_to_end(python_playbook("after", SIMPLE), container)
    assert again.status == "success"


def test_a_custom_function_runs_once_per_parameter_set_and_calls_back(container: Container, run_to_end: Runner) -> None:
    CustomFunction.objects.create(name="double", repo="local", python=(
        "def double(value=None, **kwargs):\n    return {'doubled': value * 2}\n"))
    source = '''
import json
import phantom.rules as phantom

def on_start(container):
    phantom.custom_function(custom_function="local/double", parameters=[{"value": 2}, {"value": 5}],
                            name="double_1", callback=done)

def done(action=None, success=None, container=None, results=None, handle=None, custom_function=None, **kwargs):
    data = [r["data"] for r in results[0]["action_results"]]
    phantom.save_run_data(key="out", value=json.dumps({"success": success, "data": data, "cf": custom_function["name"]}))

def on_finish(container, summary):
    pass
'''
    run = run_to_end(python_playbook("cf", source), container)
    assert run.status == "success", run.message
    out = RunData.objects.get(run=run, key="out").value
    assert out == '{"success": true, "data": [{"doubled": 4}, {"doubled": 10}], "cf": "double_1"}'


def test_a_run_of_a_playbook_that_does_not_parse_is_refused_before_it_starts(container: Container) -> None:
    from engine.execution.runs import RunError, start_run

    playbook = python_playbook("bad", "def on_start(container:\n    pass\n")
    with pytest.raises(RunError, match="does not parse: .*line 1"):
        start_run(playbook, container)
    assert not PlaybookRun.objects.exists()
