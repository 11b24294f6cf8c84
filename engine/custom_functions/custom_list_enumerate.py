def custom_list_enumerate(custom_list=None, **kwargs):
    """
    Read a custom list and return one output row per list row, with a key per column.

    Args:
        custom_list: The custom list's name or numeric id.

    Returns a JSON-serializable object that implements the configured data paths:
        *.row_num: The row's position, starting at 0.
        *.column_0: The value in the first column.
        *.column_1: The value in the second column (and so on: one key per column of the list, None in padded cells).
        *.column_2: The value in the third column.
        *.column_3: The value in the fourth column.
        *.column_4: The value in the fifth column.
        *.column_5: The value in the sixth column.
        *.column_6: The value in the seventh column.
        *.column_7: The value in the eighth column.
        *.column_8: The value in the ninth column.
    """
    ############################ Custom Code Goes Below This Line #################################
    from engine.custom_functions._support import as_id, as_pk
    from engine.models import CustomList

    if custom_list in (None, ""):
        raise ValueError("custom_list is required")
    found = CustomList.objects.filter(name=str(custom_list)).first()
    if found is None and as_id(custom_list) is not None:
        found = CustomList.objects.filter(pk=as_pk(custom_list)).first()
    if found is None:
        raise ValueError(f"no custom list {custom_list!r}")
    rows = [row if isinstance(row, list) else [row] for row in found.content or []]
    # SOAR lists are rectangular; a ragged stored list reads with short rows padded with None,
    # so every row has the same keys.
    width = max((len(r) for r in rows), default=0)
    out = []
    for row_num, row in enumerate(rows):
        cells = row + [None] * (width - len(row))
        entry = {"row_num": row_num}
        entry.update({f"column_{i}": cell for i, cell in enumerate(cells)})
        out.append(entry)
    return out
