def indicator_get_by_tag(tags_or=None, tags_and=None, indicator_timerange=None, container=None, tags_exclude=None, **kwargs):
    """
    Find indicators by their tags, changed within a time range, optionally only those present in a container.

    Args:
        tags_or: Comma-separated tags; an indicator with any of them matches.
        tags_and: Comma-separated tags; an indicator must carry all of them.
        indicator_timerange: today, yesterday, this_week, this_month, last_7_days, last_30_days (default), last_week or last_month.
        container: Only indicators whose value occurs in this container's artifacts.
        tags_exclude: Comma-separated tags; an indicator with any of them is left out.

    Returns a JSON-serializable object that implements the configured data paths:
        *.indicator_id: The id of a matching indicator.
        *.indicator_value: Its value.
        *.indicator_tags: Its tags.
        *.indicator_cef_type: The contains-types seen for its value, such as ["ip"].
    """
    ############################ Custom Code Goes Below This Line #################################
    from engine.custom_functions._indicators import container_values, time_range_start
    from engine.custom_functions._support import as_tags, resolve_container
    from engine.models import Indicator

    any_of, all_of, none_of = set(as_tags(tags_or)), set(as_tags(tags_and)), set(as_tags(tags_exclude))
    if not any_of and not all_of:
        raise ValueError("give tags_or or tags_and")
    start, end = time_range_start(indicator_timerange)
    rows = Indicator.objects.exclude(tags=[]).filter(update_time__gte=start).order_by("id")
    if end is not None:
        rows = rows.filter(update_time__lt=end)
    present = None
    if container not in (None, ""):
        present = {str(v) for _, _, v, _ in container_values(resolve_container(container))}
    out = []
    for row in rows:
        tags = set(row.tags)
        if any_of and not any_of & tags:
            continue
        if all_of and not all_of <= tags:
            continue
        if none_of & tags:
            continue
        if present is not None and row.value not in present:
            continue
        out.append({"indicator_id": row.pk, "indicator_value": row.value, "indicator_tags": list(row.tags),
                    "indicator_cef_type": list(row.data_types)})
    return out
