def artifact_update(artifact_id=None, name=None, label=None, severity=None, cef_field=None, cef_value=None, cef_data_type=None, tags=None, overwrite_tags=None, input_json=None, **kwargs):
    """
    Change an artifact: name, label, severity, one CEF field, tags, and further fields from input_json.

    Args:
        artifact_id: The artifact's id (or give it as "artifact_id" in input_json).
        name: The new name.
        label: The new label.
        severity: low, medium or high.
        cef_field: The CEF field to set (needs cef_value).
        cef_value: The new value of that field.
        cef_data_type: The contains-type of the value (optional).
        tags: Comma-separated tags to add.
        overwrite_tags: "True" replaces the artifact's tags with tags; default False appends.
        input_json: A JSON object (or text) of further fields; "cef" and "cef_types" are merged key by key.

    Returns a JSON-serializable object that implements the configured data paths:
    """
    ############################ Custom Code Goes Below This Line #################################
    import json

    from django.utils import timezone

    from engine.custom_functions._support import as_bool, as_pk, as_tags, emit
    from engine.models import Artifact, Tag

    extra = input_json
    if isinstance(extra, str) and extra.strip():
        extra = json.loads(extra)
    extra = dict(extra or {})
    artifact = Artifact.objects.filter(pk=as_pk(artifact_id if artifact_id not in (None, "") else extra.get("artifact_id"))).first()
    if artifact is None:
        raise ValueError(f"no artifact {artifact_id!r}")
    if (cef_field in (None, "")) != (cef_value in (None, "")):
        raise ValueError("cef_field and cef_value go together")
    settable = {"name", "label", "severity", "description", "type", "kill_chain", "data", "start_time", "end_time"}
    unknown = sorted(set(extra) - settable - {"cef", "cef_types", "tags", "artifact_id"})
    if unknown:
        raise ValueError(f"fields that cannot be updated: {', '.join(unknown)}")
    for key in settable & set(extra):
        setattr(artifact, key, extra[key])
    for key, value in (("name", name), ("label", label)):
        if value not in (None, ""):
            setattr(artifact, key, str(value))
    if severity not in (None, ""):
        artifact.severity = str(severity).strip().lower()
    if artifact.severity not in ("low", "medium", "high"):
        raise ValueError(f"severity must be low, medium or high, not {artifact.severity!r}")
    cef = {**(artifact.cef or {}), **dict(extra.get("cef") or {})}
    cef_types = {**(artifact.cef_types or {}), **dict(extra.get("cef_types") or {})}
    if cef_field not in (None, ""):
        cef[str(cef_field)] = cef_value
        if cef_data_type not in (None, ""):
            cef_types[str(cef_field)] = [str(cef_data_type)]
    artifact.cef, artifact.cef_types = cef, cef_types
    new_tags = list(dict.fromkeys([*as_tags(extra.get("tags")), *as_tags(tags)]))
    if as_bool(overwrite_tags, False):
        artifact.tags = new_tags
    elif new_tags:
        artifact.tags = list(dict.fromkeys([*artifact.tags, *new_tags]))
    Tag.register(list(artifact.tags))
    # The dedup hash is deliberately left alone: SOAR fixes it at creation.
    artifact.update_time = timezone.now()
    artifact.version += 1
    artifact.save()
    emit("container.artifact", {"container": artifact.container_id, "artifact": artifact.pk, "updated": True})
    return {}
