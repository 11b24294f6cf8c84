"""Importing a classic playbook passes the installation's assets to the converter: an
action whose cell names no app gets the only installed app with an asset that offers it."""

from __future__ import annotations

import json

import pytest
from classickit import action, end, link, playbook, start

from editor.files import import_bytes
from editor.models import Playbook
from engine.models import App, Asset

pytestmark = pytest.mark.django_db


def app(appid: str, name: str) -> App:
    definition = {"appid": appid, "name": name, "actions": [{"action": "disable user"}]}
    return App.objects.create(appid=appid, name=name, definition=definition)


def test_an_imported_classic_action_gets_the_app_of_the_installed_asset() -> None:
    app("ldap-1", "AD LDAP")
    Asset.objects.create(name="corp_okta", app=app("okta-1", "Okta"))
    cell = action("disable_user_1", 1, act="disable user", assets=("domainctrl1",),
                  params={"username": "artifact:*.cef.suser"})
    cell["app"] = ""
    cell["assets"][0]["app_name"] = ""
    doc = playbook(start(), cell, end(), link("id-start", "disable_user_1"), link("disable_user_1", "id-end"))
    [outcome] = import_bytes("lock.json", json.dumps(doc).encode())
    assert outcome.status == "created"
    nodes = Playbook.objects.get(name="lock").document()["coa"]["data"]["nodes"]
    [data] = [n["data"] for n in nodes.values() if n["type"] == "action"]
    assert (data["connector"], data["connectorId"]) == ("Okta", "okta-1")
