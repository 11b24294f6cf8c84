"""A URL under /rest/ or /api/ that no route matches answers the API's JSON 404, not a page."""
from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/rest/container/abc", "/rest/no_such_type", "/api/playbooks/1/nothing",
                                 "/api/containers/null,null/cef_fields", "/rest/container/%0A"])
def test_an_unknown_api_route_answers_the_json_error_envelope(api: APIClient, url: str) -> None:
    response = api.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["failed"] is True and "no API route matches" in response.json()["message"]


def test_a_post_to_an_unknown_route_is_a_404_not_a_csrf_page() -> None:
    response = Client(enforce_csrf_checks=True).post("/api/assets/x/test_connectivity")
    assert response.status_code == 404 and response.json()["failed"] is True


def test_a_known_route_without_its_slash_still_redirects_to_it(api: APIClient) -> None:
    response = api.get("/api/schema?lang=en")
    assert response.status_code == 301 and response["Location"] == "/api/schema/?lang=en"
