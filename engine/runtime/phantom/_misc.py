"""Logging, summaries, result helpers, run information and REST helpers."""
from __future__ import annotations

import pprint
from typing import Any

from engine.execution import api as execution
from engine.models import Asset
from engine.runtime.context import current
from soar.ids import as_id

MAX_LOG_CHARS = 65536


def _text(obj: Any) -> str:
    text = obj if isinstance(obj, str) else pprint.pformat(obj, width=120)
    return text if len(text) <= MAX_LOG_CHARS else text[:MAX_LOG_CHARS] + f"… ({len(text)} characters)"


def debug(obj: Any = None, *args: Any, **kwargs: Any) -> None:
    """Write to the run's debug log (objects are pretty-printed)."""
    ctx = current("debug")
    ctx.emit("debug", {"level": "debug", "message": _text(obj), "block": ctx.block})


def error(obj: Any = None, *args: Any, **kwargs: Any) -> None:
    """Log at error level; does not stop the run."""
    ctx = current("error")
    ctx.emit("debug", {"level": "error", "message": _text(obj), "block": ctx.block})


def get_summary() -> dict[str, Any]:
    """{'result': [...]} with one entry per action of this run (name, message, ids, app runs)."""
    return execution.run_summary(current("get_summary"))


def get_action_results(action_run_id: Any = None, app_run_id: Any = None, result_data: bool = True,
                       flatten: bool = False, **kwargs: Any) -> list[Any]:
    """An action run's results in callback `results` shape (flattened to action results on request)."""
    ctx = current("get_action_results")
    runs = [a for a in execution.action_runs(ctx).values() if action_run_id is None or str(a.id) == str(action_run_id)]
    out = [r for ar in runs for r in ar.results if app_run_id is None or r["app_run_id"] == app_run_id]
    return [x for r in out for x in r["action_results"]] if flatten else out




def _playbook(name_or_id: Any) -> Any:
    """A playbook named by id, "repo/name" or name (the newest of that name)."""
    from editor.models import Playbook

    text = str(name_or_id).strip()
    if text.isdigit():
        pk = as_id(text)
        return Playbook.objects.filter(pk=pk).first() if pk is not None else None
    repo, _, name = text.rpartition("/")
    found = Playbook.objects.filter(name=name)
    return (found.filter(repo=repo) if repo else found).order_by("-id").first()


def get_playbook_info(name_or_id: Any = None, **kwargs: Any) -> list[dict[str, Any]]:
    """[record] of the running playbook (or of the playbook `name_or_id` names; [] when none).

    A record has SOAR's fields: `id`, `name`, `description`, `repo_name`, `scm_id`, `scm`,
    `playbook_type`, `labels`, `tags`, `active`, `disabled`, `version`, `python_version` and,
    for the running playbook, the run's `run_id` (also `playbook_run_id`),
    `parent_playbook_run_id`, `effective_user_id` (the user the run acts for: playbooks
    assign owners with it), `launching_user_id`, `container_id`, `status`, `start_time`,
    `log_level` and `test_mode`. Another playbook's record has None in those run fields.
    """
    from engine.runtime.containers import soar_time

    ctx = current("get_playbook_info")
    run = ctx.run
    playbook = run.playbook if name_or_id in (None, "") else _playbook(name_or_id)
    if playbook is None:
        return []
    mine = playbook.pk == run.playbook_id
    version = run.playbook_version.number if mine and run.playbook_version else playbook.latest_version
    record: dict[str, Any] = {
        "id": playbook.pk, "name": playbook.name, "description": playbook.description, "repo_name": playbook.repo,
        "scm": playbook.repo, "scm_id": _scm_id(playbook.repo), "playbook_type": playbook.playbook_type,
        "labels": list(playbook.labels or []), "tags": list(playbook.tags or []), "active": playbook.active,
        "disabled": playbook.disabled, "version": version, "python_version": "3",
        "run_id": None, "playbook_run_id": None, "parent_playbook_run_id": None, "effective_user_id": None,
        "launching_user_id": None, "container_id": None, "status": None, "start_time": None, "log_level": None,
        "test_mode": None,
    }
    if mine:
        record.update({
            "run_id": run.pk, "playbook_run_id": run.pk, "parent_playbook_run_id": run.parent_run_id,
            "effective_user_id": int(effective_user(ctx).pk), "launching_user_id": run.owner_id,
            "container_id": run.container_id, "status": "running", "start_time": soar_time(run.start_time),
            "log_level": run.log_level, "test_mode": run.test_mode,
        })
    return [record]


def _scm_id(repo: str) -> int:
    """A stable id per repository name: SOAR numbers its source-control repos and this
    installation keeps only their names ("local" is 1, as it is the first repo SOAR makes)."""
    if repo == "local":
        return 1
    import zlib

    return 2 + zlib.crc32(repo.encode("utf-8")) % 1_000_000


AUTOMATION_USERNAME = "automation"


def automation_user() -> Any:
    """SOAR's "automation" user: who runs playbooks that no person started. It cannot log
    in (no usable password) and holds the admin role, as in SOAR."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user, made = get_user_model().objects.get_or_create(
        username=AUTOMATION_USERNAME, defaults={"first_name": "Automation", "is_active": True})
    if made:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.groups.add(Group.objects.get_or_create(name="admin")[0])
    return user


def effective_user(ctx: Any) -> Any:
    """The user a run acts for: whoever started it, else the automation user."""
    return ctx.run.owner if ctx.run.owner_id else automation_user()


def get_effective_user() -> int | None:
    """Numeric id of the user the run acts for (the automation user's when nobody started it)."""
    ctx = current("get_effective_user")
    return int(effective_user(ctx).pk)


def get_base_url() -> str:
    """The installation's base URL (settings.SOAR_BASE_URL), without a trailing slash."""
    from django.conf import settings

    return str(getattr(settings, "SOAR_BASE_URL", "") or "http://127.0.0.1:8000").rstrip("/")


def get_rest_base_url() -> str:
    """`<base>/rest/`: where this installation's REST API starts."""
    return f"{get_base_url()}/rest/"


def build_phantom_rest_url(*parts: Any) -> str:
    """`<base>/rest/<part>/<part>…` for calls to this server's REST API: each part is
    URL-quoted on its own (ints allowed; `('decided_list', 'foo bar')` → `…/decided_list/foo%20bar`),
    surrounding slashes are stripped, and no part gives `<base>/rest/`."""
    from urllib.parse import quote

    cleaned = (str(p).strip("/") for p in parts)
    # Slashes and query characters stay: playbooks pass "/container/7/artifacts" and
    # "artifact?_filter_container=7" as one part, and SOAR serves those.
    return get_rest_base_url() + "/".join(quote(p, safe=_URL_SAFE) for p in cleaned if p)


_URL_SAFE = "/?&=%:,;+@$!*'()\""


def get_assets(action: Any = None, **kwargs: Any) -> list[dict[str, Any]]:
    """The enabled assets whose app implements `action` (all of them without one), by name,
    each as SOAR's asset record: code reads `asset['name']` and `asset['product_name']`."""
    current("get_assets")
    assets = Asset.objects.filter(disabled=False).select_related("app")
    if action:
        assets = assets.filter(app__actions__name=str(action))
    out = {}
    for a in assets.order_by("name"):
        out[a.name] = {"id": a.pk, "name": a.name, "product_name": a.product_name or a.app.product_name,
                       "product_vendor": a.product_vendor or a.app.product_vendor, "app": a.app.name,
                       "tags": list(a.tags or []), "description": a.description}
    return list(out.values())


