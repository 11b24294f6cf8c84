def list_demux(input_list=None, **kwargs):
    """
    Turn one list into one custom function result per item, each under "output".

    Args:
        input_list: A list (or a JSON list in a string); a scalar counts as a list of one. Nested lists stay whole.

    Returns a JSON-serializable object that implements the configured data paths:
        output: One item of the list.
    """
    ############################ Custom Code Goes Below This Line #################################
    import json

    if input_list is None:
        return []
    items = input_list
    if isinstance(items, str) and items.strip().startswith("["):
        try:
            items = json.loads(items)
        except ValueError:
            items = [input_list]
    if not isinstance(items, (list, tuple)):
        items = [items]
    return [{"output": item} for item in items]
