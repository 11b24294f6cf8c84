"""Playbook code runs in a runner process (engine.runner): what it cannot do, or is
stopped doing, ends its run with a clear error, and the next run carries on."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from engine.models import Container, PlaybookRun
from tests.engine.conftest import python_playbook

pytestmark = pytest.mark.django_db(transaction=True)


def _run_block(run_to_end: Callable[..., PlaybookRun], container: Container, body: str,
               name: str = "isolated") -> PlaybookRun:
    indented = "\n".join("    " + line for line in body.strip().splitlines())
    return run_to_end(python_playbook(name, f"""
import phantom.rules as phantom


@phantom.playbook_block()
def risky(container=None, **kwargs):
{indented}


def on_start(container):
    risky(container=container)


def on_finish(container, summary):
    pass
"""), container)


def _a_next_run_succeeds(run_to_end: Callable[..., PlaybookRun], container: Container) -> None:
    after = _run_block(run_to_end, container, 'phantom.debug("still here")', name="well_behaved")
    assert after.status == "success", after.message


@pytest.fixture
def short_blocks(settings: Any) -> None:
    settings.SOAR_BLOCK_TIMEOUT_S = 2


def test_it_stops_a_block_sleeping_past_its_time_limit(run_to_end: Callable[..., PlaybookRun],
                                                       container: Container, short_blocks: None) -> None:
    run = _run_block(run_to_end, container, "import time\ntime.sleep(120)")
    assert run.status == "failed" and run.message == "block risky exceeded its time limit of 2 s"
    _a_next_run_succeeds(run_to_end, container)


def test_it_stops_a_catastrophic_regex_inside_its_c_call(run_to_end: Callable[..., PlaybookRun],
                                                         container: Container, short_blocks: None) -> None:
    run = _run_block(run_to_end, container, "import re\nre.match(r'(a+)+$', 'a' * 64 + 'b')")
    assert run.status == "failed" and "exceeded its time limit of 2 s" in run.message and "risky" in run.message
    _a_next_run_succeeds(run_to_end, container)


def test_it_stops_a_block_allocating_without_end(run_to_end: Callable[..., PlaybookRun], container: Container) -> None:
    run = _run_block(run_to_end, container, "hoard = []\nwhile True:\n    hoard.append(bytearray(10 ** 7))")
    assert run.status == "failed" and "memory limit" in run.message and "risky" in run.message
    _a_next_run_succeeds(run_to_end, container)


def test_it_refuses_to_start_a_program(run_to_end: Callable[..., PlaybookRun], container: Container) -> None:
    run = _run_block(run_to_end, container, "import os\nos.system('touch /tmp/owned-by-a-playbook')")
    assert run.status == "failed" and "PermissionError" in run.message and "os.system" in run.message
    _a_next_run_succeeds(run_to_end, container)


def test_the_servers_secret_key_is_not_there_to_read(run_to_end: Callable[..., PlaybookRun],
                                                     container: Container) -> None:
    run = _run_block(run_to_end, container, "from django.conf import settings\nphantom.debug(settings.SECRET_KEY)")
    assert run.status == "failed" and "ImproperlyConfigured" in run.message
    _a_next_run_succeeds(run_to_end, container)


def test_the_orm_cannot_read_assets(run_to_end: Callable[..., PlaybookRun], container: Container) -> None:
    run = _run_block(run_to_end, container, "from engine.models import Asset\nphantom.debug(list(Asset.objects.all()))")
    assert run.status == "failed" and "risky" in run.message
    assert "ImproperlyConfigured" in run.message or "AppRegistryNotReady" in run.message
    _a_next_run_succeeds(run_to_end, container)
