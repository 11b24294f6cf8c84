def regex_extract_url(input_string=None, **kwargs):
    """
    Find every http(s)/ftp URL in a string; trailing punctuation of the sentence is not part of it.

    Args:
        input_string: Free text that may hold URLs.

    Returns a JSON-serializable object that implements the configured data paths:
        extracted_url: One URL found, or None when the text holds none.
        input_string: The text the URL came from.
    """
    ############################ Custom Code Goes Below This Line #################################
    import re

    text = "" if input_string is None else str(input_string)
    found = []
    for match in re.findall(r"(?:https?|ftp)://[^\s<>\"'`]+", text, flags=re.IGNORECASE):
        url = match.rstrip(".,;:!?)]}")
        # Keep a closing parenthesis that belongs to the URL (wiki-style links).
        if match[len(url):].startswith(")") and url.count("(") > url.count(")"):
            url += ")"
        if url not in found:
            found.append(url)
    if not found:
        return [{"extracted_url": None, "input_string": input_string}]
    return [{"extracted_url": u, "input_string": input_string} for u in found]
