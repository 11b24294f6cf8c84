def indicator_collect(container=None, artifact_ids_include=None, indicator_types_include=None, indicator_types_exclude=None, indicator_tags_include=None, indicator_tags_exclude=None, **kwargs):
    """
    Collect every indicator (CEF value) of a container's artifacts, also grouped by contains-type:
    each type gets its own output key with spaces as underscores ("file name" -> file_name).
    The run's artifact scope does not apply; every artifact of the container counts.

    Args:
        container: A container id or dict; the run's container when empty.
        artifact_ids_include: Only values from these artifact ids (a list, a comma list or one id).
        indicator_types_include: Only values having at least one of these contains-types.
        indicator_types_exclude: Leave out values having any of these contains-types.
        indicator_tags_include: Only values whose indicator carries at least one of these tags.
        indicator_tags_exclude: Leave out values whose indicator carries any of these tags.

    Returns a JSON-serializable object that implements the configured data paths:
        all_indicators.*.cef_key: The CEF field the value is in.
        all_indicators.*.cef_value: The value.
        all_indicators.*.data_types: The value's contains-types.
        all_indicators.*.artifact_id: The artifact the value is in.
        domain.*.cef_key: The CEF field of a value of type domain (likewise for every other type).
        domain.*.cef_value: A value of type domain.
        domain.*.artifact_id: The artifact it is in.
        file_name.*.cef_key: The CEF field of a value of type file name.
        file_name.*.cef_value: A value of type file name.
        file_name.*.artifact_id: The artifact it is in.
    """
    ############################ Custom Code Goes Below This Line #################################
    from engine.custom_functions._indicators import container_values
    from engine.custom_functions._support import as_id, as_list, as_tags, resolve_container
    from engine.models import Indicator
    from engine.models.workbooks import value_hash

    target = resolve_container(container)
    ids = None
    if artifact_ids_include not in (None, "", []):
        ids = [i for i in (as_id(x) for x in as_list(artifact_ids_include)) if i is not None]
    types_in = {str(t).strip() for t in as_list(indicator_types_include)}
    types_out = {str(t).strip() for t in as_list(indicator_types_exclude)}
    tags_in, tags_out = set(as_tags(indicator_tags_include)), set(as_tags(indicator_tags_exclude))
    out: dict = {"all_indicators": []}
    seen = set()
    found = container_values(target, ids)
    # Tags of the values that already are indicators, in one query (reading does not create rows).
    known = dict(Indicator.objects.filter(value_hash__in={value_hash(v) for _, _, v, _ in found})
                 .values_list("value", "tags"))
    for artifact, key, value, types in found:
        if (artifact.pk, key, str(value)) in seen:
            continue
        seen.add((artifact.pk, key, str(value)))
        if types_in and not types_in & set(types):
            continue
        if types_out & set(types):
            continue
        tags = list(known.get(str(value)) or [])
        if tags_in and not tags_in & set(tags):
            continue
        if tags_out & set(tags):
            continue
        # "tags" is not in the contract, but corpus playbooks read all_indicators.*.tags.
        out["all_indicators"].append({"cef_key": key, "cef_value": value, "data_types": types,
                                      "artifact_id": artifact.pk, "tags": tags})
        for kind in types:
            slot = "_".join(str(kind).split()).replace("-", "_")
            out.setdefault(slot, []).append({"cef_key": key, "cef_value": value, "artifact_id": artifact.pk})
    return out
