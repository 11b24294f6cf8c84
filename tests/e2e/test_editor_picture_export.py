"""Picture export (issue 20): the PNG shows the blocks in their colours where they are, and
the SVG is plain SVG that a non-browser renderer (rsvg-convert, librsvg2-bin) draws."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.editor_helpers import edge, node, open_editor, playbook, sign_in, store_playbook
from tests.e2e.pngread import Png, read_png

pytestmark = pytest.mark.django_db(transaction=True)

# model/blocktypes.js
COLOURS = {"on_start": (0x2E, 0x9E, 0x5B), "on_finish": (0xC4, 0x3D, 0x3D), "tidy_up": (0x46, 0x50, 0x5C),
           "check_it": (0xE0, 0x8A, 0x1E)}
BACKGROUND = (0xF6, 0xF8, 0xFB)
# model/geometry.js: terminals 120 x 40, blocks 170 x 64 (their colour band is the left 34 px).
POSITIONS = {"on_start": (25, 0), "check_it": (0, 150), "tidy_up": (0, 330), "on_finish": (25, 520)}


def picture_playbook() -> int:
    decision = node("3", "decision", "check_it", *POSITIONS["check_it"], conditions=[
        {"comparisons": [{"conditionIndex": 0, "op": "==", "param": "artifact:*.cef.sourceAddress", "value": "10.0.0.1"}],
         "conditionIndex": 0, "display": "If", "logic": "and", "type": "if"},
        {"comparisons": [{"conditionIndex": 1, "op": "==", "param": "", "value": ""}],
         "conditionIndex": 1, "display": "Else", "logic": "and", "type": "else"}])
    return store_playbook("picture", playbook(
        [node("0", "start", "on_start", *POSITIONS["on_start"]), decision,
         node("2", "code", "tidy_up", *POSITIONS["tidy_up"]), node("1", "end", "on_finish", *POSITIONS["on_finish"])],
        [edge("0", "3"), edge("3", "2", 0), edge("3", "1", 1), edge("2", "1")]))


def probe(name: str) -> tuple[float, float]:
    """A flow point inside a block that shows its colour, clear of its (white) text: near a
    terminal's left end, in a block's band above its icon."""
    x, y = POSITIONS[name]
    return (x + 12, y + 20) if name in ("on_start", "on_finish") else (x + 5, y + 12)


def near(a: tuple[int, int, int], b: tuple[int, int, int], tolerance: int = 12) -> bool:
    return all(abs(p - q) <= tolerance for p, q in zip(a, b, strict=True))


def assert_blocks_drawn(png: Png, origin: dict[str, float], scale: float) -> None:
    seen = png.colours(step=2)
    missing = [name for name, colour in COLOURS.items() if not any(near(p, colour) for p in seen)]
    assert not missing, f"no pixel in the colour of {missing}: the picture shows {len(seen)} colour(s)"
    for name, colour in COLOURS.items():
        fx, fy = probe(name)
        px, py = round((fx - origin["x"]) * scale), round((fy - origin["y"]) * scale)
        assert near(png.pixel(px, py), colour), f"{name} at ({px}, {py}) is {png.pixel(px, py)}, expected {colour}"
    assert near(png.pixel(2, 2), BACKGROUND), png.pixel(2, 2)


def export(page: Any, kind: str, tmp_path: Path) -> tuple[bytes, dict[str, Any]]:
    page.hover("[data-testid=export-menu]")
    with page.expect_download() as info:
        page.click(f"[data-testid=export-{kind}]")
    target = tmp_path / f"picture.{kind}"
    info.value.save_as(target)
    assert info.value.suggested_filename == f"picture.{kind}"
    return target.read_bytes(), dict(page.evaluate("window.playbookEditor.lastExport"))


def test_the_png_export_shows_each_block_in_its_colour_where_it_is(page: Any, owner: Any, module_live_server_url: str,
                                                                    tmp_path: Path) -> None:
    playbook_id = picture_playbook()
    sign_in(page, module_live_server_url, "owner")
    open_editor(page, module_live_server_url, playbook_id)
    data, meta = export(page, "png", tmp_path)
    png = read_png(data)
    assert_blocks_drawn(png, meta.get("origin", {}), meta.get("scale", 1))
    assert (png.width, png.height) == (meta["width"], meta["height"])
    # Edges and text are drawn too: far more than the background and the four block colours.
    assert len(png.colours()) > 20


def test_the_svg_export_is_plain_svg_that_rsvg_draws(page: Any, owner: Any, module_live_server_url: str, tmp_path: Path) -> None:
    rsvg = shutil.which("rsvg-convert")
    if rsvg is None:
        pytest.fail("rsvg-convert is missing: `make test` installs Debian's librsvg2-bin (system-test-deps)")
    playbook_id = picture_playbook()
    sign_in(page, module_live_server_url, "owner")
    open_editor(page, module_live_server_url, playbook_id)
    data, meta = export(page, "svg", tmp_path)
    text = data.decode("utf-8")
    assert text.startswith("<svg") and "foreignObject" not in text and "<div" not in text
    for name in COLOURS:
        assert f'data-block="{name}"' in text
    drawn = subprocess.run([rsvg, "--format=png", str(tmp_path / "picture.svg")], capture_output=True, timeout=60, check=True)
    png = read_png(drawn.stdout)
    assert (png.width, png.height) == (meta["width"], meta["height"])
    assert_blocks_drawn(png, meta["origin"], meta["scale"])
    assert len(png.colours()) > 20
