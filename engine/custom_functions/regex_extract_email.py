def regex_extract_email(input_string=None, **kwargs):
    """
    Find every email address in a string, such as a To or Cc header with display names.

    Args:
        input_string: Free text that may hold email addresses.

    Returns a JSON-serializable object that implements the configured data paths:
        *.email_address: One address found (deduplicated, case kept).
        *.domain: The part of that address after the "@".
    """
    ############################ Custom Code Goes Below This Line #################################
    import re

    text = "" if input_string is None else str(input_string)
    out = []
    seen = set()
    for address in re.findall(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+", text):
        address = address.strip(".")
        if address.lower() in seen:
            continue
        seen.add(address.lower())
        out.append({"email_address": address, "domain": address.rsplit("@", 1)[1]})
    return out
