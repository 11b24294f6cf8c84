def find_related_containers(field_list=None, value_list=None, minimum_match_count=None, container=None, earliest_time=None, filter_status=None, filter_label=None, filter_severity=None, filter_in_case=None, **kwargs):
    """
    Find other containers that share indicator values (value_list) or field/value pairs
    (field_list) with a container. Only containers created at most earliest_time before the
    given container are searched; the given container itself is never a result.

    Args:
        field_list: CEF field names (comma list); a container matches a field when one of its artifacts has the same value in that field. Not with value_list.
        value_list: Values to look for in any CEF field; "*" means every value of the given container. Not with field_list.
        minimum_match_count: How many distinct values (or fields) must match; a number or "all"; default 1.
        container: The container to compare with: an id or dict; the run's container when empty.
        earliest_time: How far back from the container's creation to look, such as -30d (default), -24h, -90m, -1y; "mo" is months.
        filter_status: Only containers with one of these statuses (new, open, closed or their ids 1, 2, 3).
        filter_label: Only containers with one of these labels.
        filter_severity: Only containers with one of these severities.
        filter_in_case: "True" only containers in a case, "False" only containers not in a case.

    Returns a JSON-serializable object that implements the configured data paths:
        *.container_id: The id of a related container.
        *.container_indicator_match_count: How many of the values it shares (value_list searches).
        *.container_status: Its status.
        *.container_type: Its type, "default" or "case".
        *.container_name: Its name.
        *.in_case: True when it is already part of a case.
        *.indicator_ids: The indicator ids of the values it shares (value_list searches).
        *.container_url: A link to it.
        *.container_field_list: The fields it shares (field_list searches).
    """
    ############################ Custom Code Goes Below This Line #################################
    import re
    from datetime import timedelta

    from engine.custom_functions._support import as_bool, as_list, base_url, cef_items, resolve_container
    from engine.models import Artifact, Container, Indicator

    source = resolve_container(container)
    fields = [str(f).strip() for f in as_list(field_list) if str(f).strip()]
    values = [v for v in as_list(value_list, split=False)]
    if fields and values:
        raise ValueError("give field_list or value_list, not both")
    if not fields and not values:
        raise ValueError("give field_list or value_list")
    source_items = [item for cef in Artifact.objects.filter(container=source).values_list("cef", flat=True)
                    for item in cef_items(cef)]
    if values and any(str(v).strip() == "*" for v in values):
        values = [v for _, v in source_items]
    wanted_values = list(dict.fromkeys(str(v) for v in values))
    wanted_pairs: dict = {}
    for key, value in source_items:
        if key in fields:
            wanted_pairs.setdefault(key, set()).add(str(value))

    match = re.fullmatch(r"\s*-?\s*(\d+)\s*(y|mo|w|d|h|m|min)?\s*", str(earliest_time or "-30d"))
    if not match:
        raise ValueError(f"earliest_time must look like -30d, -24h or -90m, not {earliest_time!r}")
    unit_days = {"y": 365, "mo": 30, "w": 7, "d": 1, "h": 1 / 24, "m": 1 / 1440, "min": 1 / 1440}
    earliest = source.create_time - timedelta(days=int(match.group(1)) * unit_days[match.group(2) or "d"])

    candidates = Container.objects.filter(create_time__gte=earliest).exclude(pk=source.pk)
    status_names = {"1": "new", "2": "open", "3": "closed"}
    statuses = [status_names.get(str(s).strip(), str(s).strip().lower()) for s in as_list(filter_status)]
    if statuses:
        candidates = candidates.filter(status__in=statuses)
    if as_list(filter_label):
        candidates = candidates.filter(label__in=[str(x).strip() for x in as_list(filter_label)])
    if as_list(filter_severity):
        candidates = candidates.filter(severity__in=[str(x).strip().lower() for x in as_list(filter_severity)])
    if filter_in_case not in (None, ""):
        candidates = candidates.filter(in_case=as_bool(filter_in_case, False))

    wanted_set = set(wanted_values)
    hits: dict = {}
    rows = Artifact.objects.filter(container__in=candidates).values_list("container_id", "cef")
    for cid, cef in rows.iterator(chunk_size=2000):
        for key, value in cef_items(cef):
            text = str(value)
            if wanted_set and text in wanted_set:
                hits.setdefault(cid, set()).add(text)
            elif key in wanted_pairs and text in wanted_pairs[key]:
                hits.setdefault(cid, set()).add(key)
    total = len(wanted_values) if values else len(wanted_pairs)
    text_min = str(minimum_match_count or "1").strip().lower()
    needed = total if text_min == "all" else int(text_min)
    needed = max(needed, 1)
    related = {c.pk: c for c in Container.objects.filter(pk__in=[cid for cid, h in hits.items() if len(h) >= needed])}
    out = []
    for cid in sorted(related):
        c = related[cid]
        matched = sorted(hits[cid])
        out.append({
            "container_id": c.pk,
            "container_indicator_match_count": len(matched) if values else None,
            "container_status": c.status, "container_type": c.container_type, "container_name": c.name,
            "in_case": c.in_case,
            "indicator_ids": [Indicator.for_value(v).pk for v in matched] if values else None,
            "container_url": f"{base_url()}/containers/{c.pk}",
            "container_field_list": matched if fields else None,
        })
    return out
