"""`phantom.utils`: the value checks playbooks and custom functions import."""
from __future__ import annotations

import ipaddress
import re
from typing import Any
from urllib.parse import urlparse

_HASH = {32: "md5", 40: "sha1", 64: "sha256", 128: "sha512"}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DOMAIN = re.compile(r"^(?=.{1,253}$)(?!-)([A-Za-z0-9-]{1,63}(?<!-)\.)+[A-Za-z]{2,63}$")


def is_ip(value: Any) -> bool:
    try:
        ipaddress.ip_address(str(value).strip())
        return True
    except ValueError:
        return False


def is_hash(value: Any) -> bool:
    text = str(value).strip()
    return len(text) in _HASH and all(c in "0123456789abcdefABCDEF" for c in text)


def is_md5(value: Any) -> bool:
    return is_hash(value) and len(str(value).strip()) == 32


def is_sha1(value: Any) -> bool:
    return is_hash(value) and len(str(value).strip()) == 40


def is_sha256(value: Any) -> bool:
    return is_hash(value) and len(str(value).strip()) == 64


def is_email(value: Any) -> bool:
    return bool(_EMAIL.match(str(value).strip()))


def is_domain(value: Any) -> bool:
    return bool(_DOMAIN.match(str(value).strip().rstrip(".")))


def is_url(value: Any) -> bool:
    parsed = urlparse(str(value).strip())
    return parsed.scheme in ("http", "https", "ftp") and bool(parsed.netloc)
