"""Every page requires a login; the login page itself does not."""
from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/api/docs/"])
def test_an_anonymous_visitor_is_sent_to_the_login_page(client: Client, url: str) -> None:
    response = client.get(url)
    if url.startswith("/api/"):
        assert response.status_code in (401, 403)
    else:
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_admin_needs_a_login(client: Client) -> None:
    response = client.get("/admin/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_login_page_is_served_to_anybody(client: Client) -> None:
    response = client.get("/login/")
    assert response.status_code == 200
    assert b'data-testid="login-username"' in response.content


def test_logging_in_shows_the_home_page_with_demo_cases(client: Client, viewer: User) -> None:
    from django.core.management import call_command

    call_command("load_demo", stdout=open("/dev/null", "w"))
    response = client.post("/login/", {"username": "viewer", "password": PASSWORD}, follow=True)
    assert response.status_code == 200
    assert b"Phishing email reported by finance" in response.content
    assert b'data-testid="current-user"' in response.content


def test_a_wrong_password_is_refused(client: Client, viewer: User) -> None:
    response = client.post("/login/", {"username": "viewer", "password": "nope"})
    assert response.status_code == 200 and b'data-testid="login-error"' in response.content


def test_the_openapi_schema_and_swagger_ui_are_served_to_a_user(client: Client, viewer: User) -> None:
    client.login(username="viewer", password=PASSWORD)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"/rest/container" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()


def test_the_health_check_is_public(client: Client) -> None:
    assert client.get("/healthz").json()["ok"] is True
