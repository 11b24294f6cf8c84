"""Secret asset fields are recognised and encrypted at rest."""

from __future__ import annotations

import pytest

from engine.apps.catalogue import AppDef, parse_app
from engine.apps.secrets import MASK, SecretError, decrypt, derive_key, encrypt, mask_config, secret_fields


def app_with(config: dict[str, dict[str, object]]) -> AppDef:
    return parse_app({"appid": "x", "name": "X", "app_version": "1", "actions": [],
                      "configuration": config})


def test_it_finds_password_fields_and_secret_looking_names() -> None:
    app = app_with({
        "base_url": {"data_type": "string"},
        "pin": {"data_type": "password"},
        "api_key": {"data_type": "string"},
        "apiKey": {"data_type": "string"},
        "client_secret": {"data_type": "string"},
        "auth_token": {"data_type": "string"},
        "auth_token_name": {"data_type": "string"},
        "key": {"data_type": "string"},
        "keyboard_layout": {"data_type": "string"},
        "monkey": {"data_type": "string"},
        "ph_0": {"data_type": "ph"},
    })
    assert secret_fields(app) == {"pin", "api_key", "apiKey", "client_secret", "auth_token", "key"}


@pytest.mark.corpus
def test_it_finds_the_secrets_of_every_corpus_app_with_password_fields(
        corpus: list[AppDef]) -> None:
    for app in corpus:
        declared = {n for n, f in app.configuration.items() if f.data_type == "password"}
        assert declared <= secret_fields(app), app.name


def test_it_round_trips_a_secret_and_hides_the_plaintext() -> None:
    token = encrypt("hunter2", "django-secret-key")
    assert "hunter2" not in token
    assert decrypt(token, "django-secret-key") == "hunter2"
    assert decrypt(token, b"django-secret-key") == "hunter2"


def test_it_refuses_the_wrong_key_and_a_tampered_value() -> None:
    token = encrypt("hunter2", "right")
    with pytest.raises(SecretError, match="wrong key or altered value"):
        decrypt(token, "wrong")
    with pytest.raises(SecretError):
        decrypt(token[:-4] + "AAAA", "right")


def test_old_keys_still_open_values_after_a_key_change() -> None:
    token = encrypt("hunter2", "old")
    assert decrypt(token, "new", old_keys=["old"]) == "hunter2"


def test_the_derived_key_is_a_fernet_key_from_sha256() -> None:
    import base64
    import hashlib

    assert derive_key("s") == base64.urlsafe_b64encode(hashlib.sha256(b"s").digest())


def test_it_masks_set_secrets_for_display() -> None:
    assert mask_config({"url": "u", "password": "p", "token": ""}, {"password", "token"}) == {
        "url": "u", "password": MASK, "token": ""}
