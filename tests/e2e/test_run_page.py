"""The run page for analysts (/runs/<id>): the live view outside the editor, read-only,
replay of finished runs with the timeline, and the history of the container."""
from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from engine.execution.runs import start_run
from engine.models import Container
from tests.conftest import PASSWORD
from tests.e2e import run_playbooks as pbs
from tests.e2e.conftest import login
from tests.e2e.test_live_runs import RUN_TIMEOUT_MS, answer_over_rest, status, wait_run, wait_status

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def case(transactional_db: Any) -> Container:
    pbs.utilities_asset()
    return Container.objects.create(name="case one", label="events")


def test_an_analyst_watches_a_run_live_and_answers_its_prompt(
        live_server_url: str, page: Any, analyst: User, case: Container) -> None:
    run = start_run(pbs.store("asks", pbs.prompt_playbook(approver="analyst")), case, scope="all")
    login(page, live_server_url, "analyst", PASSWORD)
    page.goto(f"{live_server_url}/runs/{run.pk}")
    page.wait_for_selector("[data-testid=run-page]")
    assert f"Run #{run.pk}" in page.inner_text("[data-testid=run-title]")
    page.wait_for_selector("[data-testid=prompt-dialog]", timeout=RUN_TIMEOUT_MS)
    wait_status(page, "ask", "waiting")
    # Read-only: nothing to edit or save here.
    assert page.query_selector("[data-testid=save-playbook]") is None
    assert page.query_selector("[data-testid=palette-action]") is None
    page.click("[data-testid=prompt-choice-0-No]")
    page.click("[data-testid=prompt-submit]")
    wait_run(page, "success")
    assert status(page, "declined_note") == "success" and status(page, "approved_note") == "skipped"
    assert page.get_attribute("[data-testid=edge-answered-declined_note]", "data-taken") == "true"


def test_a_finished_run_is_replayed_with_the_timeline(
        live_server_url: str, page: Any, analyst: User, case: Container) -> None:
    run = start_run(pbs.store("works", pbs.success_playbook(delay_s=0)), case, scope="all")
    login(page, live_server_url, "analyst", PASSWORD)
    # The embedded worker starts with the server's first request; let the run finish.
    page.goto(f"{live_server_url}/runs/{run.pk}")
    wait_run(page, "success")
    page.reload()
    wait_status(page, "hash_name", "success")
    assert page.get_attribute("[data-testid=run-connection]", "data-state") == "finished"

    page.click("[data-testid=run-timeline-start]")
    wait_status(page, "on_start", "pending")
    assert page.get_attribute("[data-testid=run-status]", "data-status") == "pending"
    assert page.locator("[data-testid=log-line]").count() == 0
    page.click("[data-testid=run-timeline-next]")  # run.started … first block
    page.click("[data-testid=run-timeline-next]")
    wait_status(page, "format_1", "running")
    assert status(page, "on_start") == "success" and status(page, "hash_name") == "pending"
    assert page.get_attribute("[data-testid=edge-on_start-format_1]", "data-taken") == "true"
    assert page.get_attribute("[data-testid=edge-format_1-slow_code]", "data-taken") == "false"
    page.click("[data-testid=run-timeline-live]")
    wait_status(page, "hash_name", "success")
    assert status(page, "note_other") == "skipped"


def test_the_run_history_of_the_container_opens_other_runs(
        live_server_url: str, page: Any, analyst: User, editor: User, case: Container) -> None:
    failing = start_run(pbs.store("fails", pbs.failing_playbook()), case, scope="all")
    asks = start_run(pbs.store("asks", pbs.prompt_playbook(approver="editor")), case, scope="all")
    login(page, live_server_url, "analyst", PASSWORD)
    page.goto(f"{live_server_url}/runs/{asks.pk}")
    wait_status(page, "ask", "waiting")
    # The prompt is for somebody else: no dialog for this analyst.
    assert page.query_selector("[data-testid=prompt-dialog]") is None
    page.click("[data-testid=run-tab-history]")
    page.click("[data-testid=run-history-container]")
    page.wait_for_selector(f"[data-testid=run-history-item-{failing.pk}]")
    assert page.get_attribute(f"[data-testid=run-history-item-{asks.pk}]", "data-status") in ("running", "pending")
    page.click(f"[data-testid=run-history-item-{failing.pk}]")
    page.wait_for_url(f"**/runs/{failing.pk}")
    wait_status(page, "explode", "failed")
    answer_over_rest(live_server_url, editor, asks.pk, ["Yes"])
