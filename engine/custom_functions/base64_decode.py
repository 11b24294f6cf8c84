def base64_decode(input_string=None, split_input=None, delimiter=None, **kwargs):
    """
    Decode base64 text, either one chunk or several separated by a delimiter.

    Args:
        input_string: The base64 text (standard or URL-safe alphabet; missing padding is tolerated).
        split_input: "True" splits input_string on the delimiter and decodes each piece; default False.
        delimiter: The separator when split_input is true; a comma by default, "space" for one space.

    Returns a JSON-serializable object that implements the configured data paths:
        *.input_string: One encoded piece as given.
        *.output_string: Its decoded text (UTF-8; undecodable bytes become U+FFFD).
    """
    ############################ Custom Code Goes Below This Line #################################
    import base64
    import binascii

    from engine.custom_functions._support import as_bool

    if input_string is None:
        return []
    text = str(input_string)
    if as_bool(split_input, False):
        sep = "," if delimiter in (None, "") else (" " if str(delimiter).lower() == "space" else str(delimiter))
        pieces = [p.strip() for p in text.split(sep) if p.strip()]
    else:
        pieces = [text.strip()]
    out = []
    for piece in pieces:
        compact = "".join(piece.split())
        padded = compact + "=" * (-len(compact) % 4)
        try:
            raw = base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValueError(f"not base64: {piece[:40]!r}") from exc
        out.append({"input_string": piece, "output_string": raw.decode("utf-8", errors="replace")})
    return out
