def collect_by_cef_type(container=None, data_types=None, scope=None, tags=None, **kwargs):
    """
    Collect the artifact values of a container whose contains-type is one of data_types
    (such as ip, url, sha1, or "all"), optionally only from artifacts carrying given tags.

    Args:
        container: A container id or dict; the run's container when empty.
        data_types: Contains-types to collect, as a list or comma list (such as "hash,filehash,file_hash"); "all" collects every value.
        scope: "new" (default: artifacts new to this run, when the container is the run's) or "all".
        tags: Only artifacts carrying all of these tags (a tag or a comma list).

    Returns a JSON-serializable object that implements the configured data paths:
        artifact_id: The artifact the value is in.
        artifact_tags: That artifact's tags.
        cef_keys: The CEF fields of that artifact holding the value.
        cef_types: The contains-types of those fields.
        cef_value: The value.
    """
    ############################ Custom Code Goes Below This Line #################################
    from engine.custom_functions._support import (
        as_list,
        as_tags,
        cef_items,
        cef_types_of,
        current_context,
        resolve_container,
    )
    from engine.models import Artifact

    target = resolve_container(container)
    kinds = {str(t).strip().lower() for t in as_list(data_types) if str(t).strip()}
    if not kinds:
        raise ValueError("data_types is required")
    mode = str(scope or "new").strip().lower()
    if mode not in ("new", "all"):
        raise ValueError(f"scope must be 'new' or 'all', not {scope!r}")
    artifacts = Artifact.objects.filter(container=target).order_by("id")
    ctx = current_context()
    if mode == "new" and ctx is not None and ctx.run.container_id == target.pk:
        artifacts = artifacts.filter(pk__gt=ctx.run.new_after)
    wanted_tags = set(as_tags(tags))
    out = []
    for artifact in artifacts:
        if wanted_tags and not wanted_tags <= set(artifact.tags or []):
            continue
        per_value: dict = {}
        for key, value in cef_items(artifact.cef):
            types = cef_types_of(artifact, key)
            if "all" not in kinds and not kinds & {t.lower() for t in types}:
                continue
            slot = per_value.setdefault(str(value), {"value": value, "keys": [], "types": []})
            slot["keys"].append(key)
            slot["types"].extend(t for t in types if t not in slot["types"])
        for slot in per_value.values():
            out.append({"artifact_id": artifact.pk, "artifact_tags": list(artifact.tags or []),
                        "cef_keys": slot["keys"], "cef_types": slot["types"], "cef_value": slot["value"],
                        # The earlier version of this function called the value artifact_value;
                        # ten corpus playbooks still read *.artifact_value.
                        "artifact_value": slot["value"]})
    return out
