"""Shared steps of the editor's browser tests (tests/e2e/test_editor_*.py).

Everything a test does to the editor goes through the mouse and the keyboard on stable
`data-testid` selectors (editor/frontend/README.md); `window.playbookEditor.getJson()` is
only read, to check what the editor holds.
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from tests.conftest import PASSWORD
from tests.e2e.conftest import login

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "modern"
GOLDEN = Path(__file__).resolve().parent / "golden"
TIMEOUT_MS = 10_000

# A stand-in for the MaxMind app: just the action and outputs the tests use.
GEO_APPID = "c566e153-3118-4033-abda-14dd9748c91a"
GEO_APP: dict[str, Any] = {
    "appid": GEO_APPID, "name": "MaxMind", "app_version": "1.0.0", "product_vendor": "MaxMind",
    "product_name": "GeoIP2", "description": "e2e stand-in", "logo": "", "configuration": {},
    "actions": [{
        "action": "geolocate ip", "identifier": "geolocate_ip", "type": "investigate", "read_only": True,
        "versions": "EQ(*)", "description": "Locate an IP address",
        "parameters": {"ip": {"data_type": "string", "required": True, "order": 0, "contains": ["ip"], "primary": True,
                              "description": "IP to geolocate"}},
        "output": [
            {"data_path": "action_result.data.*.country_name", "data_type": "string", "example_values": ["Australia"]},
            {"data_path": "action_result.data.*.city_name", "data_type": "string", "example_values": ["Sydney"]},
            {"data_path": "action_result.parameter.ip", "data_type": "string", "contains": ["ip"]},
            {"data_path": "action_result.status", "data_type": "string", "example_values": ["success"]},
        ],
    }],
}


def node(nid: str, kind: str, name: str, x: int, y: int, **data: Any) -> dict[str, Any]:
    """A SOAR node as the corpus writes them."""
    return {"data": {"advanced": {"join": []}, "functionName": name, "id": nid, "type": kind, **data},
            "errors": {}, "id": nid, "type": kind, "warnings": {}, "x": x, "y": y}


def edge(source: str, target: str, branch: int | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"id": f"port_{source}_to_port_{target}", "sourceNode": source, "sourcePort": f"{source}_out",
                           "targetNode": target, "targetPort": f"{target}_in"}
    if branch is not None:
        out["conditions"] = [{"index": branch}]
    return out


def playbook(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> dict[str, Any]:
    """A modern automation playbook with these blocks (start "0" and end "1" included by the caller)."""
    return {
        "blockly": False, "blockly_xml": "<xml></xml>", "category": "Triage", "create_time": "2026-11-24T00:00:00+00:00",
        "draft_mode": False, "labels": ["events"], "tags": [],
        "coa": {"data": {"description": "", "notes": "", "hash": "", "nodes": {n["id"]: n for n in nodes}, "edges": edges},
                "input_spec": None, "output_spec": None, "playbook_type": "automation", "python_version": "3",
                "schema": "5.0.11", "version": "6.2.0.355"},
    }


def install_geolocation_app() -> None:
    """The MaxMind stand-in in the app catalogue, with one asset `maxmind`."""
    from engine.apps.catalogue import parse_app
    from engine.catalogue import sync_app
    from engine.models import Asset

    app, _ = sync_app(parse_app(GEO_APP))
    Asset.objects.get_or_create(name="maxmind", defaults={"app": app})


def store_playbook(name: str, doc: dict[str, Any] | str) -> int:
    """Import a playbook as a file would be; returns its id."""
    from editor.files import import_playbook_text

    text = doc if isinstance(doc, str) else json.dumps(doc, indent=4, sort_keys=True)
    outcome = import_playbook_text(name, text, file=f"{name}.json")
    assert outcome.playbook_id is not None, outcome.line()
    return outcome.playbook_id


def stored_json(playbook_id: int) -> dict[str, Any]:
    """The current version of a playbook as the server stores it."""
    from editor.models import Playbook

    version = Playbook.objects.get(pk=playbook_id).current()
    assert version is not None
    return dict(json.loads(version.json_text))


def sign_in(page: Any, base: str, persona: str) -> None:
    page.set_default_timeout(TIMEOUT_MS)
    login(page, base, persona, PASSWORD)


def open_editor(page: Any, base: str, playbook_id: int) -> None:
    """Open the editor and wait until it is ready: blocks drawn, catalogues loaded and the
    silent compile (which puts the problem badges on blocks) answered."""
    page.set_default_timeout(TIMEOUT_MS)
    # Generous: the first compile a fresh server answers imports the compiler, slow on a busy machine.
    with page.expect_response(lambda r: r.url.endswith(f"/api/playbooks/{playbook_id}/compile"), timeout=30_000):
        page.goto(f"{base}/playbooks/{playbook_id}/edit")
    page.wait_for_selector("[data-testid=block-on_start]")
    page.wait_for_timeout(50)  # one more render for the badges the compile answer set


def editor_json(page: Any) -> dict[str, Any]:
    return dict(page.evaluate("window.playbookEditor.getJson()"))


def nodes_by_name(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {n["data"]["functionName"]: n for n in doc["coa"]["data"]["nodes"].values()}


def edge_pairs(doc: dict[str, Any]) -> set[tuple[str, str]]:
    names = {nid: n["data"]["functionName"] for nid, n in doc["coa"]["data"]["nodes"].items()}
    return {(names[e["sourceNode"]], names[e["targetNode"]]) for e in doc["coa"]["data"]["edges"]}


def save(page: Any, playbook_id: int) -> dict[str, Any]:
    """Click Save; returns the server's answer ({version, errors})."""
    with page.expect_response(lambda r: r.url.endswith(f"/api/playbooks/{playbook_id}")
                              and r.request.method == "PUT") as answer:
        page.click("[data-testid=save-playbook]")
    assert answer.value.ok, answer.value.text()
    page.wait_for_selector("[data-testid=save-status]:has-text('Saved')")
    return dict(answer.value.json())


def block(page: Any, name: str) -> Any:
    return page.locator(f"[data-testid=block-{name}]")


def centre(page: Any, selector: str) -> tuple[float, float]:
    box = page.locator(selector).bounding_box()
    assert box is not None, f"{selector} is not on screen"
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def drag(page: Any, start: tuple[float, float], end: tuple[float, float], steps: int = 12) -> None:
    """Press the left button at `start`, move to `end` in steps, release."""
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(*end, steps=steps)
    page.mouse.up()


def connect(page: Any, source: str, target: str, branch: int | None = None) -> None:
    """Draw an edge from a block's output (a decision's or filter's branch `branch`, from 0)
    to another block's input, by dragging between their handles."""
    handle = "out" if branch is None else f"c{branch}"
    drag(page, centre(page, f"[data-testid=block-{source}] .react-flow__handle[data-handleid={handle}]"),
         centre(page, f"[data-testid=block-{target}] .react-flow__handle[data-handleid=in]"))


def click_edge(page: Any, edge_id: str) -> None:
    """Click the middle of an edge (its bounding box may be zero pixels wide)."""
    page.mouse.click(*centre(page, f"[data-testid='rf__edge-{edge_id}'] path.react-flow__edge-interaction"))


def choose_datapath(page: Any, testid: str, typed: str, expected: str) -> None:
    """Type the start of a datapath into a datapath field and accept the first suggestion
    with Enter, as a user completing it would; checks what the field then holds."""
    field = page.locator(f"[data-testid={testid}]")
    field.click()
    field.press_sequentially(typed)
    first = page.locator(f"[data-testid={testid}-suggestions] li[role=option]").first
    assert first.locator(".dp-value").text_content() == expected
    field.press("Enter")
    assert field.input_value() == expected


_WATCH_PASTE = """() => {
  window.__pasteLog = [];
  const note = (what) => window.__pasteLog.push(`${what} at ${Math.round(performance.now())} ms`);
  window.addEventListener('keydown', (e) => { if (e.key === 'v' && e.ctrlKey) note('Ctrl+V keydown'); }, true);
  document.addEventListener('paste', () => note('paste event'), true);
}"""


def watch_paste(page: Any) -> None:
    """Log Ctrl+V keydowns and paste events, to explain a double paste: shortcuts.js pastes
    from localStorage 60 ms after the keydown unless a paste event came first, and a paste
    event arriving later still pastes as well."""
    page.evaluate(_WATCH_PASTE)


def paste_log(page: Any) -> list[str]:
    return list(page.evaluate("window.__pasteLog || []"))


def copy_selection(page: Any, blocks: int) -> None:
    """Ctrl+C, then wait until the system clipboard holds the copied blocks.

    The editor writes the clipboard asynchronously (navigator.clipboard.writeText) and Ctrl+V
    prefers the clipboard to its localStorage copy, so a paste right after the copy can
    paste what the clipboard held before (seen under load with blocks copied by an earlier
    test: the browser, and so its clipboard, is shared by a module's tests)."""
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.keyboard.press("Control+c")
    page.wait_for_selector(f"[data-testid=toast]:has-text('Copied {blocks} block(s).')")
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        text = page.evaluate("navigator.clipboard.readText().catch(() => '')")
        if text.startswith("{") and len(json.loads(text).get("nodes", [])) == blocks:
            return
        page.wait_for_timeout(20)
    raise AssertionError(f"the clipboard never held the {blocks} copied block(s)")


def golden(name: str, text: str) -> str:
    """The stored golden text; UPDATE_GOLDEN=1 rewrites it first (as tests/compiler does)."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file; run with UPDATE_GOLDEN=1 to create {path}"
    return path.read_text(encoding="utf-8")
