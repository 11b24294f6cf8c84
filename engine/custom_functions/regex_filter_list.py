def regex_filter_list(action=None, input_list=None, regex=None, **kwargs):
    """
    Keep (or drop) the items of a list that a regular expression matches anywhere in.

    Args:
        action: "keep" (default) keeps matching items, "drop" removes them.
        input_list: The items to filter; non-strings are matched by their text.
        regex: The Python regular expression (re.search semantics).

    Returns a JSON-serializable object that implements the configured data paths:
        item: One item that survived the filter.
    """
    ############################ Custom Code Goes Below This Line #################################
    import re

    from engine.custom_functions._support import as_list

    mode = str(action or "keep").strip().lower()
    if mode not in ("keep", "drop"):
        raise ValueError(f"action must be 'keep' or 'drop', not {action!r}")
    if not regex:
        raise ValueError("regex is required")
    pattern = re.compile(str(regex))
    items = input_list if isinstance(input_list, list) else as_list(input_list)
    out = []
    for item in items:
        if item is None:
            continue
        matched = pattern.search(str(item)) is not None
        if matched == (mode == "keep"):
            out.append({"item": item})
    return out
