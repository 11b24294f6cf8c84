"""A run counts the actions it starts, across its steps, and stops at its action limit."""
from __future__ import annotations

from collections.abc import Callable

import pytest

from engine.models import ActionRun, Asset, Container, PlaybookRun
from tests.engine.conftest import python_playbook
from tests.engine.test_actions_and_callbacks import geo_assets  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=True)
Runner = Callable[..., PlaybookRun]

LIMITED = '''
import phantom.rules as phantom

def on_start(container):
    LIMIT
    phantom.act("geolocate ip", parameters=[{"ip": "1.1.1.1"}], assets=["maxmind"], callback=again, name="geo_1")
    phantom.act("geolocate ip", parameters=[{"ip": "1.1.1.2"}], assets=["maxmind"], name="geo_2")

def again(action=None, success=None, container=None, results=None, handle=None, **kwargs):
    phantom.act("geolocate ip", parameters=[{"ip": "1.1.1.3"}], assets=["maxmind"], name="geo_3")

def on_finish(container, summary):
    pass
'''


def test_the_run_counts_every_action_it_started_across_its_steps(geo_assets: list[Asset],  # noqa: F811
                                                                 container: Container, run_to_end: Runner) -> None:
    run = run_to_end(python_playbook("limited", LIMITED.replace("LIMIT", "pass")), container)
    assert run.status == "success", run.message
    assert run.action_count == 3 == ActionRun.objects.filter(playbook_run=run).count()


def test_an_action_beyond_the_limit_fails_the_block_that_started_it(geo_assets: list[Asset],  # noqa: F811
                                                                    container: Container, run_to_end: Runner) -> None:
    source = LIMITED.replace("LIMIT", "phantom.set_action_limit(2)")
    run = run_to_end(python_playbook("limited", source), container)
    assert run.status == "failed"
    assert "exceeded its action limit of 2" in run.message
    assert run.failed_block == "again"
    assert list(ActionRun.objects.filter(playbook_run=run).values_list("name", flat=True).order_by("id")) == \
        ["geo_1", "geo_2"]
