def list_drop_none(input_list=None, **kwargs):
    """
    Drop every item Python counts as false (None, "", [], {}, 0, False) from a list.

    Args:
        input_list: The items to filter.

    Returns a JSON-serializable object that implements the configured data paths:
        *.item: One item that was kept.
    """
    ############################ Custom Code Goes Below This Line #################################
    if input_list is None:
        return []
    items = input_list if isinstance(input_list, list) else [input_list]
    return [{"item": item} for item in items if item]
