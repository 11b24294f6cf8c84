#!/usr/bin/env python3
"""Panel writers through the UI (dev aid): decision conditions with edge re-indexing, utility,
custom function, child playbook, loop, join, rename with reference rewrite."""
from __future__ import annotations

import sys

from playwright.sync_api import sync_playwright

from smoke import ARGS


def data(page, fn):
    return page.evaluate(f"Object.values(window.playbookEditor.getJson().coa.data.nodes).find(n => n.data.functionName === '{fn}')")


def edges_from(page, nid):
    return page.evaluate(f"window.playbookEditor.getJson().coa.data.edges.filter(e => e.sourceNode === '{nid}').map(e => [e.targetNode, e.conditions])")


def add(page, key, x, y):
    page.locator(f"[data-testid=palette-{key}]").drag_to(page.locator("[data-testid=canvas]"), target_position={"x": x, "y": y})
    page.wait_for_selector("[data-testid=block-panel]")
    return page.get_attribute("[data-testid=block-panel]", "data-block-id")


def main(url: str, out: str) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        errs: list[str] = []
        page.on("pageerror", lambda e: errs.append(str(e)))
        page.goto(url)
        page.wait_for_selector("[data-testid=block-on_start]")
        page.wait_for_timeout(300)
        # decision with if / elif / else, each branch connected, then remove the elif
        dec = add(page, "decision", 300, 150)
        page.click("[data-testid=cond-add]")
        print("decision types:", [c["type"] for c in page.evaluate(f"window.playbookEditor.getJson().coa.data.nodes['{dec}'].data.conditions")])
        targets = []
        for i, x in enumerate((150, 300, 450)):
            page.keyboard.press("Escape")
            t = add(page, "format", x, 420)
            targets.append(t)
            h = page.locator(f"[data-block-id='{dec}'] .react-flow__handle.source").nth(i)
            h.drag_to(page.locator(f"[data-block-id='{t}'] .react-flow__handle.target"))
        print("edges before:", edges_from(page, dec))
        page.evaluate(f"window.playbookEditor.selectBlock('{dec}')")
        page.wait_for_selector("[data-testid=cond-1-remove]")
        page.screenshot(path=f"{out}/15-decision-branches.png")
        page.click("[data-testid=cond-1-remove]")
        print("edges after removing elif:", edges_from(page, dec))
        page.keyboard.press("Control+z")
        print("after undo:", edges_from(page, dec))
        # rename the decision: references elsewhere follow
        page.fill("[data-testid=cond-0-cmp-0-param]", "container:severity")
        page.fill("[data-testid=panel-custom-name]", "Severity Check")
        print("renamed:", data(page, "severity_check")["data"]["advanced"]["customName"])
        # utility: set status
        page.keyboard.press("Escape")
        add(page, "utility", 600, 200)
        page.select_option("[data-testid=utility-select]", "set_status")
        page.select_option("[data-testid=utility-field-status]", "closed")
        u = page.evaluate("Object.values(window.playbookEditor.getJson().coa.data.nodes).find(n => n.data.utilities && n.data.utilities.set_status)")
        print("utility:", u["data"]["functionName"], u["data"]["values"])
        # loop on the utility
        page.check("[data-testid=loop-enabled]")
        page.fill("[data-testid=loop-max-iterations]", "5")
        print("loop:", page.evaluate(f"window.playbookEditor.getJson().coa.data.nodes['{u['id']}'].data.loop"))
        # custom function
        page.keyboard.press("Escape")
        add(page, "custom_function", 750, 260)
        page.wait_for_function("document.querySelectorAll('[data-testid=cf-select] option').length > 2")
        page.select_option("[data-testid=cf-select]", "indicator_tag")
        page.locator("[data-testid=cf-input-indicator]").fill("container:id")
        cf = page.evaluate("Object.values(window.playbookEditor.getJson().coa.data.nodes).find(n => n.data.customFunction && n.data.customFunction.name === 'indicator_tag' && n.data.values.indicator_tag.indicator === 'container:id')")
        print("custom function:", cf["data"]["functionName"], cf["data"]["customFunction"], cf["data"]["values"])
        page.screenshot(path=f"{out}/16-custom-function.png")
        # child playbook with inputs
        page.keyboard.press("Escape")
        add(page, "playbook", 750, 380)
        page.wait_for_function("document.querySelectorAll('[data-testid=playbook-select] option').length > 2")
        page.select_option("[data-testid=playbook-select]", "aws_disable_user_accounts")
        page.select_option("[data-testid=playbook-sync]", "async")
        page.click("[data-testid=playbook-input-aws_username-add]")
        page.locator("[data-testid=playbook-input-aws_username-0]").fill("artifact:*.cef.destinationUserName")
        pb = page.evaluate("Object.values(window.playbookEditor.getJson().coa.data.nodes).find(n => n.data.type === 'playbook' && n.data.playbookName === 'aws_disable_user_accounts')")
        print("playbook:", {k: pb["data"][k] for k in ("functionName", "playbookName", "playbookType", "synchronous", "inputs")})
        page.screenshot(path=f"{out}/17-child-playbook.png")
        print("errors:", errs)
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
