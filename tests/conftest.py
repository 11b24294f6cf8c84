"""Shared fixtures: the named personas and API clients acting as them.

Personas: owner (admin role), editor (draws and edits playbooks), analyst (runs
playbooks, answers prompts, works cases; may not edit playbooks), viewer (reads),
outsider (a valid login with no role: no access to anything).
"""
from __future__ import annotations

import base64
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # imported lazily so pure test packages run with `-p no:django`
    from django.contrib.auth.models import User
    from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def _empty_rq_queues() -> None:
    """On the Redis broker backend (SOAR_TASK_BACKEND=rq) every test starts with the engine's
    queues empty: a job an earlier test left would run against this test's database."""
    from django.conf import settings

    if not settings.configured:  # pure test packages run with -p no:django
        return
    from engine.execution.brokers import flush_rq, using_rq

    if using_rq():
        flush_rq()


PERSONAS = {"owner": "admin", "editor": "editor", "analyst": "analyst", "viewer": "viewer", "outsider": None}
PASSWORD = "correct horse battery staple"


def _user(name: str) -> User:
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(name, password=PASSWORD)
    role = PERSONAS[name]
    if role:
        # get_or_create: transactional tests flush the groups the migration made.
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


@pytest.fixture
def owner(db: Any) -> User:
    return _user("owner")


@pytest.fixture
def editor(db: Any) -> User:
    return _user("editor")


@pytest.fixture
def analyst(db: Any) -> User:
    return _user("analyst")


@pytest.fixture
def viewer(db: Any) -> User:
    return _user("viewer")


@pytest.fixture
def outsider(db: Any) -> User:
    return _user("outsider")


def grant_edit_code(user: User) -> User:
    """Give ``user`` the "edit code" permission (soar.roles.may_edit_code); returns a fresh
    instance, since Django caches permissions per instance."""
    from django.contrib.auth.models import Permission, User

    user.user_permissions.add(Permission.objects.get(codename="edit_code", content_type__app_label="editor"))
    return User.objects.get(pk=user.pk)


def token_client(user: User) -> APIClient:
    from rest_framework.test import APIClient

    from engine.models import ApiToken

    _, key = ApiToken.issue(user)
    client = APIClient()
    client.credentials(HTTP_PH_AUTH_TOKEN=key)
    return client


def basic_client(user: User) -> APIClient:
    from rest_framework.test import APIClient

    client = APIClient()
    creds = base64.b64encode(f"{user.username}:{PASSWORD}".encode()).decode()
    client.credentials(HTTP_AUTHORIZATION=f"Basic {creds}")
    return client


@pytest.fixture
def as_user() -> Callable[[User], APIClient]:
    """An API client authenticated as the given persona with a ph-auth-token."""
    return token_client


@pytest.fixture
def api(owner: User) -> APIClient:
    """An API client acting as the owner (admin role)."""
    return token_client(owner)
