"""Asset configuration with write-only, encrypted secrets.

Which fields are secret comes from the app's configuration schema (`data_type:
password`) plus a name heuristic for apps that forgot to mark them.
"""
from __future__ import annotations

import base64
import hashlib
import re
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

from engine.models import Asset

_SECRET_NAME = re.compile(r"pass(word)?|secret|token|api_?key|private_?key|credential", re.I)
_PREFIX = "enc:v1:"


def _fernet() -> Fernet:
    key = hashlib.sha256(("asset-secrets:" + settings.SECRET_KEY).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def secret_fields(asset: Asset) -> set[str]:
    schema: dict[str, Any] = asset.app.configuration if asset.app_id else {}
    marked = {name for name, spec in schema.items() if isinstance(spec, dict) and spec.get("data_type") == "password"}
    return marked | {name for name in asset.configuration if _SECRET_NAME.search(name)}


def store_configuration(asset: Asset, config: dict[str, Any]) -> None:
    """Merge posted configuration into the asset, encrypting secret values.

    A secret that is not posted again keeps its stored value: clients never see the
    secret, so they cannot send it back.
    """
    merged = dict(asset.configuration or {})
    merged.update(config)
    asset.configuration = merged
    secrets = secret_fields(asset)
    for name in secrets & set(config):
        value = config[name]
        if value is None or value == "":
            merged.pop(name, None)
        elif not (isinstance(value, str) and value.startswith(_PREFIX)):
            merged[name] = _PREFIX + _fernet().encrypt(str(value).encode()).decode()


def public_configuration(asset: Asset) -> dict[str, Any]:
    secrets = secret_fields(asset)
    public = {k: v for k, v in (asset.configuration or {}).items() if k not in secrets}
    public["_secrets_set"] = sorted(k for k in secrets if k in (asset.configuration or {}))
    return public


def is_encrypted(value: Any) -> bool:
    """Whether a stored configuration value is an encrypted secret."""
    return isinstance(value, str) and value.startswith(_PREFIX)


def decrypt_value(value: str) -> str | None:
    """An encrypted secret's plain text; None when SECRET_KEY changed since it was stored."""
    try:
        return _fernet().decrypt(value[len(_PREFIX):].encode()).decode()
    except InvalidToken:
        return None  # the secret must be entered again


def runtime_configuration(asset: Asset) -> dict[str, Any]:
    """The configuration a connector receives, secrets decrypted."""
    out: dict[str, Any] = {}
    for key, value in (asset.configuration or {}).items():
        out[key] = decrypt_value(value) if is_encrypted(value) else value
    return out
