"""The app catalogue: SOAR app definitions, built-in connectors and the simulator.

Pure Python, no Django. Each built-in app is a plug-in folder ``engine/apps/<name>/``
with ``app.json`` (its SOAR-style definition) and ``connector.py``; its package exports
``APP_JSON`` and ``CONNECTOR``. Add a folder and list it in :data:`BUILTIN_APPS`.

The calls the Django side makes:

* :func:`engine.apps.catalogue.load_apps` / ``load_app`` / ``load_app_bytes`` /
  ``parse_app`` to import apps;
* :func:`builtin_apps` to seed the catalogue with the apps that really run;
* :func:`handler_for` to get what answers an asset's actions (connector or simulator);
* :func:`engine.apps.dispatch.run_action` and ``summarise`` to run and record them.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from engine.apps.base import ActionHandler, ActionResult, Connector
from engine.apps.catalogue import (
    ActionDef,
    AppDef,
    AppDefinitionError,
    load_app,
    load_app_bytes,
    load_apps,
)
from engine.apps.recording import Recording
from engine.apps.simulator import Override, Simulator

__all__ = [
    "BUILTIN_APPS",
    "ActionDef",
    "ActionHandler",
    "ActionResult",
    "AppDef",
    "AppDefinitionError",
    "BuiltinApp",
    "Connector",
    "Simulator",
    "builtin_apps",
    "connector_class",
    "handler_for",
    "load_app",
    "load_app_bytes",
    "load_apps",
]

# One entry per plug-in folder under engine/apps/.
BUILTIN_APPS: tuple[str, ...] = ("http", "utilities")


@dataclass(frozen=True)
class BuiltinApp:
    """A built-in app: its definition and the connector class that runs it."""

    slug: str
    appdef: AppDef
    connector: type[Connector]


@cache
def builtin_apps() -> tuple[BuiltinApp, ...]:
    """Every registered built-in app, its ``app.json`` parsed (raises on a bad one)."""
    apps = []
    for slug in BUILTIN_APPS:
        module = importlib.import_module(f"engine.apps.{slug}")
        connector = module.CONNECTOR
        if not (isinstance(connector, type) and issubclass(connector, Connector)):
            raise TypeError(f"engine.apps.{slug}.CONNECTOR is not a Connector subclass")
        apps.append(BuiltinApp(slug=slug, appdef=load_app(module.APP_JSON),
                               connector=connector))
    return tuple(apps)


def connector_class(appid: str) -> type[Connector] | None:
    """The built-in connector for ``appid``, or None when only the simulator can serve it."""
    return next((a.connector for a in builtin_apps() if a.appdef.appid == appid), None)


def handler_for(appdef: AppDef, config: Mapping[str, Any] | None = None, *,
                simulate: bool = False,
                overrides: Mapping[str, Override] | None = None,
                recording: Recording | None = None,
                strict_replay: bool = False,
                extra_outputs: tuple[str, ...] = ()) -> ActionHandler:
    """What should answer ``appdef``'s actions for an asset with ``config``.

    The built-in connector when there is one, unless ``simulate`` is set or overrides or
    a recording are given (a test pinning responses wants them served); otherwise the
    :class:`Simulator`.
    """
    connector = connector_class(appdef.appid)
    if connector is not None and not simulate and overrides is None and recording is None:
        return connector(config)
    return Simulator(appdef, config, overrides=overrides, recording=recording,
                     strict_replay=strict_replay, extra_outputs=extra_outputs)
