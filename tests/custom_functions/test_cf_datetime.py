"""datetime_modify: input and output formats, units, signs and fractions."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from engine.custom_functions import source
from engine.execution import loader


def modify(**params: Any) -> dict[str, Any]:
    return loader.function(loader.load_module(source("datetime_modify"), "dm"), "datetime_modify")(**params)


def test_the_default_format_is_soar_iso_with_microseconds_and_the_default_unit_is_minutes() -> None:
    out = modify(input_datetime="2020-06-27T14:53:08.219016Z", amount_to_modify="90")
    assert out == {"datetime_string": "2020-06-27T16:23:08.219016Z", "seconds_modified": 5400,
                   "epoch_time": int(datetime(2020, 6, 27, 16, 23, 8, tzinfo=UTC).timestamp())}


def test_negative_fractional_days_subtract() -> None:
    out = modify(input_datetime="2020-06-27T14:53:08.000000Z", modification_unit="days", amount_to_modify="-1.5")
    assert out["datetime_string"] == "2020-06-26T02:53:08.000000Z" and out["seconds_modified"] == -129600


def test_epoch_in_and_custom_format_out() -> None:
    out = modify(input_datetime="0", input_format_string="epoch", modification_unit="hours", amount_to_modify=1,
                 output_format_string="%Y-%m-%d %H:%M")
    assert out["datetime_string"] == "1970-01-01 01:00" and out["epoch_time"] == 3600


def test_custom_format_in_and_epoch_out() -> None:
    out = modify(input_datetime="27/06/2020 14:53", input_format_string="%d/%m/%Y %H:%M",
                 modification_unit="seconds", amount_to_modify="7", output_format_string="epoch")
    assert out["datetime_string"] == str(int(datetime(2020, 6, 27, 14, 53, 7, tzinfo=UTC).timestamp()))


def test_timestamps_without_microseconds_or_with_offsets_are_read_with_the_default_format() -> None:
    assert modify(input_datetime="2024-01-01T00:00:00Z")["datetime_string"] == "2024-01-01T00:00:00.000000Z"
    assert modify(input_datetime="2024-01-01T02:00:00+02:00")["epoch_time"] == 1704067200


def test_iso_text_is_accepted_when_it_does_not_match_a_hard_coded_soar_format() -> None:
    # Corpus playbooks pass container:create_time with SOAR's database format.
    out = modify(input_datetime="2026-11-24T09:41:34.168955Z", input_format_string="%Y-%m-%d %H:%M:%S.%f+00",
                 output_format_string="%Y-%m-%d %H:%M:%S.%f+00")
    assert out["datetime_string"] == "2026-11-24 09:41:34.168955+00"
    soar_text = modify(input_datetime="2026-11-24 09:41:34.168955+00", input_format_string="%Y-%m-%d %H:%M:%S.%f+00")
    assert soar_text["datetime_string"] == "2026-11-24T09:41:34.168955Z"


def test_text_that_is_neither_the_format_nor_iso_fails() -> None:
    with pytest.raises(ValueError, match="neither"):
        modify(input_datetime="yesterday", input_format_string="%d/%m/%Y")


def test_no_input_means_now_and_a_bad_unit_fails() -> None:
    before = int(datetime.now(UTC).timestamp())
    out = modify(modification_unit="weeks", amount_to_modify="-1")
    assert before - 604800 - 2 <= out["epoch_time"] <= before - 604800 + 2
    with pytest.raises(ValueError, match="modification_unit"):
        modify(input_datetime="2024-01-01T00:00:00.0Z", modification_unit="fortnights", amount_to_modify=1)
