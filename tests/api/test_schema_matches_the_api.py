"""Every operation in /api/schema/ answers what the schema says: schemathesis over all of them.

A fixed budget (derandomized Hypothesis, a few examples per operation plus schemathesis'
coverage cases) runs in-process over WSGI inside each test's transaction, authenticated as
the owner with a ph-auth-token so that it reaches the views; what it creates or deletes is
rolled back with the test, so no other test sees it. Checks: no 5xx, every status code and
content type documented, every JSON body valid against the documented schema.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis import checks
from schemathesis.specs.openapi import checks as openapi_checks
from werkzeug.test import Client

pytestmark = pytest.mark.django_db

SCHEMA_PATH = "/api/schema/"
# The schema the server serves, as SpectacularAPIView builds and renders it.
schema = schemathesis.openapi.from_dict(
    json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True))))
schema.app = WSGIHandler()

CHECKS = [checks.not_a_server_error, openapi_checks.status_code_conformance,
          openapi_checks.content_type_conformance, openapi_checks.response_schema_conformance]


@pytest.fixture(autouse=True)
def keep_the_test_connection() -> Iterator[None]:
    # Django closes "obsolete" connections around each request; inside the test's
    # transaction that would end it, so do what django.test.Client does.
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def owner_token(owner: Any) -> str:
    from engine.models import ApiToken

    return ApiToken.issue(owner)[1]


# The schema endpoint itself takes a second a call to build the whole document: it is
# checked once, below, instead of by the generator.
@schema.exclude(path=SCHEMA_PATH).parametrize()
@settings(max_examples=5, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_every_operation_answers_what_the_schema_says(case: Any, owner_token: str) -> None:
    # identity: the werkzeug client does not undo the gzip that /api/apps would send.
    case.call_and_validate(headers={"ph-auth-token": owner_token, "Accept-Encoding": "identity"}, checks=CHECKS)


def test_the_schema_endpoint_answers_as_documented(owner_token: str) -> None:
    client = Client(schema.app)
    response = client.get(SCHEMA_PATH, headers={"ph-auth-token": owner_token,
                                                "Accept": "application/vnd.oai.openapi+json"})
    assert response.status_code == 200
    assert json.loads(response.get_data())["paths"].keys() == schema.raw_schema["paths"].keys()
    operation = schema[SCHEMA_PATH]["GET"]
    operation.validate_response(response)
    anonymous = client.get(SCHEMA_PATH, headers={"Accept": "application/json"})
    assert anonymous.status_code == 401 and json.loads(anonymous.get_data())["failed"] is True
    operation.validate_response(anonymous)
    anonymous = client.get(SCHEMA_PATH)  # the schema view's default renderer: YAML
    assert anonymous.status_code == 401
    operation.validate_response(anonymous)


def test_what_real_objects_answer_matches_the_schema(owner_token: str) -> None:
    """Random ids mostly find nothing (404): here every route is called with rows that exist,
    so the documented success shapes are checked against real answers too."""
    from engine.models import App

    client = Client(schema.app)
    auth = {"ph-auth-token": owner_token, "Accept-Encoding": "identity"}

    def call(method: str, template: str, body: Any = None, **ids: int) -> Any:
        url = template.format(**ids)
        response = client.open(url, method=method, headers=auth, json=body)
        assert response.status_code < 300, (method, url, response.get_data()[:300])
        schema[template.split("?")[0]][method].validate_response(response)
        return json.loads(response.get_data()) if response.mimetype == "application/json" else None

    pb = call("POST", "/api/playbooks", {"name": "schema probe"})["id"]
    cid = call("POST", "/rest/container", {"name": "probe", "label": "events",
                                           "artifacts": [{"name": "a", "cef": {"sourceAddress": "10.0.0.1"}}]})["id"]
    art = call("GET", "/rest/container/{id}/artifacts", id=cid)["data"][0]["id"]
    note = call("POST", "/rest/note", {"container": cid, "title": "t", "content": "c", "note_type": "general"})["id"]
    app = App.objects.order_by("id").values_list("id", flat=True).first()
    assert app is not None
    for template, ids in [
        ("/api/playbooks/{id}", {"id": pb}), ("/api/playbooks/{id}/versions", {"id": pb}),
        ("/api/playbooks/{id}/versions/{number}", {"id": pb, "number": 1}), ("/api/playbooks/{id}/export", {"id": pb}),
        ("/api/playbooks/{id}/export?format=py", {"id": pb}), ("/api/containers/{id}/cef_fields", {"id": cid}),
        ("/rest/container/{id}", {"id": cid}), ("/rest/artifact/{id}", {"id": art}), ("/rest/note/{id}", {"id": note}),
        ("/rest/playbook/{id}", {"id": pb}), ("/rest/app/{id}", {"id": app}), ("/api/apps/{id}", {"id": app}),
    ]:
        call("GET", template, **ids)
    call("PUT", "/api/playbooks/{id}", {"json": call("GET", "/api/playbooks/{id}", id=pb)["json"], "base_version": 1},
         id=pb)
    call("POST", "/api/playbooks/{id}/compile", {"json": call("GET", "/api/playbooks/{id}", id=pb)["json"]}, id=pb)
    call("POST", "/api/playbooks/{id}/activate", id=pb)
    call("POST", "/api/playbooks/{id}/deactivate", id=pb)
    call("POST", "/api/playbooks/{id}/versions/{number}/restore", id=pb, number=1)
    copy = call("POST", "/api/playbooks/{id}/duplicate", id=pb)["id"]
    call("DELETE", "/api/playbooks/{id}", id=copy)
    call("POST", "/rest/container/{id}", {"severity": "high"}, id=cid)
    call("DELETE", "/rest/artifact/{id}", id=art)
