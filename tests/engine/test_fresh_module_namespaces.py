"""Every step sees its playbook module as executing it afresh leaves it, whatever an
earlier step did to the module's globals (phantom-api.md §6)."""
from __future__ import annotations

import json

import pytest

from engine.execution import worker
from engine.execution.runs import start_run
from engine.models import Asset, Container, RunData
from tests.engine.conftest import python_playbook
from tests.engine.test_actions_and_callbacks import geo_assets  # noqa: F401 - fixture

TAMPERING = '''
import json
import phantom.rules as phantom

COUNT = 0
LIMITS = (1, 2)
%s

def helper(value, scale=1):
    return value * scale

def on_start(container):
    phantom.act("geolocate ip", parameters=[{"ip": "1.1.1.1"}], assets=["maxmind"], callback=first, name="first")

def first(action=None, success=None, container=None, results=None, handle=None, **kwargs):
    global COUNT, LIMITS, ADDED
    COUNT += 1
    LIMITS = (9, 9)
    ADDED = "added"
    %s
    helper.__defaults__ = (100,)
    helper.note = "set"
    phantom.act("geolocate ip", parameters=[{"ip": "8.8.8.8"}], assets=["maxmind"], callback=second, name="second")

def second(action=None, success=None, container=None, results=None, handle=None, **kwargs):
    phantom.save_run_data(key="second", value=json.dumps([
        COUNT, list(LIMITS), "ADDED" in globals(), %s, helper(2), getattr(helper, "note", None)]))

def on_finish(container, summary):
    pass
'''

@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("mutable", [False, True], ids=["reusable module", "module with a list"])
def test_a_step_sees_none_of_what_an_earlier_step_did_to_the_globals(
        geo_assets: list[Asset], container: Container, mutable: bool) -> None:  # noqa: F811
    code = TAMPERING % (("SEEN = []", 'SEEN.append("first")', "SEEN") if mutable else ("", "pass", "[]"))
    run = start_run(python_playbook("tampering", code), container)
    worker.drain()
    run.refresh_from_db()
    assert run.status == "success", run.message
    assert json.loads(RunData.objects.get(run=run, key="second").value) == [0, [1, 2], False, [], 2, None]

