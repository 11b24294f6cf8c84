def json_safe_format(json_input=None, **kwargs):
    """
    Re-encode a JSON text that holds raw control characters (newlines, tabs) inside strings.

    Args:
        json_input: JSON text, possibly with unescaped control characters in its strings.

    Returns a JSON-serializable object that implements the configured data paths:
        json_output: The same JSON, re-serialised with every control character escaped.
    """
    ############################ Custom Code Goes Below This Line #################################
    import json

    if json_input is None:
        return {"json_output": None}
    if not isinstance(json_input, str):
        return {"json_output": json.dumps(json_input)}
    return {"json_output": json.dumps(json.loads(json_input, strict=False))}
