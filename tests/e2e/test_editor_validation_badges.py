"""Problem badges on blocks: a datapath naming a block that does not exist puts a badge on
its block as soon as the editor opens; fixing the datapath and validating takes it away."""
from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from tests.e2e.editor_helpers import (
    block,
    choose_datapath,
    edge,
    node,
    nodes_by_name,
    open_editor,
    playbook,
    save,
    sign_in,
    store_playbook,
    stored_json,
)

pytestmark = pytest.mark.django_db(transaction=True)

BROKEN = "geolocate_ip_9:action_result.data.*.country_name"
PLAYBOOK = playbook(
    [node("0", "start", "on_start", 400, 0), node("1", "end", "on_finish", 400, 420),
     node("2", "format", "format_1", 375, 140, functionId=1, parameters=["container:name"], template="Case {0}\n"),
     node("3", "format", "format_2", 375, 280, functionId=2, parameters=[BROKEN], template="Country {0}\n")],
    [edge("0", "2"), edge("2", "3"), edge("3", "1")])


def test_a_badge_marks_a_block_with_a_broken_datapath_and_goes_once_it_is_fixed(
        module_live_server_url: str, page: Any, editor: User) -> None:
    pk = store_playbook("badges", PLAYBOOK)
    sign_in(page, module_live_server_url, "editor")
    open_editor(page, module_live_server_url, pk)

    badge = page.locator("[data-testid=badge-format_2]")
    badge.wait_for()
    assert "does not exist" in (badge.get_attribute("title") or "")
    assert "geolocate_ip_9" in (badge.get_attribute("title") or "")
    assert page.locator("[data-testid=badge-format_1]").count() == 0, "only the broken block is marked"

    # The problem list names it too, and clicking the problem selects the block.
    page.click("[data-testid=validate]")
    item = page.locator("[data-testid=validation-list] [data-testid^=validation-item-]")
    item.first.wait_for()
    assert item.count() == 1
    assert "geolocate_ip_9" in item.first.text_content()
    item.first.click()
    assert page.locator("[data-testid=block-panel]").get_attribute("data-block-id") == "3"

    # Fix it: the parameter now reads the upstream format block's output.
    field = page.locator("[data-testid=format-param-0]")
    field.click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Backspace")
    choose_datapath(page, "format-param-0", "format_1:formatted_data.", "format_1:formatted_data.*")
    page.keyboard.press("Escape")
    with page.expect_response(lambda r: r.url.endswith(f"/api/playbooks/{pk}/compile")):
        page.click("[data-testid=validate]")
    badge.wait_for(state="detached")
    assert page.locator("[data-testid=validation-list] [data-testid^=validation-item-]").count() == 0
    assert "has-errors" not in (block(page, "format_2").get_attribute("class") or "")

    answer = save(page, pk)
    assert answer["errors"] == []
    assert nodes_by_name(stored_json(pk))["format_2"]["data"]["parameters"] == ["format_1:formatted_data.*"]
