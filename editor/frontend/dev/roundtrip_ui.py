#!/usr/bin/env python3
"""Open corpus playbooks in the editor, click every block (opening its panel), open the code
view, and check that the JSON the editor would save equals the input (dev aid).

Usage: .venv/bin/python editor/frontend/dev/roundtrip_ui.py FILE.json [FILE.json …]
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from playwright.sync_api import sync_playwright

from smoke import ARGS

HERE = os.path.dirname(os.path.abspath(__file__))


def check(page, path: str, port: int) -> bool:
    page.goto(f"http://127.0.0.1:{port}/")
    page.wait_for_selector("[data-testid=block-on_start]")
    page.wait_for_timeout(400)
    ids = page.evaluate("Object.keys(window.playbookEditor.getJson().coa.data.nodes)")
    for nid in ids:
        for attempt in range(3):
            page.evaluate(f"window.playbookEditor.selectBlock('{nid}')")
            try:
                page.wait_for_selector(f"[data-testid=block-panel][data-block-id='{nid}']", timeout=3000)
                break
            except Exception:  # noqa: BLE001 - report and retry
                print(f"  panel for {nid} did not open (attempt {attempt + 1}); selected:",
                      page.evaluate("[...document.querySelectorAll('.react-flow__node.selected')].map(n => n.dataset.id)"),
                      "panel:", page.evaluate("document.querySelector('[data-testid=block-panel]')?.dataset.blockId"))
    page.keyboard.press("Escape")
    page.click("[data-testid=toggle-code]")
    page.wait_for_selector("[data-testid=generated-code] .cm-content")
    page.wait_for_timeout(300)
    got = page.evaluate("window.playbookEditor.getJson()")
    dirty = page.evaluate("window.playbookEditor.isDirty()")
    with open(path) as fh:
        want = json.load(fh)
    ok = got == want and not dirty
    print(f"{'OK ' if ok else 'DIFF'} {os.path.basename(path)} ({len(ids)} blocks, dirty={dirty})")
    return ok


def main(paths: list[str]) -> int:
    bad = 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        for i, path in enumerate(paths):
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            logs: list[str] = []
            page.on("console", lambda m, logs=logs: logs.append(f"{m.type}: {m.text}") if m.type == "error" else None)
            page.on("pageerror", lambda e, logs=logs: logs.append(f"pageerror: {e}"))
            page.on("requestfailed", lambda r, logs=logs: logs.append(f"requestfailed: {r.url} {r.failure}"))
            port = 8790 + i
            srv = subprocess.Popen([sys.executable, os.path.join(HERE, "mock_server.py"), path, "--port", str(port)], stdout=subprocess.DEVNULL)
            try:
                time.sleep(1.2)
                try:
                    ok = check(page, path, port)
                except Exception as exc:  # noqa: BLE001 - keep going, report
                    print(f"FAIL {os.path.basename(path)}: {str(exc).splitlines()[0]}")
                    print("  area errors:", page.locator("[data-testid=area-error]").all_text_contents())
                    print("  logs:", logs[:8])
                    ok = False
                bad += 0 if ok else 1
            finally:
                page.close()
                srv.terminate()
                srv.wait()
        browser.close()
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
