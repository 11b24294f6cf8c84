#!/usr/bin/env python3
"""Open the harness in headless chromium and take screenshots (dev aid, not a test suite).

Usage: .venv/bin/python editor/frontend/dev/shoot.py URL OUT_DIR
"""
from __future__ import annotations

import sys
import time

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def main(url: str, out: str) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        logs: list[str] = []
        page.on("console", lambda m: logs.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: logs.append(f"pageerror: {e}"))
        t0 = time.time()
        page.goto(url)
        page.wait_for_selector("[data-testid=block-on_start]")
        print(f"interactive in {(time.time() - t0) * 1000:.0f} ms")
        page.wait_for_timeout(400)
        page.screenshot(path=f"{out}/canvas.png")
        print("\n".join(logs[:30]))
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
