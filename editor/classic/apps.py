"""Finding the app behind a classic action.

Most classic action cells name only the action and the asset (``"app": ""``): the
platform knew the app from the asset's configuration, which a file does not carry.
A modern action block names its app (``connector``/``connectorId``), so the converter
looks it up in an app catalogue (app JSON definitions, e.g. ``shared/apps``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_WORD = re.compile(r"[a-z0-9]+")


def _squash(text: str) -> str:
    """``"Carbon Black Response"`` → ``carbonblackresponse``; ``domainctrl1`` → ``domainctrl``."""
    return "".join(_WORD.findall(text.lower())).rstrip("0123456789")


@dataclass(frozen=True)
class AppMatch:
    name: str
    appid: str
    guessed: bool  # chosen by similarity between several candidates


class AppIndex:
    """Apps by id, by name and by the actions they offer; optionally, the assets each
    app has on this installation (``assets``: app id → asset names), passed in by the
    caller so the converter stays pure."""

    def __init__(self, apps: Iterable[dict[str, Any]], assets: Mapping[str, Iterable[str]] | None = None) -> None:
        self.assets: dict[str, list[str]] | None = (
            None if assets is None else {str(k): [str(a) for a in v] for k, v in assets.items()}
        )
        self.by_id: dict[str, dict[str, Any]] = {}
        self.by_name: dict[str, dict[str, Any]] = {}
        self.by_action: dict[str, list[dict[str, Any]]] = {}
        for app in apps:
            if not isinstance(app, dict) or not isinstance(app.get("name"), str):
                continue
            if isinstance(app.get("appid"), str):
                self.by_id[app["appid"]] = app
            self.by_name.setdefault(app["name"].lower(), app)
            for action in app.get("actions") or []:
                if isinstance(action, dict) and isinstance(action.get("action"), str):
                    self.by_action.setdefault(action["action"], []).append(app)

    @classmethod
    def from_folder(cls, folder: str | Path) -> AppIndex:
        apps = []
        for path in sorted(Path(folder).glob("*.json")):
            try:
                apps.append(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError):
                continue  # one broken definition must not stop a conversion
        return cls(apps)

    def action_def(self, app: dict[str, Any], action: str) -> dict[str, Any] | None:
        for a in app.get("actions") or []:
            if isinstance(a, dict) and a.get("action") == action:
                return a
        return None

    def known(self, appid: str, name: str) -> dict[str, Any] | None:
        return self.by_id.get(appid) or self.by_name.get(name.lower())

    def by_installed_assets(self, action: str, assets: list[str]) -> AppMatch | None:
        """The app for ``action`` as this installation says: the app of an asset the
        block names, else the only app offering the action that has an asset at all.
        ``None`` without asset facts or when they do not decide."""
        if self.assets is None:
            return None
        candidates = [a for a in self.by_action.get(action, []) if isinstance(a.get("appid"), str)]
        named = [a for a in candidates if set(assets) & set(self.assets.get(a["appid"], []))]
        if len(named) == 1:
            return AppMatch(named[0]["name"], named[0]["appid"], False)
        equipped = [a for a in candidates if self.assets.get(a["appid"])]
        if len(equipped) == 1:
            return AppMatch(equipped[0]["name"], equipped[0]["appid"], False)
        return None

    def resolve(self, action: str, assets: list[str], hints: list[str]) -> AppMatch | None:
        """The app for ``action`` run on ``assets``: the only app offering the action,
        or the one whose name resembles the asset names and hints (app/product names
        the cell carries).  ``None`` when nothing fits well enough to say."""
        candidates = self.by_action.get(action, [])
        if not candidates:
            return None
        if len(candidates) == 1:
            app = candidates[0]
            return AppMatch(app["name"], str(app.get("appid", "")), False)
        keys = [k for k in (_squash(a) for a in assets + hints) if len(k) >= 3]

        def score(app: dict[str, Any]) -> int:
            # Asset names are usually the app's name squashed or abbreviated
            # ("carbonblack", "virustotal_private", "pan" for Palo Alto Networks);
            # hints are app names.  The app's own name counts more than its vendor's.
            texts = [(str(app.get("name") or ""), 2), (str(app.get("product_name") or ""), 2),
                     (f"{app.get('product_vendor') or ''} {app.get('product_name') or ''}", 1)]
            best = 0
            for text_, weight in texts:
                sq = _squash(text_)
                if not sq:
                    continue
                initials = "".join(w[0] for w in _WORD.findall(text_.lower()))
                for key in keys:
                    if key == sq:
                        level = 4
                    elif (len(key) >= 4 and key in sq) or (len(sq) >= 4 and sq in key):
                        level = 3
                    elif len(initials) >= 3 and initials.startswith(key):
                        level = 2
                    else:
                        continue
                    best = max(best, level * 10 + weight)
            return best

        ranked = sorted(candidates, key=score, reverse=True)
        if score(ranked[0]) == 0 or (len(ranked) > 1 and score(ranked[0]) == score(ranked[1])):
            return None
        return AppMatch(ranked[0]["name"], str(ranked[0].get("appid", "")), True)
