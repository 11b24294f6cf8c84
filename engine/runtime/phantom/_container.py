"""Container and case operations: status, severity, notes, tags, artifacts, comments."""
from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from engine import redaction
from engine.artifacts import add_artifact_sdi, create_artifact
from engine.models import Artifact, Container, Note, PlaybookRun, Tag
from engine.runtime.containers import container_dict
from engine.runtime.context import current

Result = tuple[bool, str]


def _container_pk(api: str, container: Any) -> int:
    """The id of the container a call names (None: the run's), without loading it."""
    ctx = current(api)
    cid: Any
    if container is None:
        return int(ctx.run.container_id)
    cid = container.get("id") if isinstance(container, dict) else container
    try:
        pk = int(cid)
    except (TypeError, ValueError):
        pk = 0
    if pk == ctx.run.container_id:
        return pk  # the run's own container exists while the run does
    if not 0 < pk < 2**63 or not Container.objects.filter(pk=pk).exists():
        raise ValueError(f"phantom.{api}: no container {cid!r}")
    return pk


def _container(api: str, container: Any) -> Container:
    pk = _container_pk(api, container)
    found = Container.objects.filter(pk=pk).first()
    if found is None:
        raise ValueError(f"phantom.{api}: no container {container!r}")
    return found


def _changed(api: str, container: Container, field: str, value: Any) -> Result:
    ctx = current(api)
    setattr(container, field, value)
    container.save()
    if container.pk == ctx.run.container_id:
        ctx.invalidate_container()
    # A user (set_owner) goes into the event as its id: events are stored as JSON.
    ctx.emit("container.updated", {"container": container.pk, field: getattr(value, "pk", value)})
    return True, f"{field} set to {value}"


def _choice(api: str, value: Any, allowed: tuple[str, ...]) -> str:
    text = str(value or "").strip().lower()
    if text not in allowed:
        raise ValueError(f"phantom.{api}: {value!r} is not one of {', '.join(allowed)}")
    return text


def set_status(container: Any = None, status: Any = None, **kwargs: Any) -> Result:
    """Set the container's status (new, open, closed). Returns (success, message)."""
    c = _container("set_status", container)
    return _changed("set_status", c, "status", _choice("set_status", status, ("new", "open", "closed")))


def set_severity(container: Any = None, severity: Any = None, **kwargs: Any) -> Result:
    """Set the container's severity (low, medium, high). Returns (success, message)."""
    c = _container("set_severity", container)
    return _changed("set_severity", c, "severity", _choice("set_severity", severity, ("low", "medium", "high")))


def set_sensitivity(container: Any = None, sensitivity: Any = None, **kwargs: Any) -> Result:
    """Set the container's TLP sensitivity (white, green, amber, red)."""
    c = _container("set_sensitivity", container)
    return _changed("set_sensitivity", c, "sensitivity",
                    _choice("set_sensitivity", sensitivity, ("white", "green", "amber", "red")))


def set_label(container: Any = None, label: Any = None, **kwargs: Any) -> Result:
    """Change the container's label (may trigger playbooks for the new label)."""
    if not isinstance(label, str) or not label.strip():
        raise ValueError("phantom.set_label: label must be a non-empty string")
    return _changed("set_label", _container("set_label", container), "label", label.strip())


def set_owner(container: Any = None, user: Any = None, role: Any = None, **kwargs: Any) -> Result:
    """Assign the container to a user (name or id); None unassigns it."""
    c = _container("set_owner", container)
    owner = None
    if user not in (None, ""):
        users = get_user_model().objects
        owner = (users.filter(pk=user).first() if isinstance(user, int) else users.filter(username=str(user)).first())
        if owner is None:
            return False, f"no user {user!r}"
    return _changed("set_owner", c, "owner", owner)


def add_note(container: Any = None, note_type: str = "general", title: str = "", content: str = "",
             note_format: str = "markdown", artifact_id: Any = None, **kwargs: Any) -> tuple[bool, str, int | None]:
    """Add a note to the container (or one of its artifacts). Returns (success, message, note_id)."""
    ctx = current("add_note")
    container_pk = _container_pk("add_note", container)
    artifact = None
    if artifact_id is not None:
        artifact = Artifact.objects.filter(pk=artifact_id, container_id=container_pk).first()
        if artifact is None:
            return False, f"artifact {artifact_id} is not in container {container_pk}", None
    title, content = redaction.scrub((str(title or ""), str(content or "")))  # shown to every role
    note = Note.objects.create(container_id=container_pk, artifact=artifact, title=str(title or "")[:1024],
                          content=str(content or ""), note_type=str(note_type or "general"),
                          note_format=str(note_format or "markdown"), author_id=ctx.run.owner_id)
    ctx.emit("container.note", {"container": container_pk, "note": note.pk, "title": note.title})
    return True, f"note {note.pk} added", note.pk


def comment(container: Any = None, comment: Any = None, **kwargs: Any) -> Result:
    """Add a comment to the container (stored as a note of type 'container'). Returns (success, message)."""
    ok, message, _ = add_note(container=container, note_type="container", title="comment", content=str(comment or ""))
    return ok, message


add_comment = comment


def add_tag(container: Any = None, tags: Any = None, **kwargs: Any) -> Result:
    """Add one tag or a list of tags to the container."""
    c = _container("add_tag", container)
    new = [tags] if isinstance(tags, str) else [str(t) for t in (tags or [])]
    merged = list(dict.fromkeys([*c.tags, *new]))
    Tag.register(new)
    return _changed("add_tag", c, "tags", merged)


def remove_tag(container: Any = None, tags: Any = None, **kwargs: Any) -> Result:
    """Remove one tag or a list of tags from the container."""
    c = _container("remove_tag", container)
    gone = {tags} if isinstance(tags, str) else {str(t) for t in (tags or [])}
    return _changed("remove_tag", c, "tags", [t for t in c.tags if t not in gone])


# SOAR documents both spellings; community code uses the singular ones.
add_tags = add_tag
remove_tags = remove_tag


def add_artifact(container: Any = None, raw_data: Any = None, cef_data: Any = None, label: Any = None,
                 name: Any = None, severity: Any = None, identifier: Any = None, artifact_type: Any = None,
                 field_mapping: Any = None, trace: bool = False, run_automation: bool = False,
                 tags: Any = None, **kwargs: Any) -> tuple[bool, str, int | None]:
    """Add an artifact to the container; returns (success, message, artifact_id).

    Without an `identifier` the artifact gets an SDI derived from its content, so adding
    the same artifact again from a playbook is rejected (SOAR's deduplication) and the
    existing id is returned with success False.
    """
    ctx = current("add_artifact")
    c = _container("add_artifact", container)
    cef = dict(cef_data or {})
    label_text = str(label or "event")
    name_text = str(name or "artifact")
    sdi = str(identifier) if identifier else add_artifact_sdi(c.pk, label_text, name_text, cef)
    body: dict[str, Any] = {"name": name_text, "label": label_text, "cef": cef, "source_data_identifier": sdi,
                            "severity": str(severity or "medium"), "data": raw_data if isinstance(raw_data, dict) else {}}
    if artifact_type:
        body["type"] = str(artifact_type)
    if field_mapping:
        body["cef_types"] = dict(field_mapping)
    if tags:
        body["tags"] = [tags] if isinstance(tags, str) else list(tags)
    outcome = create_artifact(c, body, creator=ctx.run.owner, run_automation=bool(run_automation))
    if outcome.artifact is None:
        return False, "artifact already exists", outcome.existing_id
    ctx.emit("container.artifact", {"container": c.pk, "artifact": outcome.artifact.pk})
    return True, "artifact added", outcome.artifact.pk


_UPDATABLE = {"name", "description", "status", "severity", "sensitivity", "label", "tags", "due_time",
              "custom_fields", "data", "kill_chain", "external_id"}


def update(item: Any = None, data: Any = None, **kwargs: Any) -> Result:
    """Update fields of a container dict (or id) with `data`; unknown fields are refused."""
    c = _container("update", item)
    if not isinstance(data, dict):
        raise ValueError("phantom.update: data must be a dict of fields")
    unknown = sorted(set(data) - _UPDATABLE)
    if unknown:
        return False, f"fields that cannot be updated: {', '.join(unknown)}"
    for key, value in data.items():
        setattr(c, key, value)
    c.save()
    ctx = current("update")
    ctx.invalidate_container()
    ctx.emit("container.updated", {"container": c.pk, **{k: str(v) for k, v in data.items()}})
    return True, "updated"


def get_container(container_id: Any = None, **kwargs: Any) -> dict[str, Any] | None:
    """The container as a dict in the callback's shape (SOAR's time text, "" for unset
    values), or None when it does not exist. A dict with an `id` is accepted too."""
    ctx = current("get_container")
    if isinstance(container_id, dict):
        container_id = container_id.get("id")
    try:
        pk = int(container_id)
    except (TypeError, ValueError):
        return None
    c = Container.objects.filter(pk=pk).first() if 0 < pk < 2**63 else None
    if c is None:
        return None
    if pk == ctx.run.container_id:
        return container_dict(c, run_id=ctx.run.pk)
    latest = PlaybookRun.objects.filter(container_id=pk).order_by("-id").values_list("pk", flat=True).first()
    return container_dict(c, run_id=latest)


def close(container: Any = None, **kwargs: Any) -> Result:
    """Close the container."""
    return set_status(container=container, status="closed")


def get_current_container_id_() -> int:
    """The id of the run's container (what custom functions call to find it)."""
    return current("get_current_container_id_").run.container_id


