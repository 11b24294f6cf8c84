"""The minimap and the run panel fold away (issue 20: at 1024 x 700 the minimap covered blocks
and the run panel half the canvas), and the browser remembers the choice."""
from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from engine.execution.runs import start_run
from engine.models import Container
from tests.conftest import PASSWORD
from tests.e2e import run_playbooks as pbs
from tests.e2e.conftest import login
from tests.e2e.test_live_runs import wait_run

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def small_page(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": 1024, "height": 700})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, errors


def height(page: Any, selector: str) -> float:
    box = page.locator(selector).bounding_box()
    assert box is not None, selector
    return float(box["height"])


def test_the_minimap_hides_and_stays_hidden_after_a_reload(live_server_url: str, small_page: Any, owner: User) -> None:
    playbook = pbs.store("mapped", pbs.success_playbook(delay_s=0))
    page = small_page
    login(page, live_server_url, "owner", PASSWORD)
    page.goto(f"{live_server_url}/playbooks/{playbook.pk}/edit")
    page.wait_for_selector("[data-testid=block-on_start]")
    page.wait_for_selector("[data-testid=canvas] .react-flow__minimap")
    page.click("[data-testid=minimap-toggle]")
    page.wait_for_selector("[data-testid=canvas] .react-flow__minimap", state="detached")
    assert page.get_attribute("[data-testid=minimap-toggle]", "aria-pressed") == "false"
    page.reload()
    page.wait_for_selector("[data-testid=block-on_start]")
    page.wait_for_timeout(300)
    assert page.locator("[data-testid=canvas] .react-flow__minimap").count() == 0
    page.click("[data-testid=minimap-toggle]")
    page.wait_for_selector("[data-testid=canvas] .react-flow__minimap")
    # The toggle sits above the map, not on it.
    toggle = page.locator("[data-testid=minimap-toggle]").bounding_box()
    minimap = page.locator("[data-testid=canvas] .react-flow__minimap").bounding_box()
    assert toggle and minimap and toggle["y"] + toggle["height"] <= minimap["y"]


def test_the_run_panel_collapses_to_one_line_in_the_editor_and_on_the_run_page(
        live_server_url: str, small_page: Any, owner: User) -> None:
    pbs.utilities_asset()
    case = Container.objects.create(name="case one", label="events")
    playbook = pbs.store("works", pbs.success_playbook(delay_s=0))
    run = start_run(playbook, case, scope="all")
    page = small_page
    login(page, live_server_url, "owner", PASSWORD)
    page.goto(f"{live_server_url}/playbooks/{playbook.pk}/edit?run={run.pk}")
    wait_run(page, "success")
    open_canvas = height(page, "[data-testid=canvas]")
    assert height(page, "[data-testid=run-panel]") >= 250

    page.click("[data-testid=run-panel-collapse]")
    page.wait_for_selector("[data-testid=run-panel][data-collapsed=true]")
    assert height(page, "[data-testid=run-panel]") <= 40
    assert page.locator("[data-testid=run-log]").count() == 0
    # The canvas takes the room the panel gave up; the run's status stays in view.
    assert height(page, "[data-testid=canvas]") >= open_canvas + 200
    assert page.get_attribute("[data-testid=run-status]", "data-status") == "success"

    # Remembered by this browser: after a reload, and on the run page too.
    page.reload()
    page.wait_for_selector("[data-testid=run-panel][data-collapsed=true]")
    page.goto(f"{live_server_url}/runs/{run.pk}")
    page.wait_for_selector("[data-testid=run-page] [data-testid=run-panel][data-collapsed=true]")
    # Clicking a block asks for its results: the panel opens on them.
    page.click("[data-testid=block-format_1]")
    page.wait_for_selector("[data-testid=run-panel][data-collapsed=false] [data-testid=run-tab-results].on")
    page.click("[data-testid=run-panel-collapse]")
    page.wait_for_selector("[data-testid=run-panel][data-collapsed=true]")
    page.click("[data-testid=run-panel-collapse]")
    page.wait_for_selector("[data-testid=run-panel][data-collapsed=false] [data-testid=run-tab-results].on")
