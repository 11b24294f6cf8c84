"""The commands `make run` relies on: demo data, the admin user, API tokens."""
from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.test import APIClient

from engine.models import Artifact, Container, CustomList

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_load_demo_creates_containers_with_realistic_artifacts_once() -> None:
    run("load_demo")
    containers, artifacts = Container.objects.count(), Artifact.objects.count()
    run("load_demo")
    assert containers >= 5 and artifacts >= 10
    assert (Container.objects.count(), Artifact.objects.count()) == (containers, artifacts)
    kinds = {key for a in Artifact.objects.all() for key in a.cef}
    assert {"sourceAddress", "destinationDnsDomain", "fileHashSha256", "requestURL", "destinationUserName"} <= kinds
    assert CustomList.objects.filter(name="blocked_ips").exists()
    for container in Container.objects.all():
        assert container.artifact_count == container.artifacts.count()


def test_ensure_admin_prints_a_generated_password_once() -> None:
    first = run("ensure_admin")
    password = re.search(r"Password:\s+(\S+)", first)
    assert password
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(password.group(1))
    second = run("ensure_admin")
    assert "Password" not in second and "exists" in second


def test_ensure_admin_reset_makes_a_new_password() -> None:
    run("ensure_admin")
    new = re.search(r"Password:\s+(\S+)", run("ensure_admin", "--reset"))
    assert new and User.objects.get(username="admin").check_password(new.group(1))


def test_create_token_prints_a_working_ph_auth_token(owner: User) -> None:
    key = run("create_token", "owner").strip()
    client = APIClient()
    client.credentials(HTTP_PH_AUTH_TOKEN=key)
    assert client.get("/rest/container").status_code == 200


def test_create_token_for_an_unknown_user_fails_clearly() -> None:
    with pytest.raises(CommandError, match="no user named"):
        call_command("create_token", "ghost")
