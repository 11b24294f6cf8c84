"""phantomrestclient 1.0.0 (PyPI, 2017): Client's seven endpoint wrappers, every method.

The release is Python 2 code: `import phantomrestclient` fails on Python 3 (its modules
import each other as top-level modules), whatever the server; recorded, not counted.
Its venv pins urllib3<2 (it imports SNIMissingWarning, gone in urllib3 2). To exercise
its REST calls the driver then puts the package's own folder on sys.path, which is how
Python 2 resolved those imports; the code itself is untouched.

It authenticates with basic auth (username and password) on every request, and returns
the parsed JSON only for a 200 answer (any other status hands back the Response), so a
call works when it got a 200.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

from harness import Recorder, run_driver


def main(rec: Recorder) -> None:
    try:
        import phantomrestclient  # noqa: F401
    except ImportError as exc:
        rec.fail("import phantomrestclient", f"{type(exc).__name__}: {exc}",
                 defect="Python 2 implicit relative imports (from phantomActions import ...)")
        for name in [n for n in sys.modules if n.startswith("phantomrestclient")]:
            del sys.modules[name]
        spec = importlib.util.find_spec("phantomrestclient")
        assert spec is not None and spec.submodule_search_locations
        sys.path.insert(0, str(Path(next(iter(spec.submodule_search_locations)))))
    import requests
    from phantomrestclient import Client

    def got_200(value: Any) -> str | None:
        if isinstance(value, requests.Response):
            return f"answered {value.status_code}, the library wants 200: {value.text[:120]}"
        return None

    seed = rec.seed
    client = Client(rec.base_url + "/rest", rec.username, rec.password)
    # containers
    rec.call("containers.query(_filter_label='events')", client.containers.query, "_filter_label='events'",
             check=got_200)
    rec.call("containers.get_container", client.containers.get_container, seed["container_id"], check=got_200)
    made = rec.call("containers.create", client.containers.create,
                    {"name": "phantomrestclient container", "description": "made by phantomrestclient",
                     "label": "events"}, check=got_200)
    container_id = made.get("id", seed["container_id"]) if isinstance(made, dict) else seed["container_id"]
    rec.call("containers.add_artifacts (a list)", client.containers.add_artifacts, container_id,
             [{"sourceAddress": "192.0.2.40"}, {"destinationAddress": "198.51.100.40"}], label="event",
             check=got_200)
    # actions, apps, assets
    rec.call("actions.query", client.actions.query, check=got_200)
    rec.call("actions.get_build_action", client.actions.get_build_action, check=got_200)
    rec.call("apps.get_all_apps", client.apps.get_all_apps, check=got_200)
    rec.call("apps.get_app", client.apps.get_app, seed["app_id"], check=got_200)
    rec.call("assets.get_all_assets", client.assets.get_all_assets, check=got_200)
    rec.call("assets.get_asset", client.assets.get_asset, seed["asset_id"], check=got_200)
    rec.call("assets.create_asset (product_vendor/product_name)", client.assets.create_asset,
             {"name": "prc_utilities", "product_vendor": seed["app_vendor"], "product_name": seed["app_product"],
              "configuration": {}}, check=got_200)
    # playbooks
    rec.call("playbooks.exists", client.playbooks.exists, seed["playbook_name"],
             check=lambda v: got_200(v) or (None if v is True else "playbook not found"))
    started = rec.call("playbooks.trigger", client.playbooks.trigger, seed["playbook_id"], container_id,
                       check=got_200)
    run_id = None
    if isinstance(started, dict):
        run_id = started.get("playbook_run_id") or started.get("id")
    run_id = run_id or seed.get("playbook_run_id")
    if run_id:
        rec.call("playbooks.get_results (polls)", client.playbooks.get_results, str(run_id), check=got_200,
                 timeout=60)
        full = rec.call("playbooks.get_full_results", client.playbooks.get_full_results, run_id, check=got_200)
        app_runs = full.get("data", []) if isinstance(full, dict) else []
        if app_runs:
            rec.call("playbooks.get_app_run_results", client.playbooks.get_app_run_results, app_runs[0]["id"],
                     check=got_200)
    # users and roles
    rec.call("users.query", client.users.query, check=got_200)
    rec.call("users.get", client.users.get, seed["user_id"], check=got_200)
    user = rec.call("users.create", client.users.create,
                    {"username": "prc-user", "password": "Prc-user-pass-1234", "email": "prc@example.com"},
                    check=got_200)
    rec.call("roles.query", client.roles.query, check=got_200)
    role = rec.call("roles.create", client.roles.create, {"name": "prc role", "description": "made by prc"},
                    check=got_200)
    role_id = role.get("id") if isinstance(role, dict) else None
    user_id = user.get("id") if isinstance(user, dict) else None
    if role_id:
        rec.call("roles.get", client.roles.get, role_id, check=got_200)
    if role_id and user_id:
        rec.call("roles.add_users", client.roles.add_users, role_id, [user_id], check=got_200)
        rec.call("users.add_roles", client.users.add_roles, str(user_id), [role_id], check=got_200)


if __name__ == "__main__":
    run_driver(main, "phantomrestclient", "phantomrestclient")
