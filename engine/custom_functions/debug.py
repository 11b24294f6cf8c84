def debug(input_1=None, input_2=None, input_3=None, input_4=None, input_5=None, input_6=None, input_7=None, input_8=None, input_9=None, input_10=None, **kwargs):
    """
    Write the type and value of each given input to the run's debug log.

    Args:
        input_1: Any value to log.
        input_2: Any value to log.
        input_3: Any value to log.
        input_4: Any value to log.
        input_5: Any value to log.
        input_6: Any value to log.
        input_7: Any value to log.
        input_8: Any value to log.
        input_9: Any value to log.
        input_10: Any value to log.

    Returns a JSON-serializable object that implements the configured data paths:
        *.input_name: The input's name, such as input_7 (one row per input given).
        *.value: The input's value as text.
        *.types: The input's Python type as text, such as "<class 'list'>".
    """
    ############################ Custom Code Goes Below This Line #################################
    from engine.custom_functions._support import log

    values = (input_1, input_2, input_3, input_4, input_5, input_6, input_7, input_8, input_9, input_10, )
    out = []
    for i, value in enumerate(values, 1):
        if value is None:
            continue
        row = {"input_name": f"input_{i}", "value": str(value), "types": str(type(value))}
        log(f"{row['input_name']} ({row['types']}): {row['value']}")
        out.append(row)
    return out
