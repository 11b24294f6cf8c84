def regex_split(input_string=None, regex=None, strip_whitespace=None, **kwargs):
    """
    Split a string wherever a regular expression matches.

    Args:
        input_string: The text to split.
        regex: The Python regular expression to split on (required).
        strip_whitespace: "True" (default) trims each piece and drops pieces left empty.

    Returns a JSON-serializable object that implements the configured data paths:
        *.item: One piece of the split string.
    """
    ############################ Custom Code Goes Below This Line #################################
    import re

    from engine.custom_functions._support import as_bool

    if not regex:
        raise ValueError("regex is required")
    if input_string is None:
        return []
    # A capturing group in the regex also returns the separators, as re.split does; an
    # unmatched optional group gives None, which is not a piece.
    pieces = [p for p in re.split(str(regex), str(input_string)) if p is not None]
    if as_bool(strip_whitespace, True):
        pieces = [p.strip() for p in pieces if p.strip()]
    return [{"item": p} for p in pieces]
