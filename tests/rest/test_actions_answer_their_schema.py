"""The action, app, asset and app status routes' answers for rows that exist match the OpenAPI schema
(the schema fuzz test mostly reaches them with ids that find nothing)."""
from __future__ import annotations

import base64
import json
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from werkzeug.test import Client

from engine.models import ApiToken, Asset
from tests.api.test_schema_matches_the_api import keep_the_test_connection  # noqa: F401 - the fixture
from tests.rest.test_actions_run import GEO_APP
from tests.rest.test_apps import APP_JSON, tgz

pytestmark = pytest.mark.django_db


def test_the_answers_for_real_action_runs_apps_and_assets_match_the_schema(owner: Any, make_container: Any) -> None:
    schema = schemathesis.openapi.from_dict(
        json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True))))
    client = Client(WSGIHandler())
    auth = {"ph-auth-token": ApiToken.issue(owner)[1], "Accept-Encoding": "identity"}

    def call(method: str, template: str, body: Any = None, **ids: int) -> Any:
        response = client.open(template.format(**ids), method=method, headers=auth, json=body)
        assert response.status_code < 300, (method, template, response.get_data()[:300])
        schema[template.split("?")[0]][method].validate_response(response)
        return json.loads(response.get_data())

    geo = call("POST", "/rest/app", {"app": base64.b64encode(json.dumps(GEO_APP).encode()).decode()})["id"]
    acme = call("POST", "/rest/app", {"app": base64.b64encode(tgz(APP_JSON)).decode()})["id"]
    asset = call("POST", "/rest/asset", {"name": "maxmind", "app_id": geo, "configuration": {"api_key": "k-12345"}})
    call("POST", "/rest/asset", {"name": "acme", "product_vendor": "Acme", "product_name": "Intel"})
    Asset.objects.create(name="off", app_id=acme, disabled=True)
    container = make_container(name="case")
    run = call("POST", "/rest/action_run", {"action": "geolocate ip", "container_id": container.pk, "name": "geo",
                                            "targets": [{"assets": ["maxmind"], "parameters": [{"ip": "1.1.1.1"}]}]})
    app_run = call("GET", "/rest/action_run/{id}/app_runs", id=run["action_run_id"])["data"][0]["id"]
    for template, ids in [("/rest/action_run/{id}", {"id": run["action_run_id"]}), ("/rest/action_run", {}),
                          ("/rest/app_run/{id}", {"id": app_run}), ("/rest/app_run", {}),
                          ("/rest/app/{id}", {"id": geo}), ("/rest/app", {}), ("/rest/app/{id}/actions", {"id": acme}),
                          ("/rest/app_action", {}), ("/rest/asset/{id}", {"id": asset["id"]}), ("/rest/asset", {}),
                          ("/rest/build_action", {}), ("/rest/build_action?action=block ip", {})]:
        call("GET", template, **ids)
    call("POST", "/rest/app/{id}", {"disabled": True}, id=acme)
    call("POST", "/rest/asset/{id}/test", {}, id=asset["id"])
    call("GET", "/rest/app_status", {})
    call("GET", "/rest/app_status/{id}", id=asset["id"])
