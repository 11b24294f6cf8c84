"""Fixtures shared by the REST conformance suite (tests/rest/): one module per endpoint
family of SOAR's REST API Reference. The personas and clients come from tests/conftest.py."""
from __future__ import annotations

import base64
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

from tests.conftest import token_client

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from rest_framework.test import APIClient

    from engine.models import Artifact, Container


@pytest.fixture
def rest(owner: User) -> APIClient:
    """An API client acting as the owner (admin role) with a ph-auth-token header."""
    return token_client(owner)


@pytest.fixture
def rest_as() -> Callable[[User], APIClient]:
    """Build a ph-auth-token client for any persona: ``rest_as(viewer)``."""
    return token_client


def issue_token(user: User) -> str:
    """A fresh API token key for ``user`` (for tests that send it another way)."""
    from engine.models import ApiToken

    return ApiToken.issue(user)[1]


def basic_token_auth(token: str, username: str = "") -> str:
    """The Authorization header of `curl -u "<username>:<token>"` (SOAR's token as password)."""
    return "Basic " + base64.b64encode(f"{username}:{token}".encode()).decode()


@pytest.fixture
def make_container(db: Any) -> Callable[..., Container]:
    """Create a container: ``make_container(name="case", label="events", ...)``."""
    from engine.models import Container

    def make(**fields: Any) -> Container:
        fields.setdefault("name", "case")
        fields.setdefault("label", "events")
        return Container.objects.create(**fields)

    return make


@pytest.fixture
def make_artifact(db: Any) -> Callable[..., Artifact]:
    """Create an artifact in a container: ``make_artifact(container, cef={...}, name=...)``."""
    import hashlib
    import json

    from engine.models import Artifact

    def make(container: Container, **fields: Any) -> Artifact:
        fields.setdefault("name", "artifact")
        fields.setdefault("label", "event")
        fields.setdefault("cef", {})
        fields.setdefault(
            "hash",
            hashlib.sha256(json.dumps([fields["name"], fields["cef"]], sort_keys=True).encode()).hexdigest(),
        )
        return Artifact.objects.create(container=container, **fields)

    return make
