"""Masking secrets costs one query per worker batch, and nothing when a value has none."""
from __future__ import annotations

from typing import Any

import pytest

from engine import redaction
from engine.apps.catalogue import parse_app
from engine.assets import store_configuration
from engine.catalogue import sync_app
from engine.models import Asset

pytestmark = pytest.mark.django_db
APP = {"appid": "6a0bc6a2-0000-4000-8000-0000000sec02", "name": "Keyed2", "app_version": "1.0.0",
       "product_vendor": "Test", "product_name": "Keyed", "description": "", "actions": [],
       "configuration": {"password": {"data_type": "password", "required": True, "description": "pw"}}}


@pytest.fixture
def secret() -> str:
    app, _ = sync_app(parse_app(APP))
    asset = Asset(name="keyed2", app=app)
    store_configuration(asset, {"password": "hunter2-long"})
    asset.save()
    return "hunter2-long"


def test_a_batch_reads_the_secrets_once_however_much_it_writes(secret: str, django_assert_num_queries: Any) -> None:
    with redaction.for_batch(), django_assert_num_queries(1):
        for _ in range(20):
            assert redaction.scrub({"message": f"pw={secret}"}) == {"message": "pw=***"}


def test_values_without_a_secret_come_back_as_the_same_objects(secret: str) -> None:
    payload = {"message": "nothing to hide", "data": [{"n": 1}, ("a", "b")]}
    assert redaction.scrub(payload) is payload


def test_secrets_are_masked_in_keys_lists_and_tuples_and_short_ones_are_left(secret: str) -> None:
    masker = redaction.Redactor([secret, "abc"])
    assert masker.value({secret: [("x", secret)], "abc": "abc"}) == {"***": [("x", "***")], "abc": "abc"}
