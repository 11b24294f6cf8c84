def list_zip(zip_type=None, pad_values=None, input_1=None, input_2=None, input_3=None, input_4=None, input_5=None, input_6=None, input_7=None, input_8=None, **kwargs):
    """
    Zip up to eight lists into rows, so parallel columns from different blocks line up.

    Args:
        zip_type: "shortest" (default) truncates to the shortest list; "longest" pads with None.
        pad_values: "True" (default) repeats a list of exactly one value on every row.
        input_1: One column to zip.
        input_2: One column to zip.
        input_3: One column to zip.
        input_4: One column to zip.
        input_5: One column to zip.
        input_6: One column to zip.
        input_7: One column to zip.
        input_8: One column to zip.

    Returns a JSON-serializable object that implements the configured data paths:
        input_1: The value of column input_1 on this row (only for the columns given).
        input_2: The value of column input_2 on this row (only for the columns given).
        input_3: The value of column input_3 on this row (only for the columns given).
        input_4: The value of column input_4 on this row (only for the columns given).
        input_5: The value of column input_5 on this row (only for the columns given).
        input_6: The value of column input_6 on this row (only for the columns given).
        input_7: The value of column input_7 on this row (only for the columns given).
        input_8: The value of column input_8 on this row (only for the columns given).
    """
    ############################ Custom Code Goes Below This Line #################################
    from engine.custom_functions._support import as_bool

    mode = str(zip_type or "shortest").strip().lower()
    if mode not in ("shortest", "longest"):
        raise ValueError(f"zip_type must be 'shortest' or 'longest', not {zip_type!r}")
    given = {}
    for name, value in (("input_1", input_1), ("input_2", input_2), ("input_3", input_3), ("input_4", input_4), ("input_5", input_5), ("input_6", input_6), ("input_7", input_7), ("input_8", input_8), ):
        if value is not None:
            given[name] = list(value) if isinstance(value, (list, tuple)) else [value]
    if not given:
        return []
    pad = as_bool(pad_values, True)
    # Single values are broadcast only against longer columns; they do not set the length.
    lengths = [len(v) for v in given.values() if not (pad and len(v) == 1)] or [1]
    size = max(lengths) if mode == "longest" else min(lengths)
    rows = []
    for i in range(size):
        row = {}
        for name, column in given.items():
            if pad and len(column) == 1:
                row[name] = column[0]
            else:
                row[name] = column[i] if i < len(column) else None
        rows.append(row)
    return rows
