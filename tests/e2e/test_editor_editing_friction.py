"""Editing without friction: Escape in a datapath field, blocks added from the palette never
on top of each other, a block inserted into an edge (its "+") or after the selected block."""
from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from tests.e2e.editor_helpers import (
    block,
    click_edge,
    edge,
    edge_pairs,
    editor_json,
    node,
    open_editor,
    playbook,
    sign_in,
    store_playbook,
)

pytestmark = pytest.mark.django_db(transaction=True)

START_END = [node("0", "start", "on_start", 400, 0), node("1", "end", "on_finish", 400, 400)]


def open_blank(page: Any, base: str, name: str) -> int:
    pk = store_playbook(name, playbook(START_END, [edge("0", "1")]))
    sign_in(page, base, "editor")
    open_editor(page, base, pk)
    return pk


def test_escape_in_a_datapath_field_closes_its_suggestions_and_leaves_the_panel_open(
        module_live_server_url: str, page: Any, editor: User) -> None:
    decision = node("2", "decision", "decision_1", 375, 200, conditions=[
        {"comparisons": [{"conditionIndex": 0, "op": "==", "param": "", "value": ""}], "conditionIndex": 0,
         "customName": "", "logic": "and"}])
    pk = store_playbook("escape", playbook([*START_END, decision], [edge("0", "2"), edge("2", "1", 0)]))
    sign_in(page, module_live_server_url, "editor")
    open_editor(page, module_live_server_url, pk)
    block(page, "decision_1").click()
    panel = page.locator("[data-testid=block-panel]")
    expect(panel).to_be_visible()

    field = page.locator("[data-testid=cond-0-cmp-0-param]")
    field.click()
    field.press_sequentially("artifact:*.cef.source")
    suggestions = page.locator("[data-testid=cond-0-cmp-0-param-suggestions]")
    expect(suggestions).to_be_visible()
    field.press("Escape")
    expect(suggestions).to_be_hidden()
    expect(panel).to_be_visible()
    expect(field).to_have_value("artifact:*.cef.source")
    # With the list closed, Escape closes the panel as everywhere else.
    field.press("Escape")
    expect(panel).to_be_hidden()


def boxes_overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])


def test_blocks_added_from_the_palette_never_land_on_another_block(
        module_live_server_url: str, page: Any, editor: User) -> None:
    open_blank(page, module_live_server_url, "crowded")
    names = ["format_1", "format_2", "format_3"]
    for name in names:
        page.keyboard.press("Escape")  # nothing selected: each lands at the middle of the canvas
        page.click("[data-testid=palette-format]")
        block(page, name).wait_for()
    page.keyboard.press("Escape")
    boxes = {name: block(page, name).bounding_box() for name in ["on_start", "on_finish", *names]}
    for a in boxes:
        for b in boxes:
            assert a == b or not boxes_overlap(boxes[a], boxes[b]), f"{a} lies on {b}: {boxes[a]} {boxes[b]}"


def test_the_plus_on_an_edge_inserts_the_chosen_block_into_it(
        module_live_server_url: str, page: Any, editor: User) -> None:
    open_blank(page, module_live_server_url, "spliced")
    click_edge(page, "port_0_to_port_1")
    page.click("[data-testid=edge-insert-port_0_to_port_1]")
    page.click("[data-testid=type-picker-format]")
    block(page, "format_1").wait_for()
    assert edge_pairs(editor_json(page)) == {("on_start", "format_1"), ("format_1", "on_finish")}
    # One undo step takes the whole insertion back.
    page.keyboard.press("Escape")
    page.keyboard.press("Control+z")
    expect(block(page, "format_1")).to_have_count(0)
    assert edge_pairs(editor_json(page)) == {("on_start", "on_finish")}


def test_a_block_added_while_a_block_is_selected_is_spliced_in_after_it(
        module_live_server_url: str, page: Any, editor: User) -> None:
    open_blank(page, module_live_server_url, "after_start")
    block(page, "on_start").click()
    page.click("[data-testid=palette-action]")
    block(page, "action_1").wait_for()
    # The new block is selected: the next one goes after it.
    page.click("[data-testid=palette-format]")
    block(page, "format_1").wait_for()
    assert edge_pairs(editor_json(page)) == {("on_start", "action_1"), ("action_1", "format_1"), ("format_1", "on_finish")}
