"""The code view and a Code block's panel, on the front end as `make run` serves it
(collectstatic output under the manifest storage, tests/e2e/conftest.py).

Both load CodeMirror as a lazy chunk. Issue 20: after collectstatic the page loaded the
entry under Django's second hash while the chunks imported it under Vite's name, so React
ran twice and the code view died with React error #321.
"""
from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.editor_helpers import block, edge, node, open_editor, playbook, sign_in, store_playbook

pytestmark = pytest.mark.django_db(transaction=True)


def code_playbook() -> int:
    code = node("2", "code", "tidy_up", 0, 200, inputParameters=["artifact:*.cef.sourceAddress"], outputVariables=["done"])
    code["userCode"] = "\n    # Write your custom code here...\n    tidy_up__done = True\n\n"
    return store_playbook("served code view", playbook(
        [node("0", "start", "on_start", 0, 0), code, node("1", "end", "on_finish", 0, 400)],
        [edge("0", "2"), edge("2", "1")]))


def assert_no_page_errors(page: Any, errors: list[str]) -> None:
    assert not errors, f"the page threw: {errors}"
    assert page.locator("[data-testid=area-error]").count() == 0, page.locator("[data-testid=area-error]").all_text_contents()


def test_the_code_view_and_the_code_panel_open_on_the_served_build(page: Any, owner: Any, module_live_server_url: str) -> None:
    playbook_id = code_playbook()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    console: list[str] = []
    page.on("console", lambda msg: console.append(msg.text) if msg.type == "error" else None)
    sign_in(page, module_live_server_url, "owner")
    open_editor(page, module_live_server_url, playbook_id)

    # The page is the collected build: the manifest's names for our own files...
    styles = page.eval_on_selector_all("link[rel=stylesheet]", "els => els.map(e => e.href)")
    assert any(re.search(r"/static/css/app\.[0-9a-f]{12}\.css$", s) for s in styles), styles
    # ...and Vite's own names for its content-named assets, which its chunks import.
    scripts = page.eval_on_selector_all("script[type=module]", "els => els.map(e => e.src)")
    assert scripts and all(re.search(r"/static/editor/assets/main-[\w-]+\.js$", s) for s in scripts), scripts

    page.click("[data-testid=toggle-code]")
    page.wait_for_selector("[data-testid=code-view] [data-testid=generated-code] .cm-content")
    page.wait_for_function("document.querySelector('[data-testid=generated-code] .cm-content').textContent.includes('def on_start')")
    assert_no_page_errors(page, errors)
    page.click("[data-testid=code-close]")
    assert page.locator("[data-testid=code-view]").count() == 0

    # The E shortcut toggles it too (focus on the canvas, not in a field).
    page.click("[data-testid=canvas] .react-flow__pane", position={"x": 5, "y": 5})
    page.keyboard.press("e")
    page.wait_for_selector("[data-testid=code-view] [data-testid=generated-code] .cm-content")
    page.keyboard.press("e")
    page.wait_for_selector("[data-testid=code-view]", state="detached")

    # Selecting the Code block opens its panel, with its custom code in CodeMirror.
    block(page, "tidy_up").click()
    page.wait_for_selector("[data-testid=block-panel] [data-testid=code-user-code] .cm-content")
    assert "tidy_up__done = True" in page.locator("[data-testid=code-user-code] .cm-content").text_content()
    assert_no_page_errors(page, errors)
    assert not [c for c in console if "Minified React error" in c or "#321" in c], console
