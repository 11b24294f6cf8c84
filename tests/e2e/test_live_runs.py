"""Live runs in the editor, in a real browser: start from the Run dialog, watch blocks and
edges change as the embedded worker executes the run, read the log and results, answer a
prompt, and reload mid-run."""
from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from engine.models import Container, PlaybookRun
from tests.conftest import PASSWORD
from tests.e2e import run_playbooks as pbs
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)
RUN_TIMEOUT_MS = 30_000

# Records every data-status change of a block, in the order the browser painted them.
RECORD_STATUSES = """() => {
  window.__statusLog = [];
  const seen = (el) => window.__statusLog.push([performance.now(), el.dataset.testid, el.dataset.status]);
  new MutationObserver((changes) => {
    for (const c of changes) if (c.target.dataset && (c.target.dataset.testid || '').startsWith('block-')) seen(c.target);
  }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-status'] });
}"""


def status(page: Any, block: str) -> str | None:
    return page.get_attribute(f"[data-testid=block-{block}]", "data-status")


def wait_status(page: Any, block: str, value: str, timeout: int = RUN_TIMEOUT_MS) -> None:
    page.wait_for_selector(f"[data-testid=block-{block}][data-status={value}]", timeout=timeout)


def wait_run(page: Any, value: str) -> None:
    page.wait_for_selector(f"[data-testid=run-status][data-status={value}]", timeout=RUN_TIMEOUT_MS)


def open_editor(page: Any, base: str, playbook_id: int, user: str = "editor") -> None:
    login(page, base, user, PASSWORD)
    page.goto(f"{base}/playbooks/{playbook_id}/edit")
    page.wait_for_selector("[data-testid=block-on_start]")


def start_run(page: Any, container: Container, scope: str = "all", simulate: bool = True) -> int:
    page.click("[data-testid=run-button]")
    page.wait_for_selector("[data-testid=run-dialog]")
    page.fill("[data-testid=run-container-search]", container.name)
    page.click(f"[data-testid=run-container-{container.pk}]")
    page.check(f"[data-testid=run-scope-{scope}]")
    if not simulate:
        page.uncheck("[data-testid=run-simulate]")
    page.click("[data-testid=run-start]")
    panel = page.wait_for_selector("[data-testid=run-panel]")
    page.wait_for_selector("[data-testid=run-dialog]", state="detached")
    return int(panel.get_attribute("data-run-id"))


@pytest.fixture
def case(transactional_db: Any) -> Container:
    pbs.utilities_asset()
    return Container.objects.create(name="case one", label="events")


def test_a_run_started_from_the_editor_turns_its_blocks_green_in_order(
        live_server_url: str, page: Any, editor: User, case: Container) -> None:
    playbook = pbs.store("run_demo", pbs.success_playbook(delay_s=0.3))
    open_editor(page, live_server_url, playbook.pk)
    page.evaluate(RECORD_STATUSES)
    run_id = start_run(page, case)

    wait_run(page, "success")
    path = ["on_start", "format_1", "slow_code", "decision_1", "hash_name", "on_finish"]
    assert {b: status(page, b) for b in [*path, "note_other"]} == {**dict.fromkeys(path, "success"), "note_other": "skipped"}
    run = PlaybookRun.objects.get(pk=run_id)
    assert run.status == "success" and run.simulate_writes is True and run.scope == "all"

    # Each block turned green after the one before it, in separate paints, never at once.
    log = page.evaluate("window.__statusLog")
    first_green: dict[str, float] = {}
    for at, testid, value in log:
        if value == "success":
            first_green.setdefault(testid.removeprefix("block-"), at)
    times = [first_green[b] for b in path]
    assert times == sorted(times) and len(set(times)) == len(times), log

    # The decision's branch that was taken is highlighted, with the evaluated condition.
    assert page.get_attribute("[data-testid=edge-decision_1-hash_name]", "data-taken") == "true"
    assert page.get_attribute("[data-testid=edge-decision_1-note_other]", "data-taken") == "false"
    label = page.locator("[data-testid=edge-label-decision_1-hash_name]")
    assert "events == events" in label.inner_text() and label.get_attribute("data-matched") == "true"
    assert page.locator("[data-testid=run-count-success]").get_attribute("data-count") == "6"
    assert page.locator("[data-testid=run-count-skipped]").get_attribute("data-count") == "1"
    assert page.locator("[data-testid=log-line]", has_text="format_1() called").count() == 1
    assert f"run={run_id}" in page.url


def test_clicking_a_block_shows_its_action_results_with_copyable_datapaths(
        live_server_url: str, page: Any, editor: User, case: Container) -> None:
    playbook = pbs.store("run_results", pbs.success_playbook(delay_s=0))
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    open_editor(page, live_server_url, playbook.pk)
    start_run(page, case)
    wait_run(page, "success")

    page.click("[data-testid=block-hash_name]")
    results = page.wait_for_selector("[data-testid=run-results][data-block=hash_name]")
    page.wait_for_selector("[data-testid=result-tree]")
    assert results.query_selector("[data-testid=run-results-status]").inner_text() == "success"
    rows = page.locator("[data-testid=result-row]")
    paths = [rows.nth(i).get_attribute("data-datapath") for i in range(rows.count())]
    assert "hash_name:action_result.status" in paths and "hash_name:action_result.data" in paths
    # Open `data`, then its first item: list items under data are addressed with `*`.
    page.click("[data-testid=result-row][data-datapath='hash_name:action_result.data'] [data-testid=result-toggle]")
    page.click("[data-testid=result-row][data-datapath='hash_name:action_result.data.*'] [data-testid=result-toggle]")
    deep = page.locator("[data-testid=result-row][data-datapath^='hash_name:action_result.data.*.']")
    assert deep.count() >= 1
    target = deep.first.get_attribute("data-datapath")
    deep.first.locator("[data-testid=copy-datapath]").click()
    page.wait_for_selector("[data-testid=datapath-copied]")
    assert page.evaluate("navigator.clipboard.readText()") == target

    # A decision shows what it evaluated.
    page.click("[data-testid=block-decision_1]")
    page.wait_for_selector("[data-testid=run-results][data-block=decision_1] [data-testid=result-eval-0]")
    assert "events == events" in page.inner_text("[data-testid=result-eval-0]")


def test_a_failing_block_turns_red_and_its_error_is_in_the_log(
        live_server_url: str, page: Any, editor: User, case: Container) -> None:
    playbook = pbs.store("run_fails", pbs.failing_playbook())
    open_editor(page, live_server_url, playbook.pk)
    start_run(page, case)

    wait_run(page, "failed")
    wait_status(page, "explode", "failed")
    # Only the block the exception came out of is red; its callers did their part.
    assert status(page, "prepare") == "success" and status(page, "on_start") == "success"
    assert status(page, "after") == "skipped" and status(page, "on_finish") == "skipped"
    assert "ValueError: the fuse was lit" in page.inner_text("[data-testid=run-error-explode]")
    errors = page.locator("[data-testid=log-line][data-level=error]")
    assert errors.count() >= 1 and "the fuse was lit" in errors.first.inner_text()
    assert "explode" in page.inner_text("[data-testid=run-message]")

    # Level filters: without debug lines only errors (and the run's own line) remain.
    debug_before = page.locator("[data-testid=log-line][data-level=debug]").count()
    assert debug_before >= 3
    page.uncheck("[data-testid=log-level-debug]")
    assert page.locator("[data-testid=log-line][data-level=debug]").count() == 0
    assert page.locator("[data-testid=log-line][data-level=error]").count() == errors.count()
    page.check("[data-testid=log-level-debug]")
    assert page.locator("[data-testid=log-line][data-level=debug]").count() == debug_before


def test_a_prompt_is_answered_in_the_dialog_and_the_run_finishes(
        live_server_url: str, page: Any, editor: User, case: Container) -> None:
    playbook = pbs.store("run_prompt", pbs.prompt_playbook(approver="editor"))
    open_editor(page, live_server_url, playbook.pk)
    start_run(page, case)

    dialog = page.wait_for_selector("[data-testid=prompt-dialog]", timeout=RUN_TIMEOUT_MS)
    assert "Contain case case one?" in dialog.inner_text()
    wait_status(page, "ask", "waiting")
    assert page.get_attribute("[data-testid=run-count-waiting]", "data-count") == "1"
    page.click("[data-testid=prompt-choice-0-Yes]")
    page.click("[data-testid=prompt-submit]")
    page.wait_for_selector("[data-testid=prompt-dialog]", state="detached")

    wait_run(page, "success")
    assert status(page, "ask") == "success" and status(page, "approved_note") == "success"
    assert status(page, "declined_note") == "skipped"
    assert page.get_attribute("[data-testid=edge-answered-approved_note]", "data-taken") == "true"
    assert page.get_attribute("[data-testid=edge-label-answered-approved_note]", "data-matched") == "true"


def test_a_prompt_for_somebody_else_opens_no_dialog(
        live_server_url: str, page: Any, editor: User, analyst: User, case: Container) -> None:
    playbook = pbs.store("run_prompt_other", pbs.prompt_playbook(approver="analyst"))
    open_editor(page, live_server_url, playbook.pk)
    start_run(page, case)
    wait_status(page, "ask", "waiting")
    page.wait_for_timeout(500)
    assert page.query_selector("[data-testid=prompt-dialog]") is None


def answer_over_rest(base: str, user: User, run_id: int, responses: list[str]) -> None:
    """Answer as another person would: through the server (whose worker continues the run)."""
    import json
    import urllib.request

    from engine.models import ActionRun, ApiToken

    prompt = ActionRun.objects.get(playbook_run_id=run_id, type="prompt")
    request = urllib.request.Request(f"{base}/rest/prompt/{prompt.pk}/respond", method="POST",
                                     data=json.dumps({"responses": responses}).encode(),
                                     headers={"ph-auth-token": ApiToken.issue(user)[1], "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200


def test_reloading_the_page_mid_run_catches_up(
        live_server_url: str, page: Any, editor: User, analyst: User, case: Container) -> None:

    playbook = pbs.store("run_reload", pbs.prompt_playbook(approver="analyst", delay_s=0.2))
    open_editor(page, live_server_url, playbook.pk)
    run_id = start_run(page, case)
    wait_status(page, "ask", "waiting")

    page.reload()
    # Back on the same run (it is in the address): stored events paint the state at once.
    page.wait_for_selector(f"[data-testid=run-panel][data-run-id='{run_id}']")
    wait_status(page, "ask", "waiting")
    assert status(page, "slow_start") == "success" and status(page, "approved_note") == "pending"
    page.wait_for_selector("[data-testid=run-connection][data-state=open]")

    # The run goes on while the page is open again: live events arrive after the replay.
    answer_over_rest(live_server_url, analyst, run_id, ["Yes"])
    wait_run(page, "success")
    assert status(page, "approved_note") == "success"
    # Replay and live stream overlap nowhere: every line once.
    for line in ("on_start() called", "ask() called", "approved by a person"):
        assert page.locator("[data-testid=log-line]", has_text=line).count() == 1
    seqs = [int(s) for s in page.eval_on_selector_all("[data-testid=log-line]", "els => els.map(e => e.dataset.seq)")]
    assert seqs == sorted(set(seqs))
