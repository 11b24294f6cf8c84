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
