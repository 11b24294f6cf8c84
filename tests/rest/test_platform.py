"""The platform endpoints, answered truthfully for this single deployment: version,
system_info, system_settings, health, license, scm, cluster_node, feature_flag,
ingestion_status."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import override_settings

from engine.models import AuditEntry
from tests.engine.conftest import python_playbook

pytestmark = pytest.mark.django_db


def test_version_is_the_soar_release_followed(rest: Any) -> None:
    assert rest.get("/rest/version").json() == {"version": "6.2.0"}


@override_settings(ALLOWED_HOSTS=["*"])
def test_system_info_answers_the_base_url_served_when_none_is_configured(rest: Any) -> None:
    info = rest.get("/rest/system_info", HTTP_HOST="soar.example.org:8443").json()
    assert info["base_url"] == "http://soar.example.org:8443" and info["time_zone"] == "UTC"


@override_settings(SOAR_BASE_URL="https://soar.corp/", ALLOWED_HOSTS=["*"])
def test_system_info_answers_the_configured_base_url(rest: Any) -> None:
    assert rest.get("/rest/system_info", HTTP_HOST="other:1").json()["base_url"] == "https://soar.corp"


def test_system_settings_show_sections_and_no_secret(rest: Any) -> None:
    from django.conf import settings

    r = rest.get("/rest/system_settings")
    body = r.json()
    assert {"decided_runner_settings", "clustering", "features"} <= set(body)
    assert body["clustering"] == {"enabled": False}
    assert settings.SECRET_KEY not in r.content.decode()
    one = rest.get('/rest/system_settings?sections=["clustering"]').json()
    assert list(one) == ["clustering"]
    assert rest.get('/rest/system_settings?sections=["nope"]').status_code == 400
    assert rest.post("/rest/system_settings", {"clustering": {"enabled": True}}, format="json").status_code == 405


def test_health_reports_the_services_it_checked(rest_as: Callable[..., Any], viewer: Any) -> None:
    body = rest_as(viewer).get("/rest/health").json()
    assert body["all_running"] is True and body["status"] == {"web": "running", "database": "running",
                                                               "broker": "running"}
    assert body["services"]["database"][-1]["state"] == "running" and body["services"]["web"][-1]["pid"]
    assert body["vault_data"]["free_bytes"] > 0


def test_license_has_no_limits(rest: Any) -> None:
    body = rest.get("/rest/license").json()
    assert body["expires"] == "never" and body["limits"]["actions_per_day"] is None


def test_scm_lists_the_playbook_repositories(rest: Any) -> None:
    python_playbook("a", "def on_start(container):\n    pass\n")
    body = rest.get("/rest/scm").json()
    local = body["data"][0]
    assert body["count"] >= 1 and local["name"] == "local" and local["playbooks"] >= 1
    assert rest.get(f"/rest/scm/{local['id']}").json() == local
    assert rest.get("/rest/scm/999").status_code == 404
    assert rest.post("/rest/scm", {"name": "git"}, format="json").status_code == 405


def test_cluster_node_is_this_one_server(rest: Any) -> None:
    body = rest.get("/rest/cluster_node").json()
    assert body["count"] == 1 and body["data"][0]["is_primary"] is True
    assert rest.get("/rest/cluster_node/1").json()["id"] == 1
    assert rest.get("/rest/cluster_node/2").status_code == 404


def test_there_is_no_warm_standby(rest: Any) -> None:
    assert rest.get("/rest/warm_standby").json()["status"] == "off"


def test_a_flag_is_found_by_name_and_switched_by_a_post_to_the_list(rest: Any) -> None:
    found = rest.get("/rest/feature_flag?_filter_name=\"use_indicators\"").json()
    assert found["count"] == 1 and found["data"][0]["value"] is True
    r = rest.post("/rest/feature_flag", {"name": "restrict_global_search", "value": True}, format="json")
    assert r.status_code == 200 and r.json()["value"] is True
    assert rest.post("/rest/feature_flag", {"value": True}, format="json").status_code == 400
    assert rest.post("/rest/feature_flag", {"name": "warp_drive", "value": True}, format="json").status_code == 404


def test_feature_flags_are_listed_and_an_admin_switches_the_switchable(rest: Any, rest_as: Callable[..., Any],
                                                                      analyst: Any) -> None:
    flags = {f["name"]: f for f in rest.get("/rest/feature_flag").json()["data"]}
    assert flags["restrict_global_search"]["value"] is False and flags["clustering"]["editable"] is False
    assert rest_as(analyst).post("/rest/feature_flag/restrict_global_search", {"value": True},
                                 format="json").status_code == 403
    r = rest.post("/rest/feature_flag/restrict_global_search", {"value": True}, format="json")
    assert r.status_code == 200 and r.json()["value"] is True
    assert rest.get("/rest/feature_flag/restrict_global_search").json()["value"] is True
    assert AuditEntry.objects.filter(object_type="feature_flag", action="update").exists()
    r = rest.post("/rest/feature_flag/clustering", {"value": True}, format="json")
    assert r.status_code == 400 and "value" in r.json()["message"]
    assert rest.post("/rest/feature_flag/restrict_global_search", {"value": "yes"}, format="json").status_code == 400
    assert rest.get("/rest/feature_flag/warp_drive").status_code == 404


def test_ingestion_status_summarises_what_each_source_brought(rest: Any, make_container: Callable[..., Any]) -> None:
    make_container(label="events", asset_name="splunk es", ingest_app_id="splunk")
    make_container(label="events", asset_name="splunk es", ingest_app_id="splunk")
    make_container(label="phish")
    rows = rest.get("/rest/ingestion_status").json()["data"]
    splunk = next(r for r in rows if r["asset"] == "splunk es")
    assert splunk["containers"] == 2 and splunk["app"] == "splunk" and splunk["status"] == "success"
    make_container(label="events", asset_name="qradar", asset_id=9)
    only = rest.get("/rest/ingestion_status?_filter_asset=9").json()
    assert only["count"] == 1 and only["data"][0]["asset"] == "qradar"
    assert rest.get("/rest/ingestion_status?_filter_asset=x").status_code == 400


def test_an_outsider_reads_no_platform_endpoint(rest_as: Callable[..., Any], outsider: Any) -> None:
    client = rest_as(outsider)
    for url in ("/rest/system_settings", "/rest/health", "/rest/license", "/rest/scm", "/rest/cluster_node",
                "/rest/feature_flag", "/rest/ingestion_status", "/rest/system_info", "/rest/warm_standby"):
        assert client.get(url).status_code == 403, url
