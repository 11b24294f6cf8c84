"""Which asset fields are secret, and how their values are encrypted at rest.

The Django side stores only :func:`encrypt` output and never sends a secret back to a
browser; connectors get the :func:`decrypt`-ed config at run time.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable, Mapping
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from engine.apps.catalogue import AppDef

__all__ = ["MASK", "SecretError", "decrypt", "derive_key", "encrypt", "mask_config",
           "secret_fields"]

MASK = "********"
# Judged on the last word(s) of the field name so that e.g. ``auth_token_name`` (the
# header's name) is not mistaken for the token itself.
_SECRET_LAST_WORDS = frozenset({"password", "passwd", "pwd", "passphrase", "secret", "token",
                                "apikey", "credential", "credentials"})
_KEY_QUALIFIERS = frozenset({"api", "private", "secret", "access", "license", "encryption",
                             "app", "subscription", "auth", "client"})


class SecretError(ValueError):
    """A stored secret cannot be decrypted (wrong key or tampered value)."""


def _words(name: str) -> list[str]:
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    return [w for w in re.split(r"[^a-z0-9]+", spaced.lower()) if w]


def _looks_secret(name: str) -> bool:
    words = _words(name)
    if not words:
        return False
    if words[-1] in _SECRET_LAST_WORDS:
        return True
    if words[-1] == "key":
        return len(words) == 1 or words[-2] in _KEY_QUALIFIERS
    return False


def secret_fields(appdef: AppDef) -> set[str]:
    """Names of ``appdef``'s config fields that hold secrets.

    A field is secret when its ``data_type`` is ``password`` or its name ends like one
    (``password``, ``api_key``, ``client_secret``, ``auth_token``, ...).
    """
    return {name for name, spec in appdef.configuration.items()
            if spec.data_type != "ph" and (spec.is_secret or _looks_secret(name))}


def mask_config(config: Mapping[str, Any], secrets: Iterable[str]) -> dict[str, Any]:
    """A copy of ``config`` fit to show: set secrets become :data:`MASK`."""
    hidden = set(secrets)
    return {k: (MASK if k in hidden and v not in (None, "") else v) for k, v in config.items()}


def derive_key(secret: str | bytes) -> bytes:
    """A Fernet key from any secret text: SHA-256, then URL-safe base64."""
    raw = secret.encode("utf-8") if isinstance(secret, str) else secret
    return base64.urlsafe_b64encode(hashlib.sha256(raw).digest())


def encrypt(value: str, key: str | bytes) -> str:
    """Encrypt ``value`` with a key derived from ``key`` (e.g. Django's SECRET_KEY)."""
    return Fernet(derive_key(key)).encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(token: str, key: str | bytes, old_keys: Iterable[str | bytes] = ()) -> str:
    """Decrypt :func:`encrypt` output; ``old_keys`` still open values after a key change.

    Raises :class:`SecretError` when no key opens ``token``.
    """
    fernet = MultiFernet([Fernet(derive_key(k)) for k in (key, *old_keys)])
    try:
        return fernet.decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError) as exc:
        raise SecretError("cannot decrypt the stored secret: wrong key or altered value") from exc
