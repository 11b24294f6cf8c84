"""Copying blocks in one playbook and pasting them into another, in two tabs, with Ctrl+C
and Ctrl+V: the blocks keep their settings and the edge between them, and saving stores them."""
from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from tests.e2e.editor_helpers import (
    block,
    copy_selection,
    edge,
    edge_pairs,
    editor_json,
    node,
    nodes_by_name,
    open_editor,
    paste_log,
    playbook,
    save,
    sign_in,
    store_playbook,
    stored_json,
    watch_paste,
)

pytestmark = pytest.mark.django_db(transaction=True)

FORMATS = [node("2", "format", "format_1", 375, 140, functionId=1, parameters=["container:name"], template="Hello {0}\n"),
           node("3", "format", "format_2", 375, 280, functionId=2, parameters=["format_1:formatted_data"],
                template="Again: {0}\n")]
# The source: start → format_1 → format_2 → end (format_2 reads format_1's output).
SOURCE = playbook([node("0", "start", "on_start", 400, 0), node("1", "end", "on_finish", 400, 420), *FORMATS],
                  [edge("0", "2"), edge("2", "3"), edge("3", "1")])
TARGET = playbook([node("0", "start", "on_start", 400, 0), node("1", "end", "on_finish", 400, 300)], [edge("0", "1")])


def test_blocks_copied_in_one_playbook_paste_into_another_tab_with_their_settings_and_edge(
        module_live_server_url: str, page: Any, editor: User) -> None:
    source, target = store_playbook("copy_from", SOURCE), store_playbook("paste_into", TARGET)
    sign_in(page, module_live_server_url, "editor")
    open_editor(page, module_live_server_url, source)
    block(page, "format_1").click()
    block(page, "format_2").click(modifiers=["Control"])
    copy_selection(page, 2)

    other = page.context.new_page()
    errors: list[str] = []
    other.on("pageerror", lambda exc: errors.append(str(exc)))
    open_editor(other, module_live_server_url, target)
    watch_paste(other)
    other.click("[data-testid=canvas] .react-flow__pane", position={"x": 30, "y": 30})
    other.keyboard.press("Control+v")
    block(other, "format_2").wait_for()
    other.wait_for_timeout(150)  # past shortcuts.js's 60 ms fallback, so a double paste would show

    pasted = nodes_by_name(editor_json(other))
    copied = nodes_by_name(editor_json(page))
    assert set(pasted) == {"on_start", "on_finish", "format_1", "format_2"}, paste_log(other)
    for name in ("format_1", "format_2"):
        assert pasted[name]["data"]["template"] == copied[name]["data"]["template"]
        assert pasted[name]["data"]["parameters"] == copied[name]["data"]["parameters"]
        assert pasted[name]["id"] not in ("0", "1")
    assert edge_pairs(editor_json(other)) == {("on_start", "on_finish"), ("format_1", "format_2")}
    assert other.locator("[data-testid=block-format_2]").get_attribute("data-type") == "format"

    save(other, target)
    assert nodes_by_name(stored_json(target)).keys() == pasted.keys()
    assert edge_pairs(stored_json(target)) == {("on_start", "on_finish"), ("format_1", "format_2")}
    assert stored_json(source) == SOURCE, "copying changed the source playbook"
    assert not errors, errors


def test_pasting_into_the_same_playbook_gives_the_copies_new_names(
        module_live_server_url: str, page: Any, editor: User) -> None:
    pk = store_playbook("copy_twice", SOURCE)
    sign_in(page, module_live_server_url, "editor")
    open_editor(page, module_live_server_url, pk)
    watch_paste(page)
    block(page, "format_1").click()
    copy_selection(page, 1)
    page.keyboard.press("Control+v")
    block(page, "format_3").wait_for()
    page.wait_for_timeout(150)  # past shortcuts.js's 60 ms fallback, so a double paste would show
    nodes = nodes_by_name(editor_json(page))
    assert nodes["format_3"]["data"]["template"] == nodes["format_1"]["data"]["template"]
    assert sorted(nodes) == ["format_1", "format_2", "format_3", "on_finish", "on_start"], paste_log(page)
