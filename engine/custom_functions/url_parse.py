def url_parse(input_url=None, **kwargs):
    """
    Split a URL into its parts with urllib.parse.urlparse.

    Args:
        input_url: The URL to take apart.

    Returns a JSON-serializable object that implements the configured data paths:
        scheme: The scheme, such as https.
        netloc: The network location (user info, host and port).
        path: The path after the host.
        params: The parameters after a semicolon in the last path segment.
        query: The query string after "?", unsplit.
        fragment: The part after "#".
        output_url: The URL as given.
        hostname: The host name, lower-cased.
        port: The port number, or None when the URL has none.
    """
    ############################ Custom Code Goes Below This Line #################################
    from urllib.parse import urlparse

    url = "" if input_url is None else str(input_url).strip()
    parsed = urlparse(url)
    try:
        port = parsed.port
    except ValueError:  # a port out of range is reported as no port, not a failed block
        port = None
    return {"scheme": parsed.scheme, "netloc": parsed.netloc, "path": parsed.path, "params": parsed.params,
            "query": parsed.query, "fragment": parsed.fragment, "output_url": input_url,
            "hostname": parsed.hostname, "port": port}
