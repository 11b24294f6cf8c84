"""Example playbooks written for Playbook Studio (not copied from SOAR's community repo).

Every ``*.json`` here is a modern SOAR playbook file (keys sorted, 4-space indent), so the
same files import into Splunk SOAR. ``load_examples`` stores them as playbooks in the
``local`` repo; ``load_demo`` calls it. The scenarios run on the demo containers in
``engine/demo/containers.json``; README.md lists the assets they expect.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

EXAMPLES_DIR = Path(__file__).resolve().parent


def example_paths() -> list[Path]:
    """The example files, input ("data") playbooks first so callers find their callees."""

    def kind(path: Path) -> int:
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            return 0 if (doc.get("coa") or {}).get("playbook_type") == "data" else 1
        except (OSError, ValueError, AttributeError):
            return 1

    return sorted(EXAMPLES_DIR.glob("*.json"), key=lambda p: (kind(p), p.name))


def load_examples(author: Any = None) -> list[str]:
    """Import every example playbook (a new version only when its file changed).

    Returns one line per file, as ``import_playbooks`` prints them
    (``created  playbook NAME (version 1)``, ``unchanged …``, ``failed …: why``).
    """
    from editor.files import import_playbook_text
    from editor.graph.errors import SoarFormatError

    lines = []
    for path in example_paths():
        try:
            text = path.read_text(encoding="utf-8")
            outcome = import_playbook_text(path.stem, text, file=str(path), author=author)
        except (OSError, UnicodeDecodeError, SoarFormatError) as exc:
            lines.append(f"{'failed':9} playbook {path.stem}: {exc}")
            continue
        lines.append(outcome.line())
    return lines


__all__ = ["EXAMPLES_DIR", "example_paths", "load_examples"]
