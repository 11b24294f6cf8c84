"""pyphantomapi 1.0.0 (PyPI): the small wrapper's Phantom class, every public method.

The published wheel imports `pyphantomapi.models`, which it does not ship, so
`import pyphantomapi` fails on any machine (recorded, not counted against the server).
To exercise its REST calls anyway the harness registers a stand-in `pyphantomapi.models`
before importing it: one class per model name that keeps the record it is given. The
library's own code is untouched. The library never raises on an HTTP error (it returns
the error body), so a call works when no exchange answered >= 400 and the answer has the
shape the method reads (`data`, `count` and `num_pages` for lists).
"""
from __future__ import annotations

import sys
import types
from typing import Any

from harness import Recorder, run_driver

MODELS = ("Container", "Artifact", "ActionRun", "Asset", "App", "AppRun", "PlaybookRun")


def install_stand_in_models() -> None:
    module = types.ModuleType("pyphantomapi.models")

    def make(name: str) -> type:
        def __init__(self: Any, phantom: Any, record: Any) -> None:
            self.phantom = phantom
            self.record = record

        return type(name, (), {"__init__": __init__})

    for name in MODELS:
        setattr(module, name, make(name))
    sys.modules["pyphantomapi.models"] = module


def is_record(value: Any) -> str | None:
    record = getattr(value, "record", value)
    if not isinstance(record, dict) or record.get("failed") or "id" not in record:
        return f"not a record: {str(record)[:160]}"
    return None


def main(rec: Recorder) -> None:
    try:
        import pyphantomapi  # noqa: F401
    except ImportError as exc:
        rec.fail("import pyphantomapi", f"{type(exc).__name__}: {exc}",
                 defect="the wheel does not ship pyphantomapi/models.py, which phantom.py imports")
        sys.modules.pop("pyphantomapi", None)
        sys.modules.pop("pyphantomapi.phantom", None)
        install_stand_in_models()
    from pyphantomapi import Phantom

    seed = rec.seed
    phantom = Phantom(base_url=rec.base_url + "/rest", token=rec.token)
    made = rec.call("create_container", phantom.create_container,
                    {"name": "pyphantomapi container", "label": "events"},
                    check=lambda v: None if isinstance(v, dict) and v.get("id") else f"no id: {str(v)[:160]}")
    container_id = made.get("id") if isinstance(made, dict) and made.get("id") else seed["container_id"]
    rec.call("create_artifact", phantom.create_artifact,
             {"container_id": container_id, "name": "pyphantomapi artifact", "label": "event",
              "cef": {"sourceAddress": "192.0.2.30"}},
             check=lambda v: None if isinstance(v, dict) and v.get("id") else f"no id: {str(v)[:160]}")

    def is_list(value: Any) -> str | None:
        return None if isinstance(value, dict) and {"data", "count", "num_pages"} <= set(value) else "no list"

    listing = [
        ("containers", "container", phantom.containers, phantom.container, container_id),
        ("artifacts", "artifact", phantom.artifacts, phantom.artifact, seed.get("artifact_id")),
        ("action_runs", "action_run", phantom.action_runs, phantom.action_run, None),
        ("assets", "asset", phantom.assets, phantom.asset, seed.get("asset_id")),
        ("apps", "app", phantom.apps, phantom.app, seed.get("app_id")),
        ("app_runs", "app_run", phantom.app_runs, phantom.app_run, None),
        ("playbook_runs", "playbook_run", phantom.playbook_runs, phantom.playbook_run, seed.get("playbook_run_id")),
    ]
    for plural, singular, list_fn, detail_fn, known_id in listing:
        found = rec.call(plural, list_fn, check=is_list)
        if known_id is None and isinstance(found, dict) and found.get("data"):
            known_id = getattr(found["data"][0], "record", {}).get("id")
        if known_id is not None:
            rec.call(singular, detail_fn, known_id, check=is_record)
    rec.call("version", phantom.version, check=lambda v: None if isinstance(v, dict) and v.get("version") else
             f"no version: {str(v)[:160]}")
    rec.call("system_info", phantom.system_info,
             check=lambda v: None if isinstance(v, dict) and not v.get("failed") else str(v)[:160])


if __name__ == "__main__":
    run_driver(main, "pyphantomapi", "pyphantomapi")
