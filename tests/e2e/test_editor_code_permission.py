"""The editor follows the "edit code" permission (issue 20, item 14): an editor without it
cannot add a Code block (the palette's and the type picker's Code entries are disabled and
say why), a paste holding code is refused with a message in the page, a refused duplicate is
said on the list page, undo does not bring back a Code block whose removal was saved, and
every save still succeeds; an editor with it adds Code blocks."""
from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from tests.conftest import grant_edit_code
from tests.e2e.editor_helpers import (
    block,
    click_edge,
    copy_selection,
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

NEEDS = "needs the 'edit code' permission"
START_END = [node("0", "start", "on_start", 400, 0), node("1", "end", "on_finish", 400, 420)]
# start → code_1 → end: code someone with the permission wrote.
WITH_CODE = playbook(
    [*START_END, {**node("2", "code", "code_1", 375, 200, inputParameters=[], outputVariables=[]),
                  "userCode": "    phantom.debug('written by hand')\n"}],
    [edge("0", "2"), edge("2", "1")])


def test_an_editor_without_edit_code_cannot_add_code_and_every_save_succeeds(
        module_live_server_url: str, page: Any, editor: User) -> None:
    pk = store_playbook("no_code_rights", WITH_CODE)
    saves: list[Any] = []
    page.on("response", lambda r: saves.append(r) if (
        r.request.method == "PUT" and r.url.endswith(f"/api/playbooks/{pk}")) else None)
    sign_in(page, module_live_server_url, "editor")
    open_editor(page, module_live_server_url, pk)

    code_entry = page.locator("[data-testid=palette-code]")
    expect(code_entry).to_be_disabled()
    assert NEEDS in (code_entry.get_attribute("title") or "")
    expect(page.locator("[data-testid=palette-format]")).to_be_enabled()

    # The "+" on an edge offers every block but Code.
    click_edge(page, "port_0_to_port_2")
    page.click("[data-testid=edge-insert-port_0_to_port_2]")
    picker_code = page.locator("[data-testid=type-picker-code]")
    expect(picker_code).to_be_disabled()
    assert NEEDS in (picker_code.get_attribute("title") or "")
    page.click("[data-testid=type-picker-format]")
    block(page, "format_1").wait_for()

    # The Code block already there can be read, not written, and not copied in again.
    page.keyboard.press("Escape")
    block(page, "code_1").click()
    expect(page.locator("[data-testid=code-permission-note]")).to_contain_text(NEEDS)
    copy_selection(page, 1)
    page.keyboard.press("Control+v")
    toast = page.locator("[data-testid=toast]")
    expect(toast).to_contain_text("Not pasted: Code block 'code_1'")
    expect(toast).to_contain_text(NEEDS)
    page.wait_for_timeout(150)  # past shortcuts.js's 60 ms paste fallback
    assert sorted(nodes_by_name(editor_json(page))) == ["code_1", "format_1", "on_finish", "on_start"]

    # The autosave of the Format block goes through: nothing the page let through is refused.
    expect(page.locator("[data-testid=save-status]")).to_contain_text("Saved v", timeout=15_000)
    assert saves and all(r.status == 200 for r in saves), [(r.status, r.text()) for r in saves]
    stored = stored_json(pk)
    assert sorted(nodes_by_name(stored)) == ["code_1", "format_1", "on_finish", "on_start"]
    assert edge_pairs(stored) == {("on_start", "format_1"), ("format_1", "code_1"), ("code_1", "on_finish")}


def test_undo_does_not_bring_back_a_code_block_whose_removal_was_saved(
        module_live_server_url: str, page: Any, editor: User) -> None:
    pk = store_playbook("undo_no_code", WITH_CODE)
    saves: list[Any] = []
    page.on("response", lambda r: saves.append(r) if (
        r.request.method == "PUT" and r.url.endswith(f"/api/playbooks/{pk}")) else None)
    sign_in(page, module_live_server_url, "editor")
    open_editor(page, module_live_server_url, pk)
    block(page, "code_1").click()
    page.keyboard.press("Delete")
    expect(block(page, "code_1")).to_have_count(0)
    expect(page.locator("[data-testid=save-status]")).to_contain_text("Saved v", timeout=15_000)

    page.keyboard.press("Control+z")
    toast = page.locator("[data-testid=toast]")
    expect(toast).to_contain_text("Not undone: it brings back Code block 'code_1'")
    expect(toast).to_contain_text(NEEDS)
    expect(block(page, "code_1")).to_have_count(0)
    assert not page.evaluate("window.playbookEditor.isDirty()")
    assert saves and all(r.status == 200 for r in saves), [(r.status, r.text()) for r in saves]
    assert "code_1" not in nodes_by_name(stored_json(pk))


def test_a_refused_duplicate_is_said_on_the_playbook_list(
        module_live_server_url: str, page: Any, editor: User) -> None:
    store_playbook("has_code", WITH_CODE)
    sign_in(page, module_live_server_url, "editor")
    page.goto(module_live_server_url + "/playbooks/")
    page.click("[data-testid=duplicate-has_code]")
    message = page.locator("[data-testid=playbook-message].error")
    expect(message).to_contain_text("writing code needs the 'edit code' permission")
    expect(page.locator("[data-testid=playbook-row-has_code_copy]")).to_have_count(0)


def test_an_editor_with_edit_code_adds_a_code_block_and_saves_it(
        module_live_server_url: str, page: Any, editor: User) -> None:
    grant_edit_code(editor)
    pk = store_playbook("code_rights", playbook(START_END, [edge("0", "1")]))
    sign_in(page, module_live_server_url, "editor")
    open_editor(page, module_live_server_url, pk)
    code_entry = page.locator("[data-testid=palette-code]")
    expect(code_entry).to_be_enabled()
    assert NEEDS not in (code_entry.get_attribute("title") or "")
    code_entry.click()
    block(page, "code_1").wait_for()
    block(page, "code_1").click()
    expect(page.locator("[data-testid=code-permission-note]")).to_have_count(0)
    save(page, pk)
    assert nodes_by_name(stored_json(pk))["code_1"]["type"] == "code"
