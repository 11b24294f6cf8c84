def indicator_tag(indicator=None, tags=None, overwrite=None, **kwargs):
    """
    Add tags to an indicator (a distinct CEF value), or replace its tags. An empty indicator
    (an upstream filter that matched nothing) tags nothing.

    Args:
        indicator: The indicator's value (such as an IP address) or its numeric id.
        tags: Comma-separated tags; whitespace inside a tag is removed.
        overwrite: "True" replaces the indicator's tags; default False appends to them.

    Returns a JSON-serializable object that implements the configured data paths:
        indicator_id: The id of the indicator tagged.
        indicator_tags: The indicator's tags after the change.
    """
    ############################ Custom Code Goes Below This Line #################################
    from engine.custom_functions._indicators import container_values, find_indicator, set_tags
    from engine.custom_functions._support import as_bool, as_tags, current_context, emit, log, resolve_container
    from engine.models import Indicator

    if indicator in (None, "", []):
        log("indicator_tag: no indicator given; nothing tagged")
        return {"indicator_id": None, "indicator_tags": []}
    new = as_tags(tags)
    if not new and not as_bool(overwrite, False):
        raise ValueError("tags is required")
    found = find_indicator(indicator)
    if not found.data_types and current_context() is not None:
        # Learn the value's CEF keys and types from the run's container, so lookups by tag
        # can report them (indicator_cef_type).
        for _, key, value, types in container_values(resolve_container(None)):
            if str(value) == found.value:
                found = Indicator.for_value(value, cef_key=key, data_types=types)
    merged = new if as_bool(overwrite, False) else list(dict.fromkeys([*found.tags, *new]))
    set_tags(found, merged)
    emit("indicator.tagged", {"indicator": found.pk, "tags": merged})
    return {"indicator_id": found.pk, "indicator_tags": merged}
