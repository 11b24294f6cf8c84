def list_merge(input_1=None, input_2=None, input_3=None, input_4=None, input_5=None, input_6=None, input_7=None, input_8=None, input_9=None, input_10=None, **kwargs):
    """
    Merge up to ten lists (for example several CEF fields holding IPs) into one list.

    Args:
        input_1: A list or a single value to add to the merged list.
        input_2: A list or a single value to add to the merged list.
        input_3: A list or a single value to add to the merged list.
        input_4: A list or a single value to add to the merged list.
        input_5: A list or a single value to add to the merged list.
        input_6: A list or a single value to add to the merged list.
        input_7: A list or a single value to add to the merged list.
        input_8: A list or a single value to add to the merged list.
        input_9: A list or a single value to add to the merged list.
        input_10: A list or a single value to add to the merged list.

    Returns a JSON-serializable object that implements the configured data paths:
        item: One value of the merged list, in input order (duplicates kept; see list_deduplicate).
    """
    ############################ Custom Code Goes Below This Line #################################
    merged = []

    def add(value):
        # A datapath over rows gives nested lists; merging flattens them all the way down.
        if isinstance(value, (list, tuple)):
            for inner in value:
                add(inner)
        elif value is not None:
            merged.append(value)

    for value in (input_1, input_2, input_3, input_4, input_5, input_6, input_7, input_8, input_9, input_10, ):
        add(value)
    return [{"item": item} for item in merged]
