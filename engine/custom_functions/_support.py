"""Input coercion shared by the built-in custom functions.

Playbooks hand custom functions whatever a datapath resolved to: a string where a list was
meant ("a, b"), a JSON string, a list of one, a container dict instead of an id, "True" for
True. SOAR's community functions each parse this by hand; these helpers do it once.
"""
from __future__ import annotations

import json
from typing import Any

# SOAR's default contains-types of the common CEF fields, for artifacts whose cef_types do
# not say (apps usually leave them out for standard fields).
DEFAULT_CEF_TYPES: dict[str, list[str]] = {
    "sourceAddress": ["ip"], "destinationAddress": ["ip"], "deviceAddress": ["ip"],
    "sourceTranslatedAddress": ["ip"], "destinationTranslatedAddress": ["ip"], "deviceTranslatedAddress": ["ip"],
    "src": ["ip"], "dst": ["ip"], "dvc": ["ip"],
    "sourceHostName": ["host name"], "destinationHostName": ["host name"], "deviceHostname": ["host name"],
    "shost": ["host name"], "dhost": ["host name"],
    "sourceDnsDomain": ["domain"], "destinationDnsDomain": ["domain"], "deviceDnsDomain": ["domain"],
    "sourceUserName": ["user name"], "destinationUserName": ["user name"], "suser": ["user name"],
    "duser": ["user name"],
    "requestURL": ["url"], "request": ["url"],
    "fileHash": ["hash"], "fileHashMd5": ["md5", "hash"], "fileHashSha1": ["sha1", "hash"],
    "fileHashSha256": ["sha256", "hash"], "fileHashSha512": ["sha512", "hash"],
    "hash": ["hash"], "md5": ["md5", "hash"], "sha1": ["sha1", "hash"], "sha256": ["sha256", "hash"],
    "fileName": ["file name"], "filePath": ["file path"], "fname": ["file name"],
    "sourcePort": ["port"], "destinationPort": ["port"], "spt": ["port"], "dpt": ["port"],
    "sourceMacAddress": ["mac address"], "destinationMacAddress": ["mac address"],
    "emailAddress": ["email"], "fromEmail": ["email"], "toEmail": ["email"], "vaultId": ["vault id"],
    "domain": ["domain"], "url": ["url"], "ip": ["ip"], "email": ["email"],
}


def as_bool(value: Any, default: bool) -> bool:
    """"True"/"false"/1/None as a bool; anything unrecognised keeps the default."""
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return bool(value)
    text = str(value).strip().lower()
    if text in ("true", "t", "yes", "y", "1", "on"):
        return True
    if text in ("false", "f", "no", "n", "0", "off"):
        return False
    return default


def as_list(value: Any, *, split: bool = True) -> list[Any]:
    """A list from a list, a JSON list string, a comma-separated string, or a scalar.

    Nested lists (a datapath over rows gives one per row) are flattened one level; None
    and empty strings are dropped.
    """
    if value is None:
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                parsed = json.loads(text)
            except ValueError:
                parsed = None
            if isinstance(parsed, list):
                return as_list(parsed, split=split)
        if not split:
            return [text] if text else []
        return [part.strip() for part in text.split(",") if part.strip()]
    if isinstance(value, (list, tuple, set)):
        out: list[Any] = []
        for item in value:
            if isinstance(item, (list, tuple)):
                out.extend(i for i in item if i not in (None, ""))
            elif item not in (None, ""):
                out.extend(as_list(item, split=split) if isinstance(item, str) and split else [item])
        return out
    return [value]


def as_tags(value: Any) -> list[str]:
    """Tags from a comma list or a list; SOAR tags carry no whitespace."""
    return list(dict.fromkeys("".join(str(t).split()) for t in as_list(value) if str(t).strip()))


def as_id(value: Any) -> int | None:
    """An integer id from an int, a numeric string, a dict with "id", or a list of one."""
    if isinstance(value, (list, tuple)):
        value = value[0] if len(value) == 1 else None
    if isinstance(value, dict):
        value = value.get("id")
    if isinstance(value, bool) or value is None:
        return None
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def as_pk(value: Any) -> int:
    """as_id for ORM lookups: 0 (which no row has) when the value names no id."""
    return as_id(value) or 0


def current_context() -> Any:
    """The step a custom function runs in, or None outside a run (direct calls in tests)."""
    from engine.runtime.context import _current

    return _current.get()


def resolve_container(value: Any, *, required: bool = True) -> Any:
    """The Container a parameter names (id, dict or None for the run's own container)."""
    from engine.models import Container

    cid = as_id(value)
    if cid is None and value in (None, "", []):
        ctx = current_context()
        cid = ctx.run.container_id if ctx is not None else None
    container = Container.objects.filter(pk=cid).first() if cid is not None else None
    if container is None and required:
        raise ValueError(f"no container {value!r}")
    return container


def run_owner() -> Any:
    ctx = current_context()
    return ctx.run.owner if ctx is not None else None


def emit(kind: str, payload: dict[str, Any]) -> None:
    """Record a run event when running inside a run (the browser refreshes the case)."""
    ctx = current_context()
    if ctx is not None:
        ctx.emit(kind, payload)
        if payload.get("container") == ctx.run.container_id:
            ctx.invalidate_container()


def log(message: Any) -> None:
    """phantom.debug inside a run; silent when called directly."""
    if current_context() is not None:
        import phantom.rules as phantom

        phantom.debug(message)


def cef_types_of(artifact: Any, key: str) -> list[str]:
    """The contains-types of one CEF key of an artifact (its own, else SOAR's defaults)."""
    declared = (artifact.cef_types or {}).get(key) if hasattr(artifact, "cef_types") else None
    if declared:
        return [str(t) for t in (declared if isinstance(declared, list) else [declared])]
    return list(DEFAULT_CEF_TYPES.get(key, []))


def cef_items(cef: Any) -> list[tuple[str, Any]]:
    """(key, value) of every scalar CEF value; lists count once per element.

    Keys come sorted: PostgreSQL's jsonb does not keep the order a CEF dict was posted in
    and SQLite does, so any other order would differ between databases."""
    out: list[tuple[str, Any]] = []
    for key, value in sorted((cef or {}).items()):
        for item in value if isinstance(value, list) else [value]:
            if item not in (None, "") and not isinstance(item, dict):
                out.append((key, item))
    return out


def base_url() -> str:
    from django.conf import settings

    return str(getattr(settings, "SOAR_BASE_URL", "") or "http://127.0.0.1:8000").rstrip("/")
