def string_to_lowercase(input_string=None, **kwargs):
    """
    Lower-case a string (Unicode-aware casefold is not used, so "ß" stays "ß").

    Args:
        input_string: The text to lower-case; None gives None.

    Returns a JSON-serializable object that implements the configured data paths:
        lowercase_string: The lower-cased text.
    """
    ############################ Custom Code Goes Below This Line #################################
    if input_string is None:
        return {"lowercase_string": None}
    return {"lowercase_string": str(input_string).lower()}
