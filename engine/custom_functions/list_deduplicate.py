def list_deduplicate(input_list=None, **kwargs):
    """
    Remove repeated items from a list, keeping the first occurrence and the order.

    Args:
        input_list: The items; dicts and lists are compared by value, so they deduplicate too.

    Returns a JSON-serializable object that implements the configured data paths:
        *.item: One distinct item.
    """
    ############################ Custom Code Goes Below This Line #################################
    import json

    if input_list is None:
        return []
    items = input_list if isinstance(input_list, list) else [input_list]
    seen = set()
    out = []
    for item in items:
        # Unhashable items (dicts from action results) compare by their canonical JSON; the
        # type is part of the key so 1 and "1" stay distinct.
        key = (type(item).__name__, json.dumps(item, sort_keys=True, default=str))
        if key not in seen:
            seen.add(key)
            out.append({"item": item})
    return out
