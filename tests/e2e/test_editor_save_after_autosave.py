"""Saving after an autosave: the tab knows the versions it saved itself, so its own autosave
is no conflict, while a save made meanwhile by another tab still opens the conflict dialog."""
from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from tests.e2e.editor_helpers import block, edge, node, open_editor, playbook, sign_in, store_playbook, stored_json

pytestmark = pytest.mark.django_db(transaction=True)

AUTOSAVE_WAIT_MS = 20_000  # the editor autosaves 5 s after the last change


def blank(name: str) -> int:
    return store_playbook(name, playbook([node("0", "start", "on_start", 400, 0), node("1", "end", "on_finish", 400, 400)],
                                         [edge("0", "1")]))


def is_put(playbook_id: int) -> Any:
    return lambda r: r.url.endswith(f"/api/playbooks/{playbook_id}") and r.request.method == "PUT"


def add_block(page: Any, key: str, name: str) -> None:
    page.click(f"[data-testid=palette-{key}]")
    block(page, name).wait_for()


def test_save_after_an_autosave_of_the_same_tab_is_no_conflict(
        module_live_server_url: str, page: Any, editor: User) -> None:
    pk = blank("autosaved")
    sign_in(page, module_live_server_url, "editor")
    open_editor(page, module_live_server_url, pk)

    with page.expect_response(is_put(pk), timeout=AUTOSAVE_WAIT_MS) as autosave:
        add_block(page, "format", "format_1")
    assert autosave.value.status == 200, autosave.value.text()
    assert autosave.value.json()["version"] == 2
    page.wait_for_selector("[data-testid=save-status]:has-text('Saved v2')")

    add_block(page, "format", "format_2")
    with page.expect_response(is_put(pk)) as saved:
        page.click("[data-testid=save-playbook]")
    assert saved.value.status == 200, saved.value.text()
    assert saved.value.json()["version"] == 3
    page.wait_for_selector("[data-testid=save-status]:has-text('Saved v3')")
    assert page.locator("[data-testid=conflict-dialog]").count() == 0


def test_a_save_begun_while_the_autosave_is_in_flight_follows_it_instead_of_being_dropped(
        module_live_server_url: str, page: Any, editor: User) -> None:
    pk = blank("in_flight")
    sign_in(page, module_live_server_url, "editor")
    open_editor(page, module_live_server_url, pk)
    # The autosave's request is held on its way to the server until the second save is asked for.
    held: list[Any] = []
    page.route(f"**/api/playbooks/{pk}",
               lambda route: held.append(route) if route.request.method == "PUT" and not held else route.continue_())

    add_block(page, "format", "format_1")
    for _ in range(AUTOSAVE_WAIT_MS // 100):
        if held:
            break
        page.wait_for_timeout(100)
    assert held, "no autosave"
    add_block(page, "format", "format_2")
    page.keyboard.press("Escape")  # out of any field: Ctrl+S is the editor's
    page.keyboard.press("Control+s")
    page.wait_for_timeout(300)
    assert len(held) == 1
    # The second save goes out as soon as the autosave is answered, well before the next
    # autosave would (5 s after the last change), based on the autosaved version.
    with page.expect_response(lambda r: is_put(pk)(r) and r.status == 200 and r.json()["version"] == 3, timeout=3_000) as saved:
        held[0].continue_()
    assert page.locator("[data-testid=conflict-dialog]").count() == 0
    names = {n["data"]["functionName"] for n in stored_json(pk)["coa"]["data"]["nodes"].values()}
    assert {"format_1", "format_2"} <= names
    assert saved.value.ok


def test_a_save_from_another_tab_still_opens_the_conflict_dialog(
        module_live_server_url: str, page: Any, editor: User) -> None:
    pk = blank("contested")
    sign_in(page, module_live_server_url, "editor")
    open_editor(page, module_live_server_url, pk)
    other = page.context.new_page()
    open_editor(other, module_live_server_url, pk)

    # This tab autosaves v2; the other tab, still on v1, is refused and shows the dialog.
    with page.expect_response(is_put(pk), timeout=AUTOSAVE_WAIT_MS) as autosave:
        add_block(page, "format", "format_1")
    assert autosave.value.status == 200, autosave.value.text()

    add_block(other, "format", "format_1")
    with other.expect_response(is_put(pk)) as refused:
        other.click("[data-testid=save-playbook]")
    assert refused.value.status == 409, refused.value.text()
    other.wait_for_selector("[data-testid=conflict-dialog]")
    assert "version 1" in other.locator("[data-testid=conflict-dialog]").inner_text()

    # And the first tab, whose v2 the other tab never saw, saves on without a conflict.
    add_block(page, "format", "format_2")
    with page.expect_response(is_put(pk)) as saved:
        page.click("[data-testid=save-playbook]")
    assert saved.value.status == 200, saved.value.text()
    assert page.locator("[data-testid=conflict-dialog]").count() == 0
    other.close()
