def string_to_uppercase(input_string=None, **kwargs):
    """
    Upper-case a string.

    Args:
        input_string: The text to upper-case; None gives None.

    Returns a JSON-serializable object that implements the configured data paths:
        uppercase_string: The upper-cased text.
    """
    ############################ Custom Code Goes Below This Line #################################
    if input_string is None:
        return {"uppercase_string": None}
    return {"uppercase_string": str(input_string).upper()}
