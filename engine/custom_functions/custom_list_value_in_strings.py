def custom_list_value_in_strings(custom_list=None, comparison_strings=None, **kwargs):
    """
    Check which values of a custom list occur as substrings of any of the given strings
    (for example a list entry "sample.com" in "findme.sample.com").

    Args:
        custom_list: The custom list's name. Every non-empty cell is one value.
        comparison_strings: The strings to search in.

    Returns a JSON-serializable object that implements the configured data paths:
        matches.*.match: A list value found in at least one comparison string.
        match_count: How many list values matched.
        misses.*.miss: A list value found in none of the comparison strings.
        miss_count: How many list values did not match.
    """
    ############################ Custom Code Goes Below This Line #################################
    from engine.custom_functions._support import as_list
    from engine.models import CustomList

    found = CustomList.objects.filter(name=str(custom_list or "")).first()
    if found is None:
        raise ValueError(f"no custom list {custom_list!r}")
    haystacks = [str(s) for s in as_list(comparison_strings, split=False)]
    values = []
    for row in found.content or []:
        for cell in row if isinstance(row, list) else [row]:
            if cell not in (None, "") and str(cell) not in values:
                values.append(str(cell))
    matches = [v for v in values if any(v in s for s in haystacks)]
    misses = [v for v in values if v not in matches]
    return {"matches": [{"match": v} for v in matches], "match_count": len(matches),
            "misses": [{"miss": v} for v in misses], "miss_count": len(misses)}
