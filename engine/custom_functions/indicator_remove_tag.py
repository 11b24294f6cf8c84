def indicator_remove_tag(indicator=None, tags=None, **kwargs):
    """
    Remove tags from an indicator; tags it does not carry are ignored. An empty indicator changes nothing.

    Args:
        indicator: The indicator's value or its numeric id.
        tags: Comma-separated tags to remove.

    Returns a JSON-serializable object that implements the configured data paths:
        indicator_id: The id of the indicator changed.
        indicator_tags: The tags left on the indicator.
    """
    ############################ Custom Code Goes Below This Line #################################
    from engine.custom_functions._indicators import find_indicator, set_tags
    from engine.custom_functions._support import as_tags, emit, log

    if indicator in (None, "", []):
        log("indicator_remove_tag: no indicator given; nothing changed")
        return {"indicator_id": None, "indicator_tags": []}
    gone = set(as_tags(tags))
    if not gone:
        raise ValueError("tags is required")
    found = find_indicator(indicator)
    left = [t for t in found.tags if t not in gone]
    if left != found.tags:
        set_tags(found, left)
        emit("indicator.tagged", {"indicator": found.pk, "tags": left})
    return {"indicator_id": found.pk, "indicator_tags": left}
