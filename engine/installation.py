"""What this installation holds, as plain data for the editor.

The editor imports nothing from ``engine.models``: validation, activation and the classic
converter ask here for the installed apps and assets, the editor's run dialog for
containers, and the demo loader for its example assets. Answers are dicts of JSON,
strings and frozen dataclasses, never model instances.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from engine.models import App, Artifact, Asset, Container
from soar.ids import as_id

# The editor's run dialog lists at most this many containers per search.
CONTAINER_SEARCH_LIMIT = 50
# Artifacts read for a container's CEF field names: enough for any real case, bounded for
# a container flooded with artifacts.
CEF_ARTIFACTS_READ = 5000


@dataclass(frozen=True)
class InstalledApps:
    """Every installed app's definition (its app JSON) and, by appid, its assets' names."""

    definitions: tuple[dict[str, Any], ...]
    assets: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class ContainerSummary:
    id: int
    name: str
    label: str
    severity: str
    artifact_count: int


def app_definition(appid: Any, name: Any) -> dict[str, Any] | None:
    """The definition of the app with ``appid``, else of the app named ``name`` (any
    case); None when neither is installed."""
    app = None
    if isinstance(appid, str) and appid:
        app = App.objects.filter(appid=appid).only("definition").first()
    if app is None and isinstance(name, str) and name:
        app = App.objects.filter(name__iexact=name).only("definition").first()
    return app.definition if app is not None and isinstance(app.definition, dict) else None


def installed_apps() -> InstalledApps:
    """All installed apps and their assets, in one read of each table."""
    assets: dict[str, list[str]] = {}
    for asset_name, appid in Asset.objects.values_list("name", "app__appid"):
        assets.setdefault(appid, []).append(asset_name)
    definitions = tuple(d for d in App.objects.values_list("definition", flat=True) if isinstance(d, dict))
    return InstalledApps(definitions, {appid: tuple(names) for appid, names in assets.items()})


def ensure_assets(wanted: Mapping[str, str], description: str = "Demo asset for {app} (simulated)") -> list[str]:
    """Create each asset of ``wanted`` (asset name -> app name) that does not exist and
    whose app is installed (its newest version); returns the names created."""
    made = []
    for asset_name, app_name in wanted.items():
        if Asset.objects.filter(name=asset_name).exists():
            continue
        app = App.objects.filter(name=app_name).order_by("-id").first()
        if app is None:
            continue
        Asset.objects.create(
            name=asset_name, app=app, product_vendor=app.product_vendor,
            product_name=app.product_name, description=description.format(app=app.name),
        )
        made.append(asset_name)
    return made


def search_containers(text: str) -> list[ContainerSummary]:
    """The newest containers whose name or label holds ``text`` (or whose id it is); the
    newest of all for an empty text."""
    containers = Container.objects.order_by("-id")
    text = text.strip()
    if text:
        pk = as_id(text)
        containers = containers.filter(Q(name__icontains=text) | Q(label__icontains=text)
                                       | (Q(pk=pk) if pk is not None else Q()))
    return [ContainerSummary(c.pk, c.name, c.label, c.severity, c.artifact_count)
            for c in containers[:CONTAINER_SEARCH_LIMIT]]


def container_cef_fields(container_id: int) -> list[str] | None:
    """The CEF field names a container's artifacts use, sorted; None when there is no
    such container."""
    if not Container.objects.filter(pk=container_id).exists():
        return None
    keys: set[str] = set()
    for cef in Artifact.objects.filter(container_id=container_id).values_list("cef", flat=True)[:CEF_ARTIFACTS_READ]:
        if isinstance(cef, dict):
            keys.update(cef)
    return sorted(keys)
