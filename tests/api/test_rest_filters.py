"""SOAR's `_filter_<field>[__<lookup>]="<quoted value>"` query language."""
from __future__ import annotations

from urllib.parse import quote

import pytest
from rest_framework.test import APIClient

from engine.artifacts import create_artifact
from engine.models import Container

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases() -> dict[str, Container]:
    phish = Container.objects.create(name="Phishing report", label="email", severity="high", tags=["phishing", "vip"])
    c2 = Container.objects.create(name="C2 beacon", label="events", severity="high", tags=["c2"])
    brute = Container.objects.create(name="Brute force", label="events", severity="low", tags=[])
    create_artifact(c2, {"name": "fw", "cef": {"destinationAddress": "203.0.113.66", "destinationPort": 443}})
    create_artifact(brute, {"name": "vpn", "cef": {"sourceAddress": "192.0.2.45"}})
    return {"phish": phish, "c2": c2, "brute": brute}


def names(client: APIClient, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, response.json()
    return sorted(row["name"] for row in response.json()["data"])


def test_it_filters_on_a_quoted_string_value(api: APIClient, cases: dict[str, Container]) -> None:
    assert names(api, '/rest/container?_filter_label="events"') == ["Brute force", "C2 beacon"]


def test_it_supports_django_style_lookups(api: APIClient, cases: dict[str, Container]) -> None:
    assert names(api, '/rest/container?_filter_name__icontains="PHISH"') == ["Phishing report"]
    assert names(api, '/rest/container?_filter_name__startswith="C2"') == ["C2 beacon"]
    assert names(api, "/rest/container?" + quote('_filter_label__in=["email","nothing"]', safe="=_")) == ["Phishing report"]
    ids = sorted(c.pk for c in cases.values())
    assert names(api, f"/rest/container?_filter_id__gt={ids[0]}") == ["Brute force", "C2 beacon"]


def test_it_combines_filters_and_excludes(api: APIClient, cases: dict[str, Container]) -> None:
    assert names(api, '/rest/container?_filter_label="events"&_exclude_severity="low"') == ["C2 beacon"]


def test_it_filters_on_a_list_field_with_contains(api: APIClient, cases: dict[str, Container]) -> None:
    assert names(api, '/rest/container?_filter_tags__contains="vip"') == ["Phishing report"]


def test_it_filters_artifacts_on_a_cef_key(api: APIClient, cases: dict[str, Container]) -> None:
    assert names(api, '/rest/artifact?_filter_cef__destinationAddress="203.0.113.66"') == ["fw"]
    assert names(api, "/rest/artifact?_filter_cef__destinationPort=443") == ["fw"]
    assert names(api, f"/rest/artifact?_filter_container={cases['brute'].pk}") == ["vpn"]


def test_it_refuses_an_unknown_filter_field_naming_it(api: APIClient, cases: dict[str, Container]) -> None:
    response = api.get('/rest/container?_filter_secret_column="x"')
    assert response.status_code == 400
    assert "_filter_secret_column" in response.json()["message"]
    assert "unknown filter field" in response.json()["message"]


def test_it_refuses_an_unquoted_string_value(api: APIClient, cases: dict[str, Container]) -> None:
    response = api.get("/rest/container?_filter_name=phish")
    assert response.status_code == 400
    assert "_filter_name" in response.json()["message"] and "JSON literal" in response.json()["message"]


@pytest.mark.parametrize("raw", [
    "1 OR 1=1", "1; DROP TABLE engine_container", "' OR ''='", "1) UNION SELECT password FROM auth_user --",
])
def test_it_refuses_sql_looking_values_naming_the_filter(api: APIClient, cases: dict[str, Container], raw: str) -> None:
    for field in ("id", "name"):
        response = api.get(f"/rest/container?_filter_{field}={quote(raw)}")
        assert response.status_code == 400, (field, raw)
        assert f"_filter_{field}" in response.json()["message"]


def test_a_quoted_sql_looking_string_is_only_ever_data(api: APIClient, cases: dict[str, Container]) -> None:
    response = api.get("/rest/container?_filter_name=" + quote('"x\' OR 1=1 --"'))
    assert response.status_code == 200 and response.json()["count"] == 0
    assert Container.objects.count() == 3


@pytest.mark.parametrize("query,needle", [
    ('_filter_id="abc"', "integer"),
    ("_filter_in_case=1", "true or false"),
    ('_filter_create_time__gt="yesterday"', "ISO-8601"),
    ('_filter_name__regex="(["', "regular expression"),
    ('_filter_name__in="x"', "JSON list"),
    ('_filter_name__nosuchlookup="x"', "unknown lookup"),
    ('_filter_data="x"', "filter on a key"),
    ('_filter_cef__a;b="x"', "invalid key"),
])
def test_it_refuses_a_value_of_the_wrong_type_naming_the_filter(api: APIClient, cases: dict[str, Container], query: str, needle: str) -> None:
    url = "/rest/artifact?" if "cef" in query else "/rest/container?"
    response = api.get(url + query.replace(";", "%3B"))
    assert response.status_code == 400, response.json()
    message = response.json()["message"]
    assert query.split("=")[0].replace("%3B", ";") in message and needle in message
