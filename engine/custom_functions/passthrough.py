def passthrough(input_1=None, input_2=None, input_3=None, input_4=None, input_5=None, input_6=None, input_7=None, input_8=None, input_9=None, input_10=None, **kwargs):
    """
    Publish the inputs as outputs so later blocks can address them as custom function results.

    Args:
        input_1: Any value to pass through.
        input_2: Any value to pass through.
        input_3: Any value to pass through.
        input_4: Any value to pass through.
        input_5: Any value to pass through.
        input_6: Any value to pass through.
        input_7: Any value to pass through.
        input_8: Any value to pass through.
        input_9: Any value to pass through.
        input_10: Any value to pass through.

    Returns a JSON-serializable object that implements the configured data paths:
        *.item: One value: a list input gives one row per element, any other input one row.
        *.input_name: The name of the input the value came from, such as input_1.
    """
    ############################ Custom Code Goes Below This Line #################################
    values = (input_1, input_2, input_3, input_4, input_5, input_6, input_7, input_8, input_9, input_10, )
    out = []
    for i, value in enumerate(values, 1):
        if value is None:
            continue
        # A list input is published element by element; corpus playbooks read a two-element
        # input back as data[0].item and data[1].item.
        for item in value if isinstance(value, list) else [value]:
            out.append({"item": item, "input_name": f"input_{i}"})
    return out
