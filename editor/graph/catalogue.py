"""App catalogue for validation: which app an action node runs, read from a folder of
app JSON files (``<slug>.json`` with ``appid``, ``name``, ``actions``), as in
``shared/apps``.  ``validate(..., catalogue=app_catalogue(folder))``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from editor.graph.model import Node
from editor.graph.validate import AppCatalogue


def app_catalogue(folder: str | Path) -> AppCatalogue:
    """Index the apps once; the returned lookup matches a node by ``connectorId`` first
    (the app UUID), then by ``connector`` display name."""
    by_id: dict[str, dict[str, Any]] = {}
    by_name: dict[str, dict[str, Any]] = {}
    for path in sorted(Path(folder).glob("*.json")):
        try:
            app = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # a broken catalogue entry must not break validation
        if not isinstance(app, dict):
            continue
        if isinstance(app.get("appid"), str):
            by_id[app["appid"]] = app
        if isinstance(app.get("name"), str):
            by_name[app["name"].lower()] = app

    def lookup(node: Node) -> dict[str, Any] | None:
        cid = node.data.get("connectorId")
        if isinstance(cid, str) and cid in by_id:
            return by_id[cid]
        name = node.data.get("connector")
        return by_name.get(name.lower()) if isinstance(name, str) else None

    return lookup
