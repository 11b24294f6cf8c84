"""SOAR's REST conventions ("Using the REST API", "Query for Data"): authentication by token
in the header, as the Basic-auth password or in the URL's user info; JSON bodies whatever
their Content-Type; filter values in the docs' forms; a field's own URL; the JSON envelope
of routes that do not exist."""
from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from rest_framework.test import APIClient

from tests.conftest import PASSWORD
from tests.rest.conftest import basic_token_auth, issue_token

pytestmark = pytest.mark.django_db


def _client(**headers: str) -> APIClient:
    client = APIClient()
    client.credentials(**headers)
    return client


# --- authentication -------------------------------------------------------------------------
@pytest.mark.parametrize("username", ["", "anyone", "owner"])
def test_it_takes_the_token_as_the_basic_auth_password_whatever_the_username(owner: Any, username: str) -> None:
    client = _client(HTTP_AUTHORIZATION=basic_token_auth(issue_token(owner), username))
    response = client.get("/rest/container")
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_it_takes_the_token_in_the_urls_user_info(owner: Any, make_container: Any) -> None:
    # https://:<token>@host/rest/container/1 reaches the server as Basic auth with no username.
    container = make_container(name="from the URL")
    client = _client(HTTP_AUTHORIZATION=basic_token_auth(issue_token(owner)))
    assert client.get(f"/rest/container/{container.pk}").json()["name"] == "from the URL"


def test_the_token_as_password_acts_with_its_users_role(viewer: Any) -> None:
    client = _client(HTTP_AUTHORIZATION=basic_token_auth(issue_token(viewer)))
    assert client.get("/rest/container").status_code == 200
    response = client.post("/rest/container", {"name": "x", "label": "events"}, format="json")
    assert response.status_code == 403 and response.json()["failed"] is True


def test_a_wrong_token_as_password_is_a_401_with_the_envelope(owner: Any) -> None:
    response = _client(HTTP_AUTHORIZATION=basic_token_auth("not-a-token")).get("/rest/container")
    assert response.status_code == 401
    assert response.json() == {"failed": True, "message": "invalid ph-auth-token"}


def test_a_username_and_password_still_work_as_basic_auth(owner: Any) -> None:
    response = _client(HTTP_AUTHORIZATION=basic_token_auth(PASSWORD, "owner")).get("/rest/container")
    assert response.status_code == 200


def test_a_wrong_password_is_a_401_with_the_envelope(owner: Any) -> None:
    response = _client(HTTP_AUTHORIZATION=basic_token_auth("wrong", "owner")).get("/rest/container")
    assert response.status_code == 401 and response.json()["failed"] is True


def test_the_ph_auth_token_header_keeps_working_and_a_wrong_one_is_a_401(owner: Any) -> None:
    assert _client(HTTP_PH_AUTH_TOKEN=issue_token(owner)).get("/rest/container").status_code == 200
    response = _client(HTTP_PH_AUTH_TOKEN="nope").get("/rest/container")
    assert response.status_code == 401 and response.json()["failed"] is True


def test_the_token_of_a_deactivated_user_is_refused(owner: Any) -> None:
    token = issue_token(owner)
    owner.is_active = False
    owner.save()
    assert _client(HTTP_AUTHORIZATION=basic_token_auth(token)).get("/rest/container").status_code == 401


# --- bodies ---------------------------------------------------------------------------------
def test_it_reads_a_json_body_sent_as_a_form_like_curl_d_does(rest: APIClient) -> None:
    response = rest.post("/rest/container", '{"name": "curl -d", "label": "events"}',
                         content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200, response.json()
    assert rest.get(f"/rest/container/{response.json()['id']}").json()["name"] == "curl -d"


def test_it_reads_a_json_body_without_a_content_type(rest: APIClient) -> None:
    response = rest.generic("POST", "/rest/container", b'{"name": "bare", "label": "events"}', content_type="")
    assert response.status_code == 200, response.json()


def test_a_form_body_that_is_not_json_is_a_clear_400(rest: APIClient) -> None:
    response = rest.post("/rest/container", "name=x&label=events", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert response.json()["failed"] is True and "must be JSON" in response.json()["message"]


# --- filters --------------------------------------------------------------------------------
@pytest.fixture
def cases(make_container: Any, owner: Any) -> dict[str, Any]:
    return {
        "phish": make_container(name="Phishing", label="email", severity="high", in_case=True, owner=owner),
        "beacon": make_container(name="Beacon", label="events", severity="high"),
        "brute": make_container(name="Brute", label="events", severity="low"),
    }


def names(client: APIClient, query: str) -> list[str]:
    response = client.get("/rest/container?" + quote(query, safe="=&_"))
    assert response.status_code == 200, response.json()
    return sorted(row["name"] for row in response.json()["data"])


@pytest.mark.parametrize("query", ["_filter_label='email'", '_filter_label="email"', "_filter_label__in=['email']",
                                   '_filter_label__in=["email", "nothing"]', "_filter_in_case=True",
                                   "_filter_in_case=true", "_filter_name__icontains='phish'"])
def test_it_filters_with_the_docs_forms_of_values(rest: APIClient, cases: dict[str, Any], query: str) -> None:
    assert names(rest, query) == ["Phishing"]


def test_it_filters_on_numbers_and_lists_of_ids(rest: APIClient, cases: dict[str, Any]) -> None:
    ids = [cases["beacon"].pk, cases["brute"].pk]
    assert names(rest, f"_filter_id__in={ids}") == ["Beacon", "Brute"]
    assert names(rest, f"_filter_id__in=({ids[0]}, {ids[1]})") == ["Beacon", "Brute"]
    assert names(rest, f"_filter_id__gt={cases['phish'].pk}") == ["Beacon", "Brute"]


def test_it_filters_on_none_with_isnull_and_python_literals(rest: APIClient, cases: dict[str, Any]) -> None:
    assert names(rest, "_filter_owner_id__isnull=True") == ["Beacon", "Brute"]
    assert names(rest, "_filter_owner_id__isnull=False") == ["Phishing"]
    assert names(rest, "_filter_owner_id=None") == ["Beacon", "Brute"]


def test_it_filters_on_the_owners_name_and_id(rest: APIClient, cases: dict[str, Any], owner: Any) -> None:
    assert names(rest, "_filter_owner_name='owner'") == ["Phishing"]
    assert names(rest, '_filter_owner_name__icontains="OWN"') == ["Phishing"]
    assert names(rest, f"_filter_owner_id={owner.pk}") == ["Phishing"]
    assert names(rest, "_exclude_owner_name='owner'") == ["Beacon", "Brute"]


def test_it_filters_artifacts_by_container_id(rest: APIClient, cases: dict[str, Any], make_artifact: Any) -> None:
    make_artifact(cases["brute"], name="vpn")
    make_artifact(cases["beacon"], name="fw")
    response = rest.get(f"/rest/artifact?_filter_container_id={cases['brute'].pk}")
    assert [row["name"] for row in response.json()["data"]] == ["vpn"]


@pytest.mark.parametrize(("query", "param"), [
    ("_filter_label=email", "_filter_label"),
    ("_filter_label={1, 2}", "_filter_label"),
    ("_filter_label=__import__('os')", "_filter_label"),
    ("_filter_name=' OR ''='", "_filter_name"),
    ("_filter_id__in=[1, 'x']", "_filter_id__in"),
    ("_filter_owner_name__gt=[1]", "_filter_owner_name__gt"),
    ("_filter_nope_name='x'", "_filter_nope_name"),
    ("_filter_in_case=1e999", "_filter_in_case"),
    ("_filter_label=" + "[" * 300 + "]" * 300, "_filter_label"),
])
def test_a_bad_filter_is_a_400_naming_the_parameter(rest: APIClient, cases: dict[str, Any], query: str, param: str) -> None:
    response = rest.get("/rest/container?" + quote(query, safe="=&_"))
    assert response.status_code == 400, response.json()
    assert param in response.json()["message"] and response.json()["failed"] is True


# --- a field's own URL ------------------------------------------------------------------------
def test_a_fields_url_answers_the_fields_value(rest: APIClient, make_container: Any) -> None:
    container = make_container(name="case one", tags=["a", "b"])
    assert rest.get(f"/rest/container/{container.pk}/name").json() == "case one"
    assert rest.get(f"/rest/container/{container.pk}/tags").json() == ["a", "b"]
    assert rest.get(f"/rest/container/{container.pk}/id").json() == container.pk


def test_a_fields_url_of_an_unknown_field_is_a_json_404_naming_it(rest: APIClient, make_container: Any) -> None:
    container = make_container()
    response = rest.get(f"/rest/container/{container.pk}/nope")
    assert response.status_code == 404
    assert response.json()["failed"] is True and "'nope'" in response.json()["message"]


def test_a_fields_url_of_a_missing_object_is_a_json_404(rest: APIClient) -> None:
    response = rest.get("/rest/container/999999/name")
    assert response.status_code == 404 and response.json()["failed"] is True


def test_a_fields_url_answers_for_other_types_too(rest: APIClient, make_container: Any, make_artifact: Any) -> None:
    artifact = make_artifact(make_container(), name="ip", cef={"sourceAddress": "10.0.0.1"})
    assert rest.get(f"/rest/artifact/{artifact.pk}/cef").json() == {"sourceAddress": "10.0.0.1"}


def test_the_families_own_sub_resources_still_win_over_field_urls(rest: APIClient, make_container: Any,
                                                                  make_artifact: Any) -> None:
    container = make_container()
    make_artifact(container, name="ip")
    response = rest.get(f"/rest/container/{container.pk}/artifacts")
    assert response.status_code == 200
    assert [row["name"] for row in response.json()["data"]] == ["ip"]


def test_a_fields_url_needs_a_role(make_container: Any, outsider: Any) -> None:
    container = make_container()
    response = _client(HTTP_PH_AUTH_TOKEN=issue_token(outsider)).get(f"/rest/container/{container.pk}/name")
    assert response.status_code == 403 and response.json()["failed"] is True


def test_a_fields_url_cannot_be_written(rest: APIClient, make_container: Any) -> None:
    container = make_container()
    response = rest.post(f"/rest/container/{container.pk}/name", {"name": "x"}, format="json")
    assert response.status_code == 405 and response.json()["failed"] is True


# --- routes that do not exist, methods and trailing slashes -----------------------------------------
@pytest.mark.parametrize("url", ["/rest/nope", "/rest/container/1/nope/x", "/rest/", "/rest/container/x/name"])
def test_an_unknown_route_answers_the_json_envelope(rest: APIClient, url: str) -> None:
    response = rest.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json" and response.json()["failed"] is True


def test_a_wrong_method_is_a_405_with_the_envelope(rest: APIClient, make_container: Any) -> None:
    response = rest.put(f"/rest/container/{make_container().pk}", {"name": "x"}, format="json")
    assert response.status_code == 405
    assert response.json()["failed"] is True and "PUT" in response.json()["message"]


def test_a_trailing_slash_is_served_like_the_route_without_it(rest: APIClient, make_container: Any) -> None:
    container = make_container(name="slashed")
    assert rest.get("/rest/container/").json()["count"] == 1
    assert rest.get(f"/rest/container/{container.pk}/").json()["name"] == "slashed"
    assert rest.get(f"/rest/container/{container.pk}/name/").json() == "slashed"
    created = rest.post("/rest/container/", {"name": "posted", "label": "events"}, format="json")
    assert created.status_code == 200 and created.json()["success"] is True


def test_a_trailing_slash_does_not_skip_authentication(make_container: Any) -> None:
    response = APIClient().get("/rest/container/")
    assert response.status_code == 401 and response.json()["failed"] is True
