"""Reading SOAR's `POST /rest/action_run` body into an action run the engine can execute.

SOAR's body: `action`, `container_id`, `name`, `targets` (each `{"assets": [names or
ids], "parameters": [{...}], "app_id": id or appid}`), optional `type`, `policy` and
`exec_delay_secs`. Every problem is a 400 naming its field (`targets[0].assets`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rest_framework.exceptions import ValidationError

from engine.apps.catalogue import ActionDef, AppDefinitionError
from engine.apps.dispatch import validate_parameters
from engine.catalogue import appdef_for
from engine.models import App, AppAction, Asset, Container
from soar.ids import DB_INT_MAX, as_id

# `policy` is accepted and has no effect: SOAR's approval policies are not modelled here.
KNOWN_FIELDS = frozenset({"action", "container_id", "name", "targets", "type", "policy", "exec_delay_secs"})
MAX_TARGETS = 50
MAX_DELAY_S = 7 * 24 * 3600
MAX_PARAMETER_SETS = 500


def an_id(value: Any) -> int | None:
    """`value` as a row id: a non-negative integer a column stores, or such digits as text."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value <= DB_INT_MAX else None
    return as_id(value) if isinstance(value, str) else None


def _fail(name: str, message: str) -> ValidationError:
    return ValidationError({name: [message]})


def find_app(ref: Any, name: str) -> App:
    """The app `ref` names: its numeric id (or id as text) or its appid (GUID)."""
    if isinstance(ref, bool) or not isinstance(ref, (int, str)) or ref == "":
        raise _fail(name, "must be an app's id or appid")
    pk = an_id(ref)
    app = App.objects.filter(pk=pk).first() if pk is not None else None
    if app is None and isinstance(ref, str):
        app = App.objects.filter(appid=ref).first()
    if app is None:
        raise _fail(name, f"no app {ref!r}")
    return app


def _find_asset(ref: Any, name: str) -> Asset:
    if isinstance(ref, bool) or not isinstance(ref, (int, str)) or ref == "":
        raise _fail(name, "each asset is an asset's name or id")
    asset = Asset.objects.select_related("app").filter(name=str(ref)).first()
    pk = an_id(ref)
    if asset is None and pk is not None:
        asset = Asset.objects.select_related("app").filter(pk=pk).first()
    if asset is None:
        raise _fail(name, f"no asset {ref!r}")
    return asset


@dataclass
class ActionRequest:
    """A checked `POST /rest/action_run` body, ready to be stored (`ActionRun.targets` shape)."""

    container: Container
    action: str
    name: str
    type: str
    targets: list[dict[str, Any]] = field(default_factory=list)
    delay_s: int = 0


def _text(data: dict[str, Any], key: str, *, required: bool, limit: int = 256) -> str:
    value = data.get(key)
    if value is None or value == "":
        if required:
            raise _fail(key, "required")
        return ""
    if not isinstance(value, str):
        raise _fail(key, "must be a string")
    if len(value) > limit:
        raise _fail(key, f"at most {limit} characters")
    return value


def _parameter_sets(target: dict[str, Any], where: str) -> list[dict[str, Any]]:
    params = target.get("parameters")
    if params is None:
        return []
    if not isinstance(params, list) or not all(isinstance(p, dict) for p in params):
        raise _fail(f"{where}.parameters", "must be a list of objects (one per parameter set)")
    if len(params) > MAX_PARAMETER_SETS:
        raise _fail(f"{where}.parameters", f"at most {MAX_PARAMETER_SETS} parameter sets")
    return params


def _check_parameters(actiondef: ActionDef, params: list[dict[str, Any]], where: str) -> None:
    # SOAR checks types and required parameters, not value lists (a UI pick list).
    for j, values in enumerate(params or [{}]):
        problems = validate_parameters(actiondef, values, value_lists=False)
        if problems:
            raise _fail(f"{where}.parameters[{j}]", "; ".join(problems))


def _assets_of_target(target: dict[str, Any], where: str, app: App | None, action: str) -> list[Asset]:
    refs = target.get("assets")
    if refs is None:
        refs = []
    if not isinstance(refs, list):
        raise _fail(f"{where}.assets", "must be a list of asset names or ids")
    assets = [_find_asset(ref, f"{where}.assets[{k}]") for k, ref in enumerate(refs)]
    if not assets:
        if app is None:
            raise _fail(f"{where}.assets", "required unless app_id names the app whose assets run the action")
        assets = list(Asset.objects.filter(app=app, disabled=False).select_related("app").order_by("name"))
        if not assets:
            raise _fail(f"{where}.app_id", f"app {app.name!r} has no enabled asset to run '{action}'")
    for k, asset in enumerate(assets):
        at = f"{where}.assets[{k}]" if refs else f"{where}.app_id"
        if app is not None and asset.app_id != app.pk:
            raise _fail(at, f"asset {asset.name!r} belongs to app {asset.app.name!r}, not {app.name!r}")
        if asset.disabled:
            raise _fail(at, f"asset {asset.name!r} is disabled")
        if asset.app.disabled:
            raise _fail(at, f"app {asset.app.name!r} of asset {asset.name!r} is disabled")
    return assets


def parse(data: Any) -> ActionRequest:
    """The action run `data` asks for; ValidationError naming the field when it cannot run."""
    if not isinstance(data, dict):
        raise ValidationError({"non_field_errors": ["expected a JSON object"]})
    unknown = sorted(str(k) for k in data if k not in KNOWN_FIELDS)
    if unknown:
        raise ValidationError({k: ["unknown field"] for k in unknown[:20]})
    action = _text(data, "action", required=True)
    name = _text(data, "name", required=False) or action
    kind = _text(data, "type", required=False, limit=64)
    cid = data.get("container_id")
    pk = an_id(cid)
    if pk is None:
        raise _fail("container_id", "required: the id of the container to run the action on")
    container = Container.objects.filter(pk=pk).first()
    if container is None:
        raise _fail("container_id", f"no container with id {cid}")
    delay = data.get("exec_delay_secs", 0)
    if delay is None:
        delay = 0
    if isinstance(delay, bool) or not isinstance(delay, int) or not 0 <= delay <= MAX_DELAY_S:
        raise _fail("exec_delay_secs", f"must be a whole number of seconds from 0 to {MAX_DELAY_S}")
    if not AppAction.objects.filter(name=action).exists():
        raise _fail("action", f"no installed app has an action '{action}'")
    targets = data.get("targets")
    if not isinstance(targets, list) or not targets:
        raise _fail("targets", "required: a non-empty list of {assets, parameters, app_id}")
    if len(targets) > MAX_TARGETS:
        raise _fail("targets", f"at most {MAX_TARGETS} targets")
    resolved = []
    for i, target in enumerate(targets):
        where = f"targets[{i}]"
        if not isinstance(target, dict):
            raise _fail(where, "must be an object with assets, parameters and app_id")
        extra = sorted(str(k) for k in target if k not in ("assets", "parameters", "app_id", "app"))
        if extra:
            raise _fail(f"{where}.{extra[0]}", "unknown field")
        app_ref = target.get("app_id", target.get("app"))
        app = find_app(app_ref, f"{where}.app_id") if app_ref not in (None, "") else None
        params = _parameter_sets(target, where)
        assets = _assets_of_target(target, where, app, action)
        for k, asset in enumerate(assets):
            at = f"{where}.assets[{k}]" if target.get("assets") else f"{where}.app_id"
            try:
                actiondef = appdef_for(asset.app).action(action)
            except AppDefinitionError as exc:
                raise _fail(at, f"the stored definition of app {asset.app.name!r} is invalid ({exc.key_path}: "
                                f"{exc.problem}): install the app again") from None
            if actiondef is None:
                raise _fail(at, f"asset {asset.name!r} (app {asset.app.name!r}) does not support the action '{action}'")
            _check_parameters(actiondef, params, where)
            kind = kind or actiondef.type
        by_app: dict[int, list[str]] = {}
        for asset in assets:
            by_app.setdefault(asset.app_id, []).append(asset.name)
        resolved += [{"app_id": app_id, "assets": names, "parameters": params} for app_id, names in by_app.items()]
    return ActionRequest(container, action, name, kind or "generic", resolved, delay)
