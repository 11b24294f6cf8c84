def regex_extract_ipv4(input_string=None, **kwargs):
    """
    Find every IPv4 address in a string (octets 0-255, no leading-zero tricks).

    Args:
        input_string: Free text that may hold any number of IPv4 addresses.

    Returns a JSON-serializable object that implements the configured data paths:
        extracted_ipv4: One address found, or None when the text holds none.
        input_value: The text the address came from.
    """
    ############################ Custom Code Goes Below This Line #################################
    import ipaddress
    import re

    text = "" if input_string is None else str(input_string)
    found = []
    # Digits glued to other digits or dots are not an address (1.2.3.4.5, 01.2.3.4 is refused by ipaddress).
    for candidate in re.findall(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])", text):
        try:
            ipaddress.IPv4Address(candidate)
        except ValueError:
            continue
        if candidate not in found:
            found.append(candidate)
    if not found:
        return [{"extracted_ipv4": None, "input_value": input_string}]
    return [{"extracted_ipv4": ip, "input_value": input_string} for ip in found]
