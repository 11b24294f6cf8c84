"""The app catalogue in the database: App and AppAction rows made from app definitions.

The parsing lives in :mod:`engine.apps` (pure Python); this module only adapts it to the
models. The calls the rest of the product makes:

* :func:`sync_app` stores one parsed definition (create, update in place, or nothing);
* :func:`sync_builtin_apps` stores the apps that ship with Playbook Studio; it runs
  after every ``migrate`` (see :func:`_sync_builtins_after_migrate`);
* :func:`appdef_for` turns a stored App back into an :class:`~engine.apps.AppDef`;
* :func:`handler_for_asset` gives what answers an asset's actions (connector or simulator).

Importing this module connects two signal receivers: built-in apps after ``migrate`` and
one demo asset per built-in app on ``load_demo``. ``EngineConfig.ready()`` imports it.
"""
from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.models.signals import post_migrate
from django.dispatch import receiver
from django.utils import timezone

from engine.apps import (
    ActionDef,
    ActionHandler,
    AppDef,
    AppDefinitionError,
    builtin_apps,
    connector_class,
    handler_for,
)
from engine.apps.catalogue import parse_app
from engine.assets import runtime_configuration, store_configuration
from engine.management.commands.load_demo import demo_loading
from engine.models import App, AppAction, Asset

__all__ = [
    "Outcome",
    "appdef_for",
    "demo_asset_specs",
    "handler_for_asset",
    "sync_app",
    "sync_builtin_apps",
]

log = logging.getLogger(__name__)

Outcome = Literal["created", "updated", "unchanged"]

# The demo asset each built-in app gets from `load_demo`: name and configuration on top
# of the definition's defaults. A built-in without an entry gets an asset named by slug.
_DEMO_ASSETS: dict[str, tuple[str, dict[str, Any]]] = {
    "http": ("http_local", {"base_url": "http://127.0.0.1:8000", "test_path": "/healthz"}),
    "utilities": ("utilities", {}),
}


# -- storing definitions -------------------------------------------------------------


def _app_fields(appdef: AppDef, builtin: bool) -> dict[str, Any]:
    raw = dict(appdef.raw)
    configuration = raw.get("configuration")
    return {
        "name": appdef.name,
        "version": appdef.version,
        "product_vendor": appdef.product_vendor,
        "product_name": appdef.product_name,
        "description": appdef.description,
        # Raw, not the parsed ConfigField: engine.assets reads `data_type` from it.
        "configuration": dict(configuration) if isinstance(configuration, Mapping) else {},
        "definition": raw,
        "builtin": builtin,
    }


_ACTION_FIELDS = ("identifier", "description", "type", "read_only", "parameters", "output", "versions")


def _action_fields(action: ActionDef) -> dict[str, Any]:
    params = action.raw.get("parameters")
    output = action.raw.get("output")
    return {
        "identifier": action.identifier,
        "description": action.description,
        "type": action.type,
        "read_only": action.read_only,
        "parameters": dict(params) if isinstance(params, Mapping) else {},
        "output": list(output) if isinstance(output, list) else [],
        "versions": action.versions,
    }


def _check_lengths(appdef: AppDef) -> None:
    """Refuse values longer than their column, naming the key (PostgreSQL would raise a
    DataError half-way through the import; SQLite would store them silently)."""
    checks: list[tuple[type[models.Model], str, str, str]] = [
        (App, "appid", "appid", appdef.appid),
        (App, "name", "name", appdef.name),
        (App, "version", "app_version", appdef.version),
        (App, "product_vendor", "product_vendor", appdef.product_vendor),
        (App, "product_name", "product_name", appdef.product_name),
    ]
    for i, action in enumerate(appdef.actions):
        checks += [
            (AppAction, "name", f"actions[{i}].action", action.name),
            (AppAction, "identifier", f"actions[{i}].identifier", action.identifier),
            (AppAction, "type", f"actions[{i}].type", action.type),
            (AppAction, "versions", f"actions[{i}].versions", action.versions),
        ]
    for model, field, key_path, value in checks:
        limit = getattr(model._meta.get_field(field), "max_length", None)
        if limit is not None and len(value) > limit:
            raise AppDefinitionError(appdef.source, key_path,
                                     f"longer than {limit} characters ({len(value)})")


def sync_app(appdef: AppDef, *, builtin: bool = False) -> tuple[App, Outcome]:
    """Store ``appdef`` as an App with its AppActions, in one transaction.

    An app is identified by ``appid``: loading one that exists updates it in place
    (fields, actions added and changed, actions no longer defined removed; assets keep
    pointing at it). Returns the App and ``"created"``, ``"updated"`` or ``"unchanged"``
    (same version and the same decoded JSON: nothing is written).

    Raises :class:`AppDefinitionError` when a value does not fit its column, or when a
    non-built-in load targets a built-in app's ``appid`` (built-ins change with the code;
    an upload over one would be reverted by the next ``migrate``).
    """
    _check_lengths(appdef)
    fields = _app_fields(appdef, builtin)
    with transaction.atomic():
        app, created = App.objects.get_or_create(appid=appdef.appid, defaults=fields)
        if created:
            AppAction.objects.bulk_create(
                AppAction(app=app, name=a.name, **_action_fields(a)) for a in appdef.actions)
            return app, "created"
        # Lock the row so two loads of the same app cannot interleave their action edits.
        app = App.objects.select_for_update().get(pk=app.pk)
        if app.builtin and not builtin:
            raise AppDefinitionError(
                appdef.source, "appid",
                f"{appdef.appid} is the built-in app {app.name!r}; it changes with Playbook Studio, "
                "not by loading a definition")
        if (app.version == appdef.version and app.definition == fields["definition"]
                and app.builtin == builtin):
            return app, "unchanged"
        for name, value in fields.items():
            setattr(app, name, value)
        # update_time keys appdef_for's cache and the /api/apps cache: it moves on every change.
        app.update_time = timezone.now()
        app.save()
        _sync_actions(app, appdef.actions)
        return app, "updated"


def _sync_actions(app: App, actions: tuple[ActionDef, ...]) -> None:
    existing = {a.name: a for a in AppAction.objects.filter(app=app)}
    wanted = {a.name: a for a in actions}
    AppAction.objects.filter(app=app, name__in=set(existing) - set(wanted)).delete()
    changed: list[AppAction] = []
    new: list[AppAction] = []
    for name, action in wanted.items():
        values = _action_fields(action)
        row = existing.get(name)
        if row is None:
            new.append(AppAction(app=app, name=name, **values))
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            changed.append(row)
    if changed:
        AppAction.objects.bulk_update(changed, _ACTION_FIELDS)
    AppAction.objects.bulk_create(new)


def sync_builtin_apps() -> list[tuple[App, Outcome]]:
    """Store every built-in app (``engine.apps.builtin_apps()``); idempotent."""
    return [sync_app(b.appdef, builtin=True) for b in builtin_apps()]


# -- reading definitions back --------------------------------------------------------

_CACHE_SIZE = 512
_appdefs: OrderedDict[tuple[int, datetime], AppDef] = OrderedDict()
_appdefs_lock = threading.Lock()


def appdef_for(app: App) -> AppDef:
    """The parsed definition of a stored app.

    Parsed once per ``(app.pk, app.update_time)`` and kept in a small LRU cache: an
    action run asks for it once per asset. Raises :class:`AppDefinitionError` if the
    stored definition was edited into something invalid.
    """
    key = (app.pk, app.update_time)
    with _appdefs_lock:
        cached = _appdefs.get(key)
        if cached is not None:
            _appdefs.move_to_end(key)
            return cached
    appdef = parse_app(app.definition, f"app {app.name!r} (id {app.pk})")
    with _appdefs_lock:
        _appdefs[key] = appdef
        while len(_appdefs) > _CACHE_SIZE:
            _appdefs.popitem(last=False)
    return appdef


def handler_for_asset(asset: Asset, *, simulate: bool, extra_outputs: tuple[str, ...] = ()) -> ActionHandler:
    """What answers ``asset``'s actions: its app's connector, or the simulator.

    The simulator serves when ``simulate`` is set or the app has no built-in connector;
    only then do the asset's simulator pins (``simulator_overrides``) apply, so pinning
    one write action does not take the real connector away from the read actions. Pins
    for actions the app no longer has are ignored (logged), not fatal.
    """
    appdef = appdef_for(asset.app)
    config = runtime_configuration(asset)
    if not simulate and connector_class(appdef.appid) is not None:
        return handler_for(appdef, config)
    pins = dict(asset.simulator_overrides or {})
    stale = [key for key in pins if appdef.action(key) is None]
    for key in stale:
        log.warning("asset %s: ignoring simulator pin for unknown action %r of %s",
                    asset.name, key, appdef.name)
        del pins[key]
    return handler_for(appdef, config, simulate=True, overrides=pins or None, extra_outputs=extra_outputs)


# -- signal receivers ----------------------------------------------------------------


def _engine_fully_migrated(using: str) -> bool:
    """True when every engine migration is applied: the current models match the schema.

    ``migrate engine 0001`` also sends post_migrate; syncing then would query columns
    that do not exist yet.
    """
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[using])
    targets = [node for node in executor.loader.graph.leaf_nodes() if node[0] == "engine"]
    return not executor.migration_plan(targets)


@receiver(post_migrate, dispatch_uid="engine.catalogue.sync_builtins_after_migrate")
def _sync_builtins_after_migrate(sender: Any, *, using: str = DEFAULT_DB_ALIAS,
                                 verbosity: int = 1, stdout: Any = None, **kwargs: Any) -> None:
    """Built-in apps are in the catalogue after every ``migrate`` (and test flush).

    A receiver rather than a data migration: a migration would import today's models and
    connectors and go stale when either changes, whereas this re-syncs each time, so a new
    built-in app version lands with the next ``migrate`` and an unchanged one costs nothing.
    """
    if getattr(sender, "label", None) != "engine" or using != DEFAULT_DB_ALIAS:
        return
    if not _engine_fully_migrated(using):
        return
    for app, outcome in sync_builtin_apps():
        if outcome != "unchanged" and verbosity >= 1 and stdout is not None:
            stdout.write(f"  Built-in app: {outcome} {app.name} {app.version}\n")


def demo_asset_specs() -> list[tuple[str, App, dict[str, Any]]]:
    """``(asset name, app, configuration)`` of the demo asset for each built-in app.

    Stores the built-in apps first (``sync_builtin_apps``), so it also works on a
    database migrated before this module was imported.
    """
    specs = []
    for (app, _), builtin in zip(sync_builtin_apps(), builtin_apps(), strict=True):
        name, overrides = _DEMO_ASSETS.get(builtin.slug, (builtin.slug, {}))
        config = {f.name: f.default for f in builtin.appdef.configuration.values()
                  if f.default is not None}
        specs.append((name, app, {**config, **overrides}))
    return specs


@receiver(demo_loading, dispatch_uid="engine.catalogue.demo_assets")
def _demo_assets(sender: Any, **kwargs: Any) -> str:
    """``load_demo``: one asset per built-in app (``http_local``, ``utilities``), once."""
    made = []
    with transaction.atomic():
        for name, app, config in demo_asset_specs():
            if Asset.objects.filter(name=name).exists():
                continue
            asset = Asset(name=name, app=app, product_vendor=app.product_vendor,
                          product_name=app.product_name, description=f"Demo asset for {app.name}")
            store_configuration(asset, config)
            asset.save()
            made.append(name)
    listed = f" ({', '.join(made)})" if made else ""
    return f"demo: {len(made)} new assets{listed}, {Asset.objects.count()} in all"
