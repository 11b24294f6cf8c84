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
from hypothesis import HealthCheck, settings
from schemathesis import checks
from schemathesis.specs.openapi import checks as openapi_checks
from werkzeug.test import Client

pytestmark = pytest.mark.django_db

SCHEMA_PATH = "/api/schema/"
# The schema the server serves, as SpectacularAPIView builds it.
schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
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
