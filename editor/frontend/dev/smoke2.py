#!/usr/bin/env python3
"""More editor interactions against dev/mock_server.py (dev aid): connect-to-empty picker,
copy/paste, multi-select delete + undo, user-code editing, versions, read-only, statuses."""
from __future__ import annotations

import sys

from playwright.sync_api import sync_playwright

from smoke import ARGS


def nodes(page):
    return page.evaluate("Object.values(window.playbookEditor.getJson().coa.data.nodes)")


def main(url: str, out: str) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        ctx = browser.new_context(viewport={"width": 1440, "height": 900})
        page = ctx.new_page()
        errs: list[str] = []
        page.on("pageerror", lambda e: errs.append(str(e)))
        page.goto(url)
        page.wait_for_selector("[data-testid=block-on_start]")
        page.wait_for_timeout(300)
        n0 = len(nodes(page))
        # connect-end on empty canvas -> type picker -> new connected decision
        h = page.locator("[data-testid=block-decision_1] .react-flow__handle.source").first.bounding_box()
        page.mouse.move(h["x"] + 5, h["y"] + 5)
        page.mouse.down()
        page.mouse.move(h["x"] + 250, h["y"] + 120, steps=8)
        page.mouse.up()
        page.wait_for_selector("[data-testid=type-picker]")
        page.screenshot(path=f"{out}/09-type-picker.png")
        page.click("[data-testid=type-picker-format]")
        new = [n for n in nodes(page) if n["type"] == "format"]
        edges = page.evaluate("window.playbookEditor.getJson().coa.data.edges.filter(e => e.targetNode === '%s')" % new[-1]["id"])
        print("picker added:", new[-1]["data"]["functionName"], "edge:", edges)
        # status
        page.evaluate("window.playbookEditor.setBlockStatuses({on_start: 'success', decision_1: 'running', filter_1: 'failed'})")
        page.wait_for_timeout(100)
        print("statuses:", page.get_attribute("[data-testid=block-on_start]", "data-status"), page.get_attribute("[data-testid=block-decision_1]", "data-status"))
        page.screenshot(path=f"{out}/10-statuses.png")
        # multi-select via ctrl-click, copy, paste
        page.locator("[data-testid=block-decision_1]").click()
        page.locator("[data-testid=block-filter_1]").click(modifiers=["Control"])
        sel = page.evaluate("document.querySelectorAll('.react-flow__node.selected').length")
        page.keyboard.press("Control+c")
        page.keyboard.press("Control+v")
        page.wait_for_timeout(200)
        n1 = len(nodes(page))
        print("selected:", sel, "nodes after paste:", n0 + 1, "->", n1, [n["data"]["functionName"] for n in nodes(page)][-2:])
        # delete + undo
        page.keyboard.press("Delete")
        n2 = len(nodes(page))
        page.keyboard.press("Control+z")
        n3 = len(nodes(page))
        print("delete/undo:", n1, "->", n2, "->", n3)
        # paste into another tab (other playbook) through localStorage
        other = ctx.new_page()
        other.goto(url)
        other.wait_for_selector("[data-testid=block-on_start]")
        other.locator("[data-testid=canvas]").click(position={"x": 40, "y": 40})
        other.keyboard.press("Control+v")
        other.wait_for_timeout(200)
        print("cross-tab paste:", len(nodes(other)))
        other.close()
        # user code editing via code view
        page.keyboard.press("Escape")
        page.click("[data-testid=toggle-code]")
        page.wait_for_selector("[data-testid=generated-code] .cm-content")
        region = page.locator(".cm-user-region").first
        region.click()
        page.keyboard.press("End")
        page.keyboard.type("  # edited in code view")
        page.wait_for_timeout(100)
        # try to type outside a region (line 1): must be rejected
        page.locator("[data-testid=generated-code] .cm-line").first.click()
        page.keyboard.type("XYZ")
        first_line = page.locator("[data-testid=generated-code] .cm-line").first.text_content()
        end = [n for n in nodes(page) if n["type"] == "end"][0]
        print("userCode edited:", "edited in code view" in (end.get("userCode") or ""), "| line 1 untouched:", "XYZ" not in first_line)
        page.screenshot(path=f"{out}/11-code-edit.png")
        page.click("[data-testid=code-close]")
        # versions
        page.click("[data-testid=save-playbook]")
        page.wait_for_timeout(300)
        page.click("[data-testid=versions]")
        page.wait_for_selector("[data-testid=versions-dialog] tbody tr")
        page.screenshot(path=f"{out}/12-versions.png")
        page.locator("[data-testid^=version-open-]").last.click()
        page.wait_for_selector("[data-testid=viewing-banner]")
        print("viewing old version, save disabled:", page.is_disabled("[data-testid=save-playbook]"))
        page.screenshot(path=f"{out}/13-old-version.png")
        page.click("[data-testid=back-to-current]")
        page.wait_for_timeout(300)
        # help + search
        page.locator("[data-testid=search-input]").fill("aws_user")
        page.wait_for_selector("[data-testid=search-results] li")
        print("search results:", page.locator("[data-testid=search-results] li").all_text_contents()[:3])
        page.screenshot(path=f"{out}/14-search.png")
        # read-only mount
        ro = ctx.new_page()
        ro.goto(url + "?readonly=1")
        ro.wait_for_selector("[data-testid=block-on_start]")
        print("readonly: save button present:", ro.locator("[data-testid=save-playbook]").count(), "palette disabled:", ro.is_disabled("[data-testid=palette-action]"))
        print("errors:", errs)
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
