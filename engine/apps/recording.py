"""Record a real connector's answers to a JSON file and replay them in the simulator.

Follows soar-asset-mocker's design: answers are keyed app → action identifier →
normalised parameters (``context`` left out, secrets redacted), so a replay matches the
call that was recorded whatever artifact fed it.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from engine.apps.base import ActionHandler, ActionResult

__all__ = ["REDACTED", "Recorder", "Recording", "params_key", "redact_params"]

FORMAT_VERSION = 1
REDACTED = "*REDACTED*"
_SENSITIVE = re.compile(r"pass(word|wd)?|secret|token|api_?key|authorization|private_?key",
                        re.IGNORECASE)


def redact_params(param: Mapping[str, Any]) -> dict[str, Any]:
    """``param`` without ``context`` and with secret-looking values replaced."""
    return {key: (REDACTED if _SENSITIVE.search(key) else value)
            for key, value in param.items() if key != "context"}


def params_key(param: Mapping[str, Any]) -> str:
    """A stable text key for a parameter dict (sorted JSON of the redacted values)."""
    return json.dumps(redact_params(param), sort_keys=True, separators=(",", ":"), default=str)


class Recording:
    """Recorded action results, loadable from and savable to one JSON file."""

    def __init__(self, entries: Mapping[str, Any] | None = None) -> None:
        # appid -> {"app": name, "actions": {identifier: {params_key: result dict}}}
        self.entries: dict[str, Any] = json.loads(json.dumps(entries or {}))

    @classmethod
    def load(cls, path: str | Path) -> Recording:
        """Read a recording file; raises ``ValueError`` if it is not one."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION or \
                not isinstance(data.get("apps"), dict):
            raise ValueError(f"{path}: not a version {FORMAT_VERSION} recording file")
        return cls(data["apps"])

    def save(self, path: str | Path) -> None:
        """Write atomically so a crash mid-write never leaves half a recording."""
        path = Path(path)
        payload = json.dumps({"version": FORMAT_VERSION, "apps": self.entries},
                             indent=2, sort_keys=True, default=str)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(payload + "\n")
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise

    def add(self, appid: str, app_name: str, identifier: str, param: Mapping[str, Any],
            result: ActionResult | Mapping[str, Any]) -> None:
        """Store ``result`` for this call, replacing an earlier one for the same key."""
        value = result.to_dict() if isinstance(result, ActionResult) else dict(result)
        value["parameter"] = redact_params(value.get("parameter") or param)
        value.pop("simulated", None)
        app = self.entries.setdefault(appid, {"app": app_name, "actions": {}})
        app["actions"].setdefault(identifier, {})[params_key(param)] = json.loads(
            json.dumps(value, default=str))

    def lookup(self, appid: str, identifier: str,
               param: Mapping[str, Any]) -> dict[str, Any] | None:
        """The recorded result dict for this call, or None."""
        actions = self.entries.get(appid, {}).get("actions", {})
        found = actions.get(identifier, {}).get(params_key(param))
        return json.loads(json.dumps(found)) if found is not None else None

    def __len__(self) -> int:
        return sum(len(calls) for app in self.entries.values()
                   for calls in app.get("actions", {}).values())


class Recorder:
    """Wrap a real connector: pass every call through and record its result.

    With ``path`` set the recording file is rewritten after each call, so a run that
    dies half way still leaves what it saw.
    """

    def __init__(self, inner: ActionHandler, appid: str, app_name: str,
                 recording: Recording | None = None, path: str | Path | None = None) -> None:
        self.inner = inner
        self.appid = appid
        self.app_name = app_name
        self.recording = recording if recording is not None else Recording()
        self.path = Path(path) if path is not None else None

    def handle_action(self, action_identifier: str, param: Mapping[str, Any]) -> ActionResult:
        result = self.inner.handle_action(action_identifier, param)
        self.recording.add(self.appid, self.app_name, action_identifier, param, result)
        if self.path is not None:
            self.recording.save(self.path)
        return result
