#!/usr/bin/env python3
"""Drive the editor in headless chromium against dev/mock_server.py and take screenshots.

Usage: .venv/bin/python editor/frontend/dev/smoke.py URL OUT_DIR   (dev aid; the lead owns e2e tests)
"""
from __future__ import annotations

import json
import sys
import time
import urllib.request

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def js(page, expr):
    return page.evaluate(expr)


def main(url: str, out: str) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        logs: list[str] = []
        page.on("console", lambda m: logs.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: logs.append(f"pageerror: {e}"))
        t0 = time.time()
        page.goto(url)
        page.wait_for_selector("[data-testid=block-on_start]")
        print(f"interactive in {(time.time() - t0) * 1000:.0f} ms")
        page.screenshot(path=f"{out}/01-canvas.png")

        def count():
            return js(page, "Object.keys(window.playbookEditor.getJson().coa.data.nodes).length")

        n0 = count()
        # 1. select a decision block -> panel
        first = page.locator("[data-type=decision]").first
        first.click()
        page.wait_for_selector("[data-testid=block-panel]")
        page.screenshot(path=f"{out}/02-decision-panel.png")
        # 2. drag an action from the palette onto the canvas
        page.locator("[data-testid=palette-action]").drag_to(page.locator("[data-testid=canvas]"), target_position={"x": 700, "y": 420})
        page.wait_for_timeout(200)
        print("nodes", n0, "->", count())
        # 3. configure it: app + action + param with autocomplete
        page.wait_for_selector("[data-testid=action-app]")
        apps = page.locator("[data-testid=action-app] option").all_text_contents()
        page.select_option("[data-testid=action-app]", label="MaxMind") if "MaxMind" in apps else page.select_option("[data-testid=action-app]", index=2)
        acts = page.locator("[data-testid=action-action] option").all_text_contents()
        page.select_option("[data-testid=action-action]", index=1)
        print("actions offered:", acts[:5])
        params = page.locator("[data-testid^=action-param-]").count()
        print("param controls:", params)
        if params:
            inp = page.locator("input[data-testid^=action-param-]").first
            inp.click()
            inp.type("artifact:*.cef.sou")
            page.wait_for_timeout(100)
            page.screenshot(path=f"{out}/03-action-panel-autocomplete.png")
            page.keyboard.press("Enter")
        newest = js(page, "(() => { const j = window.playbookEditor.getJson(); const ids = Object.keys(j.coa.data.nodes).map(Number); return j.coa.data.nodes[String(Math.max(...ids))]; })()")
        print("new node:", json.dumps(newest["data"])[:400])
        # 4. connect start -> new block by dragging handles
        fn = newest["data"]["functionName"]
        src = page.locator("[data-testid=block-on_start] .react-flow__handle.source")
        dst = page.locator(f"[data-testid=block-{fn}] .react-flow__handle.target")
        src.drag_to(dst)
        page.wait_for_timeout(100)
        edges = js(page, f"window.playbookEditor.getJson().coa.data.edges.filter(e => e.targetNode === '{newest['id']}')")
        print("edges into new block:", edges)
        # 5. undo / redo
        page.locator("[data-testid=canvas]").click(position={"x": 30, "y": 30})
        page.keyboard.press("Control+z")
        after_undo = js(page, f"window.playbookEditor.getJson().coa.data.edges.filter(e => e.targetNode === '{newest['id']}').length")
        page.keyboard.press("Control+Shift+z")
        after_redo = js(page, f"window.playbookEditor.getJson().coa.data.edges.filter(e => e.targetNode === '{newest['id']}').length")
        print("undo/redo edge count:", after_undo, after_redo)
        # 6. save
        page.click("[data-testid=save-playbook]")
        page.wait_for_timeout(400)
        print("version after save:", page.text_content("[data-testid=playbook-version]"), "|", page.text_content("[data-testid=save-status]"))
        # 7. validation list, click an item
        page.click("[data-testid=validate]")
        page.wait_for_selector("[data-testid=validation-list]")
        page.wait_for_timeout(300)
        page.screenshot(path=f"{out}/04-validation.png")
        items = page.locator("[data-testid^=validation-item-]").count()
        print("validation items:", items)
        # 8. code view
        page.keyboard.press("Escape")
        page.click("[data-testid=toggle-code]")
        page.wait_for_selector(".cm-editor")
        page.wait_for_timeout(300)
        page.screenshot(path=f"{out}/05-code-view.png")
        page.click("[data-testid=code-close]")
        # 9. help
        page.locator("[data-testid=canvas]").click(position={"x": 30, "y": 30})
        page.keyboard.press("Shift+?")
        page.wait_for_selector("[data-testid=help-overlay]")
        page.screenshot(path=f"{out}/06-help.png")
        page.keyboard.press("Escape")
        # 10. conflict
        base = url.split("/", 3)
        root = f"{base[0]}//{base[2]}"
        req = urllib.request.Request(f"{root}/api/_test/bump", data=b"{}", method="POST", headers={"X-CSRFToken": "mock-token"})
        urllib.request.urlopen(req).read()
        page.locator("[data-testid=palette-format]").click()
        page.click("[data-testid=save-playbook]")
        page.wait_for_selector("[data-testid=conflict-dialog]")
        page.screenshot(path=f"{out}/07-conflict.png")
        page.click("[data-testid=conflict-overwrite]")
        page.wait_for_timeout(400)
        print("after overwrite:", page.text_content("[data-testid=playbook-version]"))
        # 11. statuses + export
        js(page, "window.playbookEditor.setBlockStatuses({on_start: 'success', '2': 'running'})")
        print("status attr:", page.get_attribute("[data-testid=block-on_start]", "data-status"))
        with page.expect_download() as dl:
            page.evaluate("document.querySelector('[data-testid=export-png]').click()")
        print("png download:", dl.value.suggested_filename, js(page, "window.playbookEditor.lastExport"))
        page.screenshot(path=f"{out}/08-status.png")
        print("\n".join(logs[:20]))
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
