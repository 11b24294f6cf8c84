"""Utilities app: helpers that need no outside service (DNS uses the system resolver)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import socket
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from engine.apps.base import APP_ERROR, APP_SUCCESS, ActionResult, Connector, handler

__all__ = ["UtilitiesConnector", "parse_timestamp"]

HASH_ALGORITHMS = ("md5", "sha1", "sha256", "sha512")
# Regexes run on user text; cap the input so one action cannot chew for minutes.
MAX_TEXT_CHARS = 1_000_000
MAX_MATCHES = 1000

# Tried in order after ISO 8601 and epoch numbers; the ones SOAR connectors meet most.
_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y/%m/%d %H:%M:%S",
    "%d/%m/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %I:%M:%S %p",
    "%d %b %Y %H:%M:%S",
    "%b %d %Y %H:%M:%S",
    "%b %d, %Y %H:%M:%S",
    "%a, %d %b %Y %H:%M:%S %Z",
    "%a, %d %b %Y %H:%M:%S %z",
    "%a %b %d %H:%M:%S %Y",
    "%d/%b/%Y:%H:%M:%S %z",
    "%Y%m%dT%H%M%SZ",
    "%Y-%m-%d",
    "%m/%d/%Y",
)


def parse_timestamp(value: str | int | float, fmt: str | None = None) -> datetime:
    """Parse ISO 8601, epoch seconds/milliseconds or a common format to an aware UTC time.

    Times without a zone are taken as UTC. Raises ``ValueError`` when nothing fits.
    """
    if isinstance(value, bool):
        raise ValueError("a boolean is not a timestamp")
    if isinstance(value, (int, float)):
        return _from_epoch(float(value))
    text = value.strip()
    if not text:
        raise ValueError("empty timestamp")
    if fmt:
        return _utc(datetime.strptime(text, fmt))
    if re.fullmatch(r"-?\d+(\.\d+)?", text):
        return _from_epoch(float(text))
    try:
        return _utc(datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00")))
    except ValueError:
        pass
    for candidate in _FORMATS:
        try:
            return _utc(datetime.strptime(text, candidate))
        except ValueError:
            continue
    raise ValueError(f"unrecognised timestamp {text!r}; pass a strptime format")


def _from_epoch(seconds: float) -> datetime:
    # Anything past year 5138 in seconds is surely milliseconds (JavaScript, Splunk).
    if abs(seconds) >= 1e11:
        seconds /= 1000.0
    return datetime.fromtimestamp(seconds, tz=UTC)


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _text(param: Mapping[str, Any], name: str) -> str:
    value = param.get(name)
    return "" if value is None else str(value)


def _yes(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes", "on")
    return bool(value)


class UtilitiesConnector(Connector):
    """Serves DNS lookups, regex extraction, hashing, timestamps, base64 and URL parsing."""

    @handler("lookup_domain")
    def lookup_domain(self, param: Mapping[str, Any], result: ActionResult) -> bool:
        domain = _text(param, "domain").strip().rstrip(".")
        try:
            infos = socket.getaddrinfo(domain, None, proto=socket.IPPROTO_TCP)
        except socket.gaierror as exc:
            return result.set_status(APP_ERROR, f"Could not resolve {domain!r}: {exc.strerror}")
        except UnicodeError:
            return result.set_status(APP_ERROR, f"{domain!r} is not a valid host name")
        seen: list[str] = []
        for family, _, _, _, sockaddr in infos:
            address = str(sockaddr[0])
            if address in seen:
                continue
            seen.append(address)
            family_name = "ipv6" if family == socket.AF_INET6 else "ipv4"
            result.add_data({"ip": address, "family": family_name, "domain": domain})
        result.update_summary({"total_ips": len(seen)})
        return result.set_status(APP_SUCCESS, f"Resolved {domain} to {len(seen)} address(es)")

    @handler("reverse_lookup")
    def reverse_lookup(self, param: Mapping[str, Any], result: ActionResult) -> bool:
        ip = _text(param, "ip").strip()
        try:
            hostname, aliases, addresses = socket.gethostbyaddr(ip)
        except (socket.herror, socket.gaierror) as exc:
            return result.set_status(APP_ERROR, f"No host name for {ip!r}: {exc.strerror}")
        except (UnicodeError, OSError) as exc:
            return result.set_status(APP_ERROR, f"Reverse lookup of {ip!r} failed: {exc}")
        result.add_data({"ip": ip, "hostname": hostname, "aliases": aliases,
                         "addresses": addresses})
        result.update_summary({"hostname": hostname})
        return result.set_status(APP_SUCCESS, f"Host name: {hostname}")

    @handler("extract_regex")
    def extract_regex(self, param: Mapping[str, Any], result: ActionResult) -> bool:
        text = _text(param, "text")
        if len(text) > MAX_TEXT_CHARS:
            return result.set_status(APP_ERROR,
                                     f"text is longer than {MAX_TEXT_CHARS} characters")
        flags = re.IGNORECASE if _yes(param.get("ignore_case")) else 0
        try:
            pattern = re.compile(_text(param, "pattern"), flags | re.MULTILINE)
        except re.error as exc:
            return result.set_status(APP_ERROR, f"Invalid regular expression: {exc}")
        count = 0
        for match in pattern.finditer(text):
            if count >= MAX_MATCHES:
                break
            result.add_data({"match": match.group(0), "groups": list(match.groups()),
                             "named_groups": match.groupdict(), "start": match.start(),
                             "end": match.end()})
            count += 1
        result.update_summary({"total_matches": count})
        return result.set_status(APP_SUCCESS, f"Found {count} match(es)")

    @handler("hash_text")
    def hash_text(self, param: Mapping[str, Any], result: ActionResult) -> bool:
        algorithm = (_text(param, "algorithm") or "sha256").lower()
        if algorithm not in HASH_ALGORITHMS:
            allowed = ", ".join(HASH_ALGORITHMS)
            return result.set_status(APP_ERROR, f"algorithm must be one of {allowed}")
        digest = hashlib.new(algorithm, _text(param, "text").encode("utf-8")).hexdigest()
        result.add_data({"hash": digest, "algorithm": algorithm})
        result.update_summary({"hash": digest})
        return result.set_status(APP_SUCCESS, f"{algorithm}: {digest}")

    @handler("hash_file")
    def hash_file(self, param: Mapping[str, Any], result: ActionResult) -> bool:
        # Reading server files from a playbook is only allowed under a folder the
        # asset owner chose; without one the action is off.
        root_setting = str(self.config.get("file_root") or "").strip()
        if not root_setting:
            return result.set_status(APP_ERROR, "hash file is disabled: set file_root on the asset")
        root = Path(root_setting).resolve()
        target = (root / _text(param, "file_path")).resolve()
        if not target.is_relative_to(root):
            return result.set_status(APP_ERROR, "file_path must stay inside the asset's file_root")
        hashes = {name: hashlib.new(name) for name in ("md5", "sha1", "sha256")}
        size = 0
        try:
            with target.open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    size += len(chunk)
                    for h in hashes.values():
                        h.update(chunk)
        except OSError as exc:
            return result.set_status(APP_ERROR, f"Cannot read {target.name!r}: {exc.strerror}")
        item: dict[str, Any] = {name: h.hexdigest() for name, h in hashes.items()}
        item.update({"file_name": target.name, "size": size})
        result.add_data(item)
        result.update_summary({"sha256": item["sha256"], "size": size})
        return result.set_status(APP_SUCCESS, f"sha256: {item['sha256']}")

    @handler("parse_timestamp")
    def parse_time(self, param: Mapping[str, Any], result: ActionResult) -> bool:
        raw = param.get("timestamp")
        value = raw if isinstance(raw, (int, float)) else _text(param, "timestamp")
        try:
            moment = parse_timestamp(value, _text(param, "format") or None)
        except (ValueError, OverflowError, OSError) as exc:
            return result.set_status(APP_ERROR, f"Cannot parse timestamp: {exc}")
        iso = _iso(moment)
        epoch = moment.timestamp()
        result.add_data({"iso": iso, "epoch": epoch, "epoch_ms": int(epoch * 1000),
                         "date": moment.date().isoformat()})
        result.update_summary({"iso": iso})
        return result.set_status(APP_SUCCESS, f"UTC: {iso}")

    @handler("encode_base64")
    def encode_base64(self, param: Mapping[str, Any], result: ActionResult) -> bool:
        encoded = base64.b64encode(_text(param, "text").encode("utf-8")).decode("ascii")
        result.add_data({"encoded": encoded})
        result.update_summary({"encoded": encoded})
        return result.set_status(APP_SUCCESS, "Encoded")

    @handler("decode_base64")
    def decode_base64(self, param: Mapping[str, Any], result: ActionResult) -> bool:
        text = "".join(_text(param, "text").split())
        # Accept URL-safe input and missing padding, both common in tokens and logs.
        text = text.replace("-", "+").replace("_", "/")
        text += "=" * (-len(text) % 4)
        try:
            raw = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError) as exc:
            return result.set_status(APP_ERROR, f"Not valid base64: {exc}")
        try:
            decoded = raw.decode("utf-8")
        except UnicodeDecodeError:
            return result.set_status(APP_ERROR, "Decoded bytes are not UTF-8 text")
        result.add_data({"decoded": decoded})
        result.update_summary({"decoded": decoded})
        return result.set_status(APP_SUCCESS, "Decoded")

    @handler("parse_url")
    def parse_url(self, param: Mapping[str, Any], result: ActionResult) -> bool:
        url = _text(param, "url").strip()
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as exc:
            return result.set_status(APP_ERROR, f"Cannot parse URL: {exc}")
        if not parts.scheme and not parts.netloc:
            return result.set_status(APP_ERROR, f"{url!r} has neither a scheme nor a host")
        item = {
            "scheme": parts.scheme, "netloc": parts.netloc, "hostname": parts.hostname or "",
            "port": port, "path": unquote(parts.path), "query": parts.query,
            "fragment": parts.fragment, "username": parts.username or "",
            "query_params": {k: v if len(v) > 1 else v[0]
                             for k, v in parse_qs(parts.query, keep_blank_values=True).items()},
        }
        result.add_data(item)
        result.update_summary({"hostname": item["hostname"]})
        return result.set_status(APP_SUCCESS, f"Host: {item['hostname']}")
