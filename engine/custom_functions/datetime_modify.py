def datetime_modify(input_datetime=None, input_format_string=None, modification_unit=None, amount_to_modify=None, output_format_string=None, **kwargs):
    """
    Shift a timestamp by a number of seconds, minutes, hours, days or weeks.

    Args:
        input_datetime: The timestamp; the current time when empty. Naive times are taken as UTC.
        input_format_string: A strptime format, or "epoch" for Unix seconds; default "%Y-%m-%dT%H:%M:%S.%fZ". Text that does not match the format is still accepted when it is ISO 8601.
        modification_unit: seconds, minutes (default), hours, days or weeks.
        amount_to_modify: How many units to add; negative subtracts; fractions allowed. Default 0.
        output_format_string: A strftime format, or "epoch"; default "%Y-%m-%dT%H:%M:%S.%fZ".

    Returns a JSON-serializable object that implements the configured data paths:
        datetime_string: The shifted time in the output format.
        epoch_time: The shifted time as whole seconds since 1970-01-01 UTC.
        seconds_modified: The shift in seconds (negative when subtracted).
    """
    ############################ Custom Code Goes Below This Line #################################
    from datetime import UTC, datetime, timedelta

    default_format = "%Y-%m-%dT%H:%M:%S.%fZ"
    in_format = input_format_string or default_format
    out_format = output_format_string or default_format
    if input_datetime in (None, ""):
        moment = datetime.now(UTC)
    elif str(in_format).lower() == "epoch":
        moment = datetime.fromtimestamp(float(input_datetime), UTC)
    else:
        text = str(input_datetime).strip()
        try:
            moment = datetime.strptime(text, in_format)
        except ValueError:
            # Playbooks hard-code the format SOAR prints timestamps in ("%Y-%m-%d %H:%M:%S.%f+00")
            # while Playbook Studio gives ISO 8601, and the default format needs microseconds that
            # some timestamps lack: accept any ISO 8601 text before giving up.
            try:
                moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
            except ValueError:
                raise ValueError(f"time data {text!r} matches neither {in_format!r} nor ISO 8601") from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
    unit = str(modification_unit or "minutes").strip().lower()
    scale = {"second": 1, "seconds": 1, "minute": 60, "minutes": 60, "hour": 3600, "hours": 3600,
             "day": 86400, "days": 86400, "week": 604800, "weeks": 604800}.get(unit)
    if scale is None:
        raise ValueError(f"modification_unit must be seconds, minutes, hours, days or weeks, not {modification_unit!r}")
    seconds = float(amount_to_modify or 0) * scale
    shifted = moment + timedelta(seconds=seconds)
    text_out = str(int(shifted.timestamp())) if str(out_format).lower() == "epoch" else shifted.strftime(out_format)
    return {"datetime_string": text_out, "epoch_time": int(shifted.timestamp()),
            "seconds_modified": int(seconds) if seconds == int(seconds) else seconds}
