"""Writing code is SOAR's "edit code" permission: admins have it, editors only when given.

Code is a Code block, a block's custom code, a whole-function override, the playbook's
global code and a custom function. An editor without the permission still draws and
saves everything else; a save that adds or changes code is refused (403, naming the block)
and stores nothing.
"""
from __future__ import annotations

import copy
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from editor.api import empty_playbook
from editor.models import CustomFunction, Playbook
from tests.conftest import PASSWORD, grant_edit_code

pytestmark = pytest.mark.django_db
Clients = Callable[[User], Any]

CODE_NODE = {"id": "2", "type": "code", "x": 400, "y": 200, "errors": {}, "warnings": {},
             "data": {"functionName": "code_1", "id": "2", "type": "code", "advanced": {"join": []},
                      "inputParameters": [], "outputVariables": []},
             "userCode": "    phantom.debug('written by hand')\n"}


def _with_code(doc: dict[str, Any], user_code: str = CODE_NODE["userCode"]) -> dict[str, Any]:
    out = copy.deepcopy(doc)
    out["coa"]["data"]["nodes"]["2"] = {**copy.deepcopy(CODE_NODE), "userCode": user_code}
    return out


def _playbook(client: Any, doc: dict[str, Any] | None = None) -> dict[str, Any]:
    created = client.post("/api/playbooks", {"name": "triage", **({"json": doc} if doc else {})}, format="json")
    assert created.status_code == 201, created.content
    return dict(created.json())


def _save(client: Any, answer: dict[str, Any], doc: dict[str, Any]) -> Any:
    return client.put(f"/api/playbooks/{answer['id']}", {"json": doc, "base_version": answer["version"]}, format="json")


def test_an_editor_without_the_permission_cannot_add_a_code_block_and_nothing_is_stored(
        as_user: Clients, editor: User) -> None:
    client = as_user(editor)
    answer = _playbook(client)
    refused = _save(client, answer, _with_code(answer["json"]))
    assert refused.status_code == 403
    assert "Code block 'code_1' (block 2)" in refused.json()["message"]
    assert "edit code" in refused.json()["message"]
    assert Playbook.objects.get(pk=answer["id"]).latest_version == answer["version"]


def test_an_editor_without_the_permission_still_saves_everything_but_code(as_user: Clients, owner: User,
                                                                          editor: User) -> None:
    answer = _playbook(as_user(owner), _with_code(empty_playbook()))  # an admin wrote the code
    doc = copy.deepcopy(answer["json"])
    doc["coa"]["data"]["nodes"]["2"]["x"] = 640  # moved, renamed: not code
    doc["coa"]["data"]["nodes"]["2"]["data"]["functionName"] = "debug_it"
    doc["coa"]["data"]["description"] = "triage, reviewed"
    saved = _save(as_user(editor), answer, doc)
    assert saved.status_code == 200, saved.content
    saved_doc = Playbook.objects.get(pk=answer["id"]).document()
    changed = copy.deepcopy(saved_doc)
    changed["coa"]["data"]["nodes"]["2"]["userCode"] = "    pass\n"
    refused = _save(as_user(editor), {"id": answer["id"], "version": saved.json()["version"]}, changed)
    assert refused.status_code == 403 and "debug_it" in refused.json()["message"]
    assert Playbook.objects.get(pk=answer["id"]).document() == saved_doc


def test_custom_code_of_any_block_and_global_code_need_the_permission(as_user: Clients, editor: User) -> None:
    client = as_user(editor)
    answer = _playbook(client)
    doc = copy.deepcopy(answer["json"])
    doc["coa"]["data"]["nodes"]["1"]["userCode"] = "    phantom.debug('at the end')\n"
    refused = _save(client, answer, doc)
    assert refused.status_code == 403 and "the custom code of 'on_finish' (block 1)" in refused.json()["message"]
    doc = copy.deepcopy(answer["json"])
    doc["coa"]["data"]["globalCustomCode"] = "import os\n"
    refused = _save(client, answer, doc)
    assert refused.status_code == 403 and "global custom code" in refused.json()["message"]


def test_an_editor_given_the_permission_and_an_admin_write_code(as_user: Clients, editor: User, owner: User) -> None:
    for user in (grant_edit_code(editor), owner):
        client = as_user(user)
        answer = _playbook(client)
        saved = _save(client, answer, _with_code(answer["json"]))
        assert saved.status_code == 200, saved.content
        Playbook.objects.filter(pk=answer["id"]).delete()


def test_custom_functions_and_imported_code_need_the_permission(as_user: Clients, editor: User) -> None:
    client = as_user(editor)
    posted = client.post("/rest/custom_function", {"name": "mine", "python": "def mine():\n    return {}\n"},
                         format="json")
    assert posted.status_code == 403 and "custom function 'mine'" in posted.json()["message"]
    assert not CustomFunction.objects.filter(name="mine").exists()
    upload = io.BytesIO(json.dumps(_with_code(empty_playbook())).encode())
    upload.name = "imported.json"
    imported = client.post("/api/playbooks/import", {"file": upload}, format="multipart")
    assert imported.status_code == 403 and "code_1" in imported.json()["message"]
    assert not Playbook.objects.filter(name="imported").exists()
    posted = as_user(grant_edit_code(editor)).post("/rest/custom_function", {"name": "mine", "python": "def mine():\n    return {}\n"},
                                          format="json")
    assert posted.status_code == 200, posted.content


def test_the_editor_page_shows_code_read_only_to_an_editor_without_the_permission(as_user: Clients,
                                                                                    editor: User) -> None:
    answer = _playbook(as_user(editor))
    browser = Client()
    assert browser.login(username="editor", password=PASSWORD)
    assert 'data-code-readonly="1"' in browser.get(f"/playbooks/{answer['id']}/edit").content.decode()
    grant_edit_code(editor)
    assert 'data-code-readonly="0"' in browser.get(f"/playbooks/{answer['id']}/edit").content.decode()
