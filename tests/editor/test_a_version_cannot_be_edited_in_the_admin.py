"""A stored version's documents and module are read-only in the admin: its module was
compiled from them when it was saved, and an edit there would leave the module behind."""
from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from editor.models import Playbook, PlaybookVersion
from tests.editor.fixtures import GRAPH

pytestmark = pytest.mark.django_db


def test_a_change_to_a_versions_json_in_the_admin_is_ignored(owner: User) -> None:
    version = Playbook(name="admin_edit").save_version(json.dumps(GRAPH), message="first")
    before = PlaybookVersion.objects.get(pk=version.pk)
    owner.is_staff = owner.is_superuser = True
    owner.save()
    client = Client()
    client.force_login(owner)
    url = f"/admin/editor/playbookversion/{version.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    # Every field the model has, as a form that let them all be edited would need them.
    created = timezone.localtime(before.created)
    response = client.post(url, {
        "playbook": before.playbook_id, "number": before.number, "json_text": "{}", "python": "x = 1",
        "compiled": "", "compile_error": "", "compiler_version": "0", "message": "edited", "draft": "on",
        "created_0": created.strftime("%Y-%m-%d"), "created_1": created.strftime("%H:%M:%S")})
    assert response.status_code == 302, response.content[:2000]
    after = PlaybookVersion.objects.get(pk=version.pk)
    assert after.message == "edited"
    assert (after.json_text, after.python, after.compiled) == (before.json_text, before.python, before.compiled)
    assert after.compiler_version == before.compiler_version
