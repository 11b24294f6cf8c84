#!/usr/bin/env python3
"""Time opening a big playbook and dragging a block in headless chromium (dev aid).

Usage: python3 make_big.py 500 /tmp/big.json; python3 mock_server.py /tmp/big.json --port 8766 &
       .venv/bin/python editor/frontend/dev/perf.py http://127.0.0.1:8766/
"""
from __future__ import annotations

import statistics
import sys

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]

DRAG = """async () => {
  const el = document.querySelector('[data-testid=block-format_2]').closest('.react-flow__node');
  const r = el.getBoundingClientRect();
  let x = r.left + 60, y = r.top + 30;
  const fire = (type, tgt) => tgt.dispatchEvent(new MouseEvent(type, { bubbles: true, cancelable: true, clientX: x, clientY: y, button: 0, buttons: 1, view: window }));
  fire('mousedown', el);
  const raf = () => new Promise((res) => requestAnimationFrame(() => res()));
  await raf();
  const costs = [];
  for (let i = 0; i < 40; i += 1) {
    await raf();
    const t0 = performance.now();
    x += 4; y += 3;
    fire('mousemove', el);
    await new Promise((res) => setTimeout(res, 0));   // let React commit
    void document.body.offsetHeight;                  // force style + layout
    costs.push(performance.now() - t0);
  }
  fire('mouseup', el);
  return costs;
}"""


def main(url: str) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        loads = []
        for _ in range(3):
            page.goto(url)
            page.wait_for_selector("[data-testid=block-on_start]", state="attached")
            page.wait_for_function("document.querySelectorAll('.react-flow__node').length > 5")
            loads.append(page.evaluate("performance.now()"))
        print(f"open until blocks rendered (ms, from navigation start): {[round(x) for x in loads]}")
        print("DOM nodes rendered:", page.evaluate("document.querySelectorAll('.react-flow__node').length"))
        page.evaluate("window.playbookEditor.selectBlock('4')")
        page.wait_for_timeout(500)
        costs = page.evaluate(DRAG)
        print(f"drag step cost ms: median {statistics.median(costs):.1f}, p90 {sorted(costs)[int(len(costs) * .9)]:.1f}, max {max(costs):.1f}")
        moved = page.evaluate("window.playbookEditor.getJson().coa.data.nodes['3']")
        print("moved block x,y:", moved["x"], moved["y"])
        print("errors:", errors)
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1])
