def container_update(container_input=None, name=None, description=None, label=None, owner=None, sensitivity=None, severity=None, status=None, tags=None, input_json=None, **kwargs):
    """
    Change several attributes of a container at once; empty inputs leave the attribute alone.

    Args:
        container_input: A container id or dict; the run's container when empty.
        name: The new name.
        description: The new description.
        label: The new label.
        owner: A user name or id, or "current" for the user the run acts for.
        sensitivity: white, green, amber or red.
        severity: low, medium or high.
        status: new, open or closed.
        tags: Comma-separated tags that replace the container's tags.
        input_json: A JSON object (or text) of further fields to set, such as {"custom_fields": {...}}; merged last.

    Returns a JSON-serializable object that implements the configured data paths:
    """
    ############################ Custom Code Goes Below This Line #################################
    import json

    from django.contrib.auth import get_user_model

    from engine.custom_functions._support import as_id, as_pk, as_tags, emit, resolve_container, run_owner
    from engine.models import Tag

    target = resolve_container(container_input)
    changes: dict = {}
    for field, value in (("name", name), ("description", description), ("label", label)):
        if value not in (None, ""):
            changes[field] = str(value)
    for field, value, allowed in (("sensitivity", sensitivity, ("white", "green", "amber", "red")),
                                  ("severity", severity, ("low", "medium", "high")),
                                  ("status", status, ("new", "open", "closed"))):
        if value not in (None, ""):
            text = str(value).strip().lower()
            if text not in allowed:
                raise ValueError(f"{field} must be one of {', '.join(allowed)}, not {value!r}")
            changes[field] = text
    if tags not in (None, ""):
        changes["tags"] = as_tags(tags)
    extra = input_json
    if isinstance(extra, str) and extra.strip():
        extra = json.loads(extra)
    if extra not in (None, "", {}):
        if not isinstance(extra, dict):
            raise ValueError("input_json must be a JSON object")
        allowed_extra = {"name", "description", "label", "status", "severity", "sensitivity", "tags", "due_time",
                         "custom_fields", "data", "kill_chain", "external_id", "source_data_identifier"}
        unknown = sorted(set(extra) - allowed_extra - {"owner", "owner_id"})
        if unknown:
            raise ValueError(f"fields that cannot be updated: {', '.join(unknown)}")
        for key, value in extra.items():
            if key in ("custom_fields", "data") and isinstance(value, dict):
                changes[key] = {**(getattr(target, key) or {}), **value}
            elif key in ("owner", "owner_id"):
                owner = owner if owner not in (None, "") else value
            else:
                changes[key] = value
    if owner not in (None, ""):
        if str(owner).strip().lower() == "current":
            changes["owner"] = run_owner()
        else:
            users = get_user_model().objects
            user = users.filter(username=str(owner).strip()).first()
            if user is None and as_id(owner) is not None:
                user = users.filter(pk=as_pk(owner)).first()
            if user is None:
                raise ValueError(f"no user {owner!r}")
            changes["owner"] = user
    for key, value in changes.items():
        setattr(target, key, value)
    target.save()
    if "tags" in changes:
        Tag.register(list(changes["tags"]))
    emit("container.updated", {"container": target.pk, **{k: str(v) for k, v in changes.items()}})
    return {}
