"""The Utilities app's helpers work offline (DNS through the system resolver)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from engine.apps.base import ActionResult
from engine.apps.utilities.connector import UtilitiesConnector, parse_timestamp


def run(identifier: str, config: dict[str, Any] | None = None, **param: Any) -> ActionResult:
    return UtilitiesConnector(config or {}).handle_action(identifier, param)


def test_it_resolves_localhost_to_a_loopback_address() -> None:
    result = run("lookup_domain", domain="localhost")
    assert result.is_success(), result.get_message()
    addresses = {item["ip"] for item in result.get_data()}
    assert addresses & {"127.0.0.1", "::1"}
    assert result.get_summary()["total_ips"] == len(addresses)


def test_it_fails_to_resolve_a_reserved_invalid_name() -> None:
    result = run("lookup_domain", domain="no-such-host.invalid")
    assert result.is_fail() and result.get_message().startswith("Could not resolve")


def test_it_reverse_resolves_the_loopback_address() -> None:
    result = run("reverse_lookup", ip="127.0.0.1")
    assert result.is_success(), result.get_message()
    assert result.get_data()[0]["hostname"]


def test_it_extracts_every_regex_match_with_groups() -> None:
    result = run("extract_regex", text="Blocked 203.0.113.7 and 198.51.100.2",
                 pattern=r"(?P<first>\d+)\.\d+\.\d+\.\d+")
    assert [m["match"] for m in result.get_data()] == ["203.0.113.7", "198.51.100.2"]
    assert result.get_data()[0]["named_groups"] == {"first": "203"}
    assert result.get_summary() == {"total_matches": 2}


def test_it_matches_case_insensitively_when_asked() -> None:
    assert run("extract_regex", text="ERROR", pattern="error").get_summary()["total_matches"] == 0
    assert run("extract_regex", text="ERROR", pattern="error",
               ignore_case=True).get_summary()["total_matches"] == 1


def test_it_reports_a_broken_regex() -> None:
    result = run("extract_regex", text="x", pattern="(")
    assert result.is_fail() and result.get_message().startswith("Invalid regular expression")


@pytest.mark.parametrize("algorithm", ["md5", "sha1", "sha256"])
def test_it_hashes_text_with_the_chosen_algorithm(algorithm: str) -> None:
    result = run("hash_text", text="test", algorithm=algorithm)
    assert result.get_data()[0]["hash"] == hashlib.new(algorithm, b"test").hexdigest()


def test_it_refuses_an_unknown_hash_algorithm() -> None:
    assert run("hash_text", text="x", algorithm="crc32").is_fail()


def test_it_hashes_a_file_inside_the_assets_file_root(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "sample.txt").write_bytes(b"test")
    result = run("hash_file", {"file_root": str(tmp_path)}, file_path="sub/sample.txt")
    assert result.is_success(), result.get_message()
    item = result.get_data()[0]
    assert item["md5"] == "098f6bcd4621d373cade4e832627b4f6"
    assert item["sha256"] == hashlib.sha256(b"test").hexdigest()
    assert item["size"] == 4 and item["file_name"] == "sample.txt"


def test_it_will_not_hash_a_file_outside_the_file_root(tmp_path: Path) -> None:
    (tmp_path / "root").mkdir()
    (tmp_path / "secret.txt").write_text("x")
    result = run("hash_file", {"file_root": str(tmp_path / "root")}, file_path="../secret.txt")
    assert result.is_fail() and "inside the asset's file_root" in result.get_message()


def test_hash_file_is_off_until_the_asset_sets_a_file_root() -> None:
    result = run("hash_file", file_path="/etc/passwd")
    assert result.is_fail() and "set file_root" in result.get_message()


@pytest.mark.parametrize(("text", "expected"), [
    ("2024-05-01T14:30:00+02:00", "2024-05-01T12:30:00+00:00"),
    ("2024-05-01T12:30:00Z", "2024-05-01T12:30:00+00:00"),
    ("2024-05-01 12:30:00", "2024-05-01T12:30:00+00:00"),
    ("1714566600", "2024-05-01T12:30:00+00:00"),
    ("1714566600000", "2024-05-01T12:30:00+00:00"),
    ("Wed, 01 May 2024 12:30:00 GMT", "2024-05-01T12:30:00+00:00"),
    ("01/May/2024:14:30:00 +0200", "2024-05-01T12:30:00+00:00"),
    ("May 01 2024 12:30:00", "2024-05-01T12:30:00+00:00"),
])
def test_it_parses_common_timestamp_forms_to_utc(text: str, expected: str) -> None:
    assert parse_timestamp(text).isoformat() == expected


def test_it_parses_a_timestamp_with_an_explicit_format_and_epoch_numbers() -> None:
    result = run("parse_timestamp", timestamp="01.05.2024 12:30", format="%d.%m.%Y %H:%M")
    assert result.get_data()[0]["iso"] == "2024-05-01T12:30:00Z"
    numeric = run("parse_timestamp", timestamp=1714566600)
    assert numeric.get_summary() == {"iso": "2024-05-01T12:30:00Z"}
    assert numeric.get_data()[0]["epoch_ms"] == 1714566600000


def test_it_fails_on_an_unrecognised_timestamp() -> None:
    result = run("parse_timestamp", timestamp="next tuesday")
    assert result.is_fail() and "unrecognised timestamp" in result.get_message()


def test_it_round_trips_base64_including_url_safe_unpadded_input() -> None:
    encoded = run("encode_base64", text="héllo?>").get_data()[0]["encoded"]
    assert run("decode_base64", text=encoded).get_data()[0]["decoded"] == "héllo?>"
    url_safe = encoded.replace("+", "-").replace("/", "_").rstrip("=")
    assert run("decode_base64", text=url_safe).get_data()[0]["decoded"] == "héllo?>"


def test_it_refuses_base64_that_is_not_text_or_not_base64() -> None:
    assert run("decode_base64", text="!!!").get_message().startswith("Not valid base64")
    assert run("decode_base64", text="//79").get_message() == "Decoded bytes are not UTF-8 text"


def test_it_splits_a_url_into_its_parts() -> None:
    result = run("parse_url", url="https://alice@example.com:8443/a%20b?q=1&q=2&r=#top")
    item = result.get_data()[0]
    assert (item["scheme"], item["hostname"], item["port"], item["path"]) == (
        "https", "example.com", 8443, "/a b")
    assert item["query_params"] == {"q": ["1", "2"], "r": ""}
    assert (item["fragment"], item["username"]) == ("top", "alice")


def test_it_refuses_text_that_is_not_a_url() -> None:
    assert run("parse_url", url="just words").is_fail()
    assert run("parse_url", url="http://x:99999/").get_message().startswith("Cannot parse URL")
