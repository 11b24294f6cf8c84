def artifact_create(container=None, name=None, label=None, severity=None, cef_field=None, cef_value=None, cef_data_type=None, tags=None, run_automation=None, input_json=None, **kwargs):
    """
    Create an artifact in a container, with one CEF field from the inputs and any other
    artifact fields from input_json. Adding the same artifact twice returns the existing one.

    Args:
        container: A container id or dict; the run's container when empty.
        name: The artifact name; "artifact" by default.
        label: The artifact label; "events" by default.
        severity: low, medium (default) or high.
        cef_field: The CEF field to set, such as destinationAddress (needs cef_value).
        cef_value: The value of that field.
        cef_data_type: The contains-type of the value, such as ip or domain (optional).
        tags: Comma-separated tags for the artifact.
        run_automation: "True" lets the new artifact start active playbooks; default False.
        input_json: A JSON object (or text) of further artifact fields, such as {"cef": {...}, "description": "..."}; merged with the inputs.

    Returns a JSON-serializable object that implements the configured data paths:
        artifact_id: The id of the artifact created (or of the identical one that already existed).
    """
    ############################ Custom Code Goes Below This Line #################################
    import json

    from engine.artifacts import FIELDS, add_artifact_sdi, create_artifact
    from engine.custom_functions._support import as_bool, as_tags, emit, log, resolve_container, run_owner

    extra = input_json
    if isinstance(extra, str) and extra.strip():
        extra = json.loads(extra)
    extra = dict(extra or {})
    target = resolve_container(container if container not in (None, "") else extra.get("container_id"))
    if (cef_field in (None, "")) != (cef_value in (None, "")):
        raise ValueError("cef_field and cef_value go together")
    cef = dict(extra.get("cef") or {})
    cef_types = dict(extra.get("cef_types") or {})
    if cef_field not in (None, ""):
        cef[str(cef_field)] = cef_value
        if cef_data_type not in (None, ""):
            cef_types[str(cef_field)] = [str(cef_data_type)]
    body = {k: v for k, v in extra.items() if k in FIELDS}
    body.update({"cef": cef, "cef_types": cef_types})
    body["name"] = str(name) if name not in (None, "") else str(extra.get("name") or "artifact")
    body["label"] = str(label) if label not in (None, "") else str(extra.get("label") or "events")
    body["severity"] = str(severity or extra.get("severity") or "medium").strip().lower()
    if body["severity"] not in ("low", "medium", "high"):
        raise ValueError(f"severity must be low, medium or high, not {severity!r}")
    body["tags"] = list(dict.fromkeys([*as_tags(extra.get("tags")), *as_tags(tags)]))
    if not body.get("source_data_identifier"):
        body["source_data_identifier"] = add_artifact_sdi(target.pk, body["label"], body["name"], cef)
    automation = as_bool(run_automation if run_automation not in (None, "") else extra.get("run_automation"), False)
    outcome = create_artifact(target, body, creator=run_owner(), run_automation=automation)
    if outcome.artifact is None:
        log(f"artifact already exists: {outcome.existing_id}")
        return {"artifact_id": outcome.existing_id}
    emit("container.artifact", {"container": target.pk, "artifact": outcome.artifact.pk})
    return {"artifact_id": outcome.artifact.pk}
