"""Recording the audit trail (engine.models.AuditEntry).

Every REST write goes through `record`: the generic resources of soar.rest send
`soar.rest.signals.rest_write`, which lands here; views of their own call `record` directly.
"""
from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from engine.models import AuditEntry
from soar.rest.signals import rest_write

# Field names whose values never enter the trail: only the fact that they changed.
_SECRET_WORDS = ("password", "secret", "token", "key", "configuration")


def _changed(fields: Any) -> dict[str, Any]:
    if not isinstance(fields, dict):
        return {}
    return {
        "fields": sorted(str(k) for k in fields)[:50],
    }


def record(user: Any, action: str, object_type: str, object_id: int | None = None, *,
           container_id: int | None = None, playbook_id: int | None = None, message: str = "",
           detail: dict[str, Any] | None = None) -> AuditEntry:
    """One entry of the trail. `user` may be None (the platform itself) or AnonymousUser."""
    real = user if getattr(user, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        user=real, username=getattr(real, "username", "") or "", action=action, object_type=object_type,
        object_id=object_id, container_id=container_id, playbook_id=playbook_id, message=message,
        detail=detail or {},
    )


def is_secret_field(name: str) -> bool:
    return any(word in name.lower() for word in _SECRET_WORDS)


@receiver(rest_write, dispatch_uid="engine.audit.rest_write")
def _on_rest_write(sender: Any, *, request: Any, action: str, object_type: str, object_id: int | None,
                   obj: Any = None, data: Any = None, **_: Any) -> None:
    container_id = None
    playbook_id = None
    if obj is not None:
        if object_type == "container":
            container_id = object_id
        else:
            container_id = getattr(obj, "container_id", None)
        if object_type == "playbook":
            playbook_id = object_id
        else:
            playbook_id = getattr(obj, "playbook_id", None)
    record(getattr(request, "user", None), action, object_type, object_id, container_id=container_id,
           playbook_id=playbook_id, detail=_changed(data))


# --- reading the trail (/rest/audit, and the per-object audit routes) -------------------------

# CSV columns of `format=csv`, in order; also the keys of a row.
COLUMNS = ("id", "time", "user_id", "username", "action", "audit_source", "object_id", "container_id",
           "playbook_id", "message", "fields")


def as_row(entry: AuditEntry) -> dict[str, Any]:
    """One entry as the REST API answers it. `audit_source` is the REST type the object
    belongs to; `fields` the names of the fields a write changed (never their values)."""
    detail = entry.detail if isinstance(entry.detail, dict) else {}
    return {
        "id": entry.pk, "time": entry.time.isoformat().replace("+00:00", "Z"), "user_id": entry.user_id,
        "username": entry.username or "system", "action": entry.action, "audit_source": entry.object_type,
        "object_id": entry.object_id, "container_id": entry.container_id, "playbook_id": entry.playbook_id,
        "message": entry.message, "fields": [str(f) for f in detail.get("fields", [])],
    }


def visible_entries(user: Any) -> Any:
    """The entries `user` may read: a playbook's entries follow the playbook's team rule
    (engine.visibility), as its runs do; the rest follow the role check of the route."""
    from django.db.models import Q

    from editor.models import Playbook
    from engine.visibility import playbook_filter

    rule = playbook_filter(user)
    entries = AuditEntry.objects.all()
    if rule == Q():
        return entries
    hidden = Playbook.objects.exclude(rule).values("pk")
    return entries.exclude(playbook_id__in=hidden).exclude(object_type="playbook", object_id__in=hidden)
