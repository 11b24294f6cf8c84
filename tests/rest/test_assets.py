"""SOAR's Asset endpoints: an asset's app named by `app_id`, `app_guid` or found by
`product_vendor` and `product_name`; SOAR's asset fields; secrets never shown back."""
from __future__ import annotations

from typing import Any

import pytest

from engine.apps.catalogue import parse_app
from engine.catalogue import sync_app
from engine.models import App, Asset, AuditEntry

pytestmark = pytest.mark.django_db

VT = {
    "appid": "7a8b9c0d-0000-4000-8000-00000000a5e1", "name": "VT Test", "app_version": "3.0.0",
    "product_vendor": "VirusTotal", "product_name": "VirusTotal", "type": "reputation",
    "configuration": {"apikey": {"data_type": "password", "required": True},
                      "rate_limit": {"data_type": "boolean", "default": True}},
    "actions": [{"action": "file reputation", "identifier": "file_reputation", "type": "investigate",
                 "read_only": True, "parameters": {"hash": {"data_type": "string", "required": True}}}],
}


@pytest.fixture
def vt(db: Any) -> App:
    return sync_app(parse_app(VT))[0]


def test_an_asset_is_created_by_product_vendor_and_product_name(rest: Any, vt: App) -> None:
    response = rest.post("/rest/asset", {"name": "vt", "product_vendor": "VirusTotal", "product_name": "virustotal",
                                         "configuration": {"apikey": "vt-secret-abc", "rate_limit": False}},
                         format="json")
    assert response.status_code == 200, response.json()
    asset = Asset.objects.get(pk=response.json()["id"])
    assert asset.app == vt and asset.product_vendor == "VirusTotal"
    assert AuditEntry.objects.filter(object_type="asset", object_id=asset.pk, action="create").exists()
    assert "vt-secret-abc" not in str(AuditEntry.objects.values_list("detail", flat=True))


@pytest.mark.parametrize("key", ["app_id", "app_guid"])
def test_an_asset_names_its_app_by_app_id_or_app_guid(rest: Any, vt: App, key: str) -> None:
    ref = vt.appid if key == "app_guid" else vt.pk
    response = rest.post("/rest/asset", {"name": f"vt_{key}", key: ref}, format="json")
    assert response.status_code == 200, response.json()
    assert Asset.objects.get(pk=response.json()["id"]).app == vt


def test_an_asset_of_an_unknown_product_is_a_400_naming_the_field(rest: Any, vt: App) -> None:
    response = rest.post("/rest/asset", {"name": "x", "product_vendor": "Nobody", "product_name": "Nothing"},
                         format="json")
    assert response.status_code == 400 and "'product_name'" in response.json()["message"]
    response = rest.post("/rest/asset", {"name": "x"}, format="json")
    assert response.status_code == 400 and "'app'" in response.json()["message"]
    response = rest.post("/rest/asset", {"name": "x", "app_id": 999999}, format="json")
    assert response.status_code == 400 and "'app_id'" in response.json()["message"]
    assert not Asset.objects.exists()


def test_an_asset_carries_soars_fields_and_never_its_secrets(rest: Any, vt: App) -> None:
    created = rest.post("/rest/asset", {"name": "vt", "app_id": vt.pk, "tags": ["intel"],
                                        "configuration": {"apikey": "vt-secret-abc"}}, format="json").json()
    record = rest.get(f"/rest/asset/{created['id']}").json()
    assert record["type"] == "reputation" and record["app"] == vt.pk and record["tags"] == ["intel"]
    assert record["product_name"] == "VirusTotal" and record["disabled"] is False
    assert {"primary_voting", "secondary_voting", "tenants", "version"} <= set(record)
    assert "vt-secret-abc" not in str(record) and record["configuration"]["_secrets_set"] == ["apikey"]
    listed = rest.get("/rest/asset?_filter_name='vt'").content.decode()
    assert "vt-secret-abc" not in listed and '"vt"' in listed


def test_only_an_admin_configures_assets(rest_as: Any, editor: Any, vt: App) -> None:
    response = rest_as(editor).post("/rest/asset", {"name": "vt", "app_id": vt.pk}, format="json")
    assert response.status_code == 403 and not Asset.objects.exists()


def test_testing_an_asset_records_its_app_status(rest: Any, rest_as: Any, viewer: Any, vt: App) -> None:
    utilities = Asset.objects.create(name="utils", app=App.objects.get(name="Utilities"))
    simulated = Asset.objects.create(name="vt", app=vt)
    assert rest.get(f"/rest/app_status?_filter_asset_id={utilities.pk}").json()["data"][0]["status"] == ""
    tested = rest.post(f"/rest/asset/{utilities.pk}/test", {}, format="json").json()
    assert tested["success"] is True and tested["status"] == "success", tested
    [row] = rest.get(f"/rest/app_status?_filter_asset_id={utilities.pk}").json()["data"]
    assert (row["asset_id"], row["asset"], row["status"]) == (utilities.pk, "utils", "success")
    assert rest.post(f"/rest/asset/{simulated.pk}/test", {}, format="json").json()["status"] == "failed"
    assert "no connector" in rest.get(f"/rest/app_status?_filter_asset_id={simulated.pk}").json()["data"][0]["message"]
    assert AuditEntry.objects.filter(object_type="asset", object_id=utilities.pk, action="test").exists()
    assert rest_as(viewer).post(f"/rest/asset/{utilities.pk}/test", {}, format="json").status_code == 403
    assert rest.post("/rest/asset/999999/test", {}, format="json").status_code == 404
    assert rest.post("/rest/app_status", {"status": "success"}, format="json").status_code == 405
