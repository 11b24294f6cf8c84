"""Deleting a row that other rows protect (an app its assets use, a playbook that has runs)
answers 409 in SOAR's error envelope, naming what uses it, and deletes nothing. Every DELETE
route of the URL conf is tried against every such row, so a new route or a new protecting
foreign key is covered without being listed here."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.db import models
from django.urls import URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from editor.models import Playbook
from engine.models import App, Asset, Container, PlaybookRun
from tests.conftest import token_client
from tests.engine.conftest import python_playbook

pytestmark = pytest.mark.django_db


def _app_with_assets() -> tuple[models.Model, list[models.Model]]:
    app = App.objects.create(appid="in-use-app", name="In use", version="1.0")
    return app, [Asset.objects.create(name=name, app=app) for name in ("vt_primary", "vt_backup")]


def _playbook_with_runs() -> tuple[models.Model, list[models.Model]]:
    playbook = python_playbook("in use", "def on_start(container):\n    pass\n\ndef on_finish(container, summary):\n    pass\n")
    container = Container.objects.create(name="case", label="events")
    return playbook, [PlaybookRun.objects.create(playbook=playbook, container=container,
                                                 playbook_version=playbook.current()) for _ in range(2)]


# A row in use, and the rows that use it, for every model a foreign key protects.
SCENARIOS: dict[type[models.Model], Callable[[], tuple[models.Model, list[models.Model]]]] = {
    App: _app_with_assets,
    Playbook: _playbook_with_runs,
}


def _protected_models() -> set[type[models.Model]]:
    return {field.related_model for model in apps.get_models() for field in model._meta.get_fields()
            if isinstance(field, models.ForeignKey) and field.remote_field.on_delete in (models.PROTECT, models.RESTRICT)
            and not model._meta.app_label.startswith("django")}


def _delete_routes() -> list[tuple[str, Any]]:
    found = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, route)
                continue
            view = getattr(entry.callback, "view_class", None)
            if (isinstance(entry.pattern, RoutePattern) and set(entry.pattern.converters) == {"pk"}
                    and view is not None and hasattr(view, "delete")):
                found.append((route, view))

    walk(get_resolver().url_patterns, "")
    return found


def test_every_model_a_foreign_key_protects_has_a_scenario() -> None:
    assert _protected_models() == set(SCENARIOS)


def test_the_url_conf_has_the_delete_routes_of_protected_models() -> None:
    routes = {route for route, _ in _delete_routes()}
    assert {"rest/app/<id:pk>", "rest/playbook/<id:pk>", "api/playbooks/<id:pk>"} <= routes


def test_deleting_an_app_with_assets_names_the_assets_and_keeps_everything(owner: User) -> None:
    app, assets = _app_with_assets()
    response = token_client(owner).delete(f"/rest/app/{app.pk}")
    assert response.status_code == 409
    body = response.json()
    assert body["failed"] is True
    assert "'vt_primary'" in body["message"] and "'vt_backup'" in body["message"]
    assert body["message"].startswith(f"cannot delete app {app.pk}: it is in use by asset")
    assert App.objects.filter(pk=app.pk).exists() and Asset.objects.filter(app=app).count() == 2


@pytest.mark.parametrize("route,view", _delete_routes())
@pytest.mark.parametrize("model", list(SCENARIOS), ids=lambda m: m.__name__)
def test_no_delete_route_fails_on_a_row_in_use(route: str, view: Any, model: type[models.Model], owner: User) -> None:
    row, users = SCENARIOS[model]()
    response = token_client(owner).delete("/" + route.replace("<id:pk>", str(row.pk)).replace("<int:pk>", str(row.pk)))
    assert response.status_code < 500, f"DELETE {route}: {response.status_code} {response.content[:300]!r}"
    resource = getattr(view, "resource", None)
    if resource is not None and resource.model is model:
        assert response.status_code == 409, response.content
        body = response.json()
        assert body["failed"] is True
        assert all(f"(id {u.pk})" in body["message"] or f"{u._meta.verbose_name} {u.pk}" in body["message"]
                   for u in users), body["message"]
        assert model._default_manager.filter(pk=row.pk).exists()
        assert all(type(u)._default_manager.filter(pk=u.pk).exists() for u in users)



def test_the_schema_documents_the_conflict_on_deleting_a_protected_row() -> None:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path in ("/rest/app/{id}", "/rest/playbook/{id}"):
        assert "409" in schema["paths"][path]["delete"]["responses"], path
