"""Scale-out: daphne without an embedded worker, a separate worker process (`manage.py
engine_rqworker` on the rq leg, `manage.py db_worker` otherwise) executing the run, Redis
carrying its events to the browser (PostgreSQL + Redis leg only: the in-memory channel
layer cannot cross processes)."""
from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection

from engine.execution.runs import start_run
from engine.models import Container
from tests.conftest import PASSWORD
from tests.e2e import run_playbooks as pbs
from tests.e2e.conftest import login, serve
from tests.e2e.test_live_runs import RUN_TIMEOUT_MS, wait_run, wait_status

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def scale_out_url(transactional_db: Any) -> Iterator[str]:
    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
        pytest.skip("scale-out needs PostgreSQL and Redis (the second leg of make test)")
    with serve(embedded_worker=False, workers=1) as url:
        yield url


def test_a_run_executed_by_a_separate_worker_process_reaches_the_browser_over_redis(
        scale_out_url: str, page: Any, analyst: User) -> None:
    pbs.utilities_asset()
    case = Container.objects.create(name="case one", label="events")
    run = start_run(pbs.store("asks", pbs.prompt_playbook(approver="analyst")), case, scope="all")
    login(page, scale_out_url, "analyst", PASSWORD)
    page.goto(f"{scale_out_url}/runs/{run.pk}")
    page.wait_for_selector("[data-testid=prompt-dialog]", timeout=RUN_TIMEOUT_MS)
    wait_status(page, "ask", "waiting")
    page.click("[data-testid=prompt-choice-0-No]")
    page.click("[data-testid=prompt-submit]")
    wait_run(page, "success")
    run.refresh_from_db()
    assert run.status == "success"
