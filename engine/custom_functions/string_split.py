def string_split(input_string=None, delimiter=None, strip_whitespace=None, **kwargs):
    """
    Split a string on a delimiter and return one output row per piece.

    Args:
        input_string: The text to split.
        delimiter: The separator; a comma when empty. The word "space" means a single space.
        strip_whitespace: "True" (default) trims each piece and drops pieces left empty.

    Returns a JSON-serializable object that implements the configured data paths:
        *.item: One piece of the split string.
    """
    ############################ Custom Code Goes Below This Line #################################
    from engine.custom_functions._support import as_bool

    if input_string is None:
        return []
    sep = "," if delimiter in (None, "") else (" " if str(delimiter).lower() == "space" else str(delimiter))
    pieces = str(input_string).split(sep)
    if as_bool(strip_whitespace, True):
        pieces = [p.strip() for p in pieces if p.strip()]
    return [{"item": p} for p in pieces]
