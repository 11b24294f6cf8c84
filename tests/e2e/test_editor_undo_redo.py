"""Undo and redo in the editor: each edit is one step, Ctrl+Z / Ctrl+Shift+Z (or Ctrl+Y) and
the toolbar's buttons walk back and forth, and what is saved is what is shown."""
from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from tests.conftest import grant_edit_code
from tests.e2e.editor_helpers import (
    block,
    centre,
    connect,
    drag,
    edge,
    edge_pairs,
    editor_json,
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


# start → format_1 → end, and format_2 (which reads format_1) not yet connected.
PLAYBOOK = playbook(
    [node("0", "start", "on_start", 400, 0), node("1", "end", "on_finish", 400, 420),
     node("2", "format", "format_1", 375, 140, functionId=1, parameters=["container:name"], template="Hello {0}\n"),
     node("3", "format", "format_2", 700, 140, functionId=2, parameters=["format_1:formatted_data"],
          template="Again: {0}\n")],
    [edge("0", "2"), edge("2", "1")])


@pytest.fixture
def opened(module_live_server_url: str, page: Any, editor: User) -> int:
    # This editor adds a Code block, which needs "edit code" (tests/api/test_edit_code_permission.py).
    grant_edit_code(editor)
    pk = store_playbook("undo_me", PLAYBOOK)
    sign_in(page, module_live_server_url, "editor")
    open_editor(page, module_live_server_url, pk)
    return pk


def names(page: Any) -> set[str]:
    return set(nodes_by_name(editor_json(page)))


def position(page: Any, name: str) -> tuple[int, int]:
    node = nodes_by_name(editor_json(page))[name]
    return node["x"], node["y"]


def test_undo_removes_an_added_block_and_redo_brings_it_back(opened: int, page: Any) -> None:
    before = editor_json(page)
    page.click("[data-testid=palette-code]")
    block(page, "code_1").wait_for()
    page.keyboard.press("Escape")

    page.keyboard.press("Control+z")
    block(page, "code_1").wait_for(state="detached")
    assert editor_json(page) == before
    page.keyboard.press("Control+Shift+z")
    block(page, "code_1").wait_for()
    assert "code_1" in names(page)
    save(page, opened)
    assert "code_1" in set(nodes_by_name(stored_json(opened)))


def test_undo_restores_a_deleted_block_with_its_edges_and_redo_deletes_it_again(opened: int, page: Any) -> None:
    before = editor_json(page)
    block(page, "format_1").click()
    page.keyboard.press("Delete")
    block(page, "format_1").wait_for(state="detached")
    assert edge_pairs(editor_json(page)) == set()

    page.click("[data-testid=undo]")
    block(page, "format_1").wait_for()
    assert editor_json(page) == before
    page.click("[data-testid=redo]")
    block(page, "format_1").wait_for(state="detached")
    assert "format_1" not in names(page)
    assert edge_pairs(editor_json(page)) == set()


def test_undo_removes_a_drawn_edge_and_redo_draws_it_again(opened: int, page: Any) -> None:
    connect(page, "on_start", "format_2")
    assert ("on_start", "format_2") in edge_pairs(editor_json(page))

    page.keyboard.press("Control+z")
    assert edge_pairs(editor_json(page)) == {("on_start", "format_1"), ("format_1", "on_finish")}
    page.keyboard.press("Control+y")
    assert ("on_start", "format_2") in edge_pairs(editor_json(page))
    save(page, opened)
    assert ("on_start", "format_2") in edge_pairs(stored_json(opened))


def test_undo_puts_a_dragged_block_back_in_one_step_and_redo_moves_it_again(opened: int, page: Any) -> None:
    start = position(page, "format_2")
    x, y = centre(page, "[data-testid=block-format_2]")
    drag(page, (x, y), (x + 120, y + 160))
    moved = position(page, "format_2")
    assert moved[0] > start[0] + 50 and moved[1] > start[1] + 50, (start, moved)
    assert all(isinstance(v, int) for v in moved), "positions are saved as whole pixels"

    page.keyboard.press("Escape")
    page.keyboard.press("Control+z")
    assert position(page, "format_2") == start
    page.keyboard.press("Control+Shift+z")
    assert position(page, "format_2") == moved
    save(page, opened)
    stored = nodes_by_name(stored_json(opened))["format_2"]
    assert (stored["x"], stored["y"]) == moved


def test_undo_reverts_typing_into_a_field_as_one_step_and_redo_reapplies_it(opened: int, page: Any) -> None:
    block(page, "format_1").click()
    template = page.locator("[data-testid=format-template]")
    template.click()
    page.keyboard.press("Control+a")
    page.keyboard.type("Goodbye {0}")
    assert nodes_by_name(editor_json(page))["format_1"]["data"]["template"] == "Goodbye {0}"

    page.keyboard.press("Escape")  # leave the field: in a field Ctrl+Z is the field's own undo
    page.keyboard.press("Control+z")
    assert nodes_by_name(editor_json(page))["format_1"]["data"]["template"] == "Hello {0}\n"
    block(page, "format_1").click()
    assert template.input_value() == "Hello {0}\n"

    page.keyboard.press("Escape")
    page.click("[data-testid=redo]")
    assert nodes_by_name(editor_json(page))["format_1"]["data"]["template"] == "Goodbye {0}"
    assert page.locator("[data-testid=redo]").is_disabled()
