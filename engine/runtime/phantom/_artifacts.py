"""Artifact access of classic (pre-collect2) playbooks: `get_artifacts`, `attacker_ips`,
`victim_ips` and `artifact_values`. They read the same rows as datapaths do."""
from __future__ import annotations

from typing import Any

from engine.runtime.context import current
from engine.runtime.datasource import RunDataSource
from engine.runtime.evaluate import Scope
from engine.runtime.phantom._container import _container_pk

# CEF fields naming the attacking and the attacked side of an event.
ATTACKER_FIELDS = ("sourceAddress", "sourceTranslatedAddress")
VICTIM_FIELDS = ("destinationAddress", "destinationTranslatedAddress")


def _artifacts(api: str, container: Any, scope: Any) -> list[dict[str, Any]]:
    """The container's artifact dicts (the run's container honours `scope`; any other is read whole)."""
    ctx = current(api)
    pk = _container_pk(api, container)
    chosen: Scope = scope if scope in ("new", "all") or isinstance(scope, list) else "all"
    if pk == ctx.run.container_id:
        return [dict(a) for a in RunDataSource(ctx).artifacts(chosen)]
    from engine.models import Artifact
    from engine.runtime.containers import artifact_dict

    return [artifact_dict(a) for a in Artifact.objects.filter(container_id=pk).order_by("id")]


def get_artifacts(container: Any = None, artifact_label: Any = None, scope: Any = "all", **kwargs: Any) -> list[dict[str, Any]]:
    """The container's artifacts as dicts (SOAR's artifact shape), only those labelled
    `artifact_label` when given."""
    found = _artifacts("get_artifacts", container, scope)
    return [a for a in found if artifact_label in (None, "") or a.get("label") == artifact_label]


def _addresses(api: str, container: Any, scope: Any, fields: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for artifact in _artifacts(api, container, scope):
        cef = artifact.get("cef") or {}
        for field in fields:
            value = cef.get(field)
            for item in value if isinstance(value, list) else [value]:
                if item not in (None, "") and str(item) not in out:
                    out.append(str(item))
    return out


def attacker_ips(container: Any = None, scope: Any = "all", **kwargs: Any) -> list[str]:
    """The distinct source addresses (`sourceAddress`, `sourceTranslatedAddress`) of the
    container's artifacts, in artifact order."""
    return _addresses("attacker_ips", container, scope, ATTACKER_FIELDS)


def victim_ips(container: Any = None, scope: Any = "all", **kwargs: Any) -> list[str]:
    """The distinct destination addresses (`destinationAddress`,
    `destinationTranslatedAddress`) of the container's artifacts, in artifact order."""
    return _addresses("victim_ips", container, scope, VICTIM_FIELDS)


def artifact_values(events: Any = None, field_name: Any = None, **kwargs: Any) -> list[Any]:
    """Deprecated (SOAR replaced it with `collect`): the values of the CEF field `field_name`
    of each artifact in `events`, a list of artifact dicts or a container (dict or id)."""
    current("artifact_values")
    artifacts = events if isinstance(events, list) else _artifacts("artifact_values", events, "all")
    out: list[Any] = []
    for artifact in artifacts:
        value = (artifact.get("cef") or {}).get(str(field_name)) if isinstance(artifact, dict) else None
        if value is not None:
            out.append(value)
    return out
