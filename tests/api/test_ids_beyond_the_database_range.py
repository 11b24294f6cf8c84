"""An integer larger than the database stores (SQLite's INTEGER and PostgreSQL's bigint are
64-bit) is an id that does not exist (404) or a bad parameter (400), never a 500, in every
path and query parameter. The routes are read from the URL conf, so a new route is covered
without being listed here."""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import User
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter
from django.urls.resolvers import RoutePattern
from rest_framework.test import APIClient

from editor.models import Playbook
from engine.models import ApiToken, Artifact, Container, PlaybookRun
from soar.asgi import application
from soar.rest.resource import ResourceListView
from soar.routing import websocket_urlpatterns
from tests.conftest import token_client
from tests.engine.conftest import python_playbook

DB_INT_MAX = 2**63 - 1  # spelled out, not imported: the test must also run on code without soar.ids
HUGE = str(2**64)
JUST_ABOVE = str(DB_INT_MAX + 1)
METHODS = ("get", "post", "put", "patch", "delete")


def _walk(patterns: list[Any], prefix: str = "", converters: dict[str, Any] | None = None
          ) -> Iterator[tuple[str, dict[str, Any], URLPattern]]:
    for entry in patterns:
        found = dict(converters or {})
        if isinstance(entry.pattern, RoutePattern):
            found.update(entry.pattern.converters)
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, route, found)
        else:
            yield route, found, entry


HTTP_ROUTES = list(_walk(get_resolver().url_patterns))
WS_ROUTES = list(_walk(websocket_urlpatterns))


def _integer_routes() -> list[tuple[str, str]]:
    """(route, parameter) for every integer path parameter of the project's own routes."""
    return [(route, name) for route, converters, _ in HTTP_ROUTES if not route.startswith("admin/")
            for name, converter in converters.items() if converter.regex == "[0-9]+"]


def _list_views() -> list[tuple[str, type[ResourceListView]]]:
    return [(route, view) for route, converters, entry in HTTP_ROUTES if not converters
            and isinstance(getattr(entry.callback, "view_class", None), type)
            and issubclass(entry.callback.view_class, ResourceListView)
            for view in [entry.callback.view_class]]


@pytest.fixture
def world(db: Any) -> dict[str, int]:
    """One row of each kind the routes name, so the parameter not being tested exists."""
    container = Container.objects.create(name="case", label="events", tags=["a"], data={"k": 1})
    Artifact.objects.create(container=container, name="a", cef={"k": 1})
    playbook = python_playbook("p", "def on_start(container):\n    pass\n\ndef on_finish(container, summary):\n    pass\n")
    run = PlaybookRun.objects.create(playbook=playbook, container=container, playbook_version=playbook.current())
    return {"playbooks": playbook.pk, "container": container.pk, "containers": container.pk, "runs": run.pk,
            "playbook_run": run.pk, "number": Playbook.objects.get(pk=playbook.pk).latest_version}


def _url(route: str, huge_param: str, value: str, world: dict[str, int]) -> str:
    def fill(match: re.Match[str]) -> str:
        name = match.group(2)
        if name == huge_param:
            return value
        if name == "number":
            return str(world["number"])
        if match.group(1) == "int" or match.group(1) == "id":
            head = route.split("/")[1] if route.startswith(("api/", "rest/")) else route.split("/")[0]
            return str(world.get(head, 1))
        return "x"

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, route)


def test_no_route_takes_an_integer_of_any_length() -> None:
    unbounded = [route for route, converters, _ in HTTP_ROUTES + WS_ROUTES
                 if any(isinstance(c, IntConverter) for c in converters.values())]
    assert unbounded == [], "use <id:…> (soar.ids), which stops at the database's range"


def test_the_url_conf_has_integer_routes_to_test() -> None:
    routes = {route for route, _ in _integer_routes()}
    assert {"api/playbooks/<id:pk>/versions/<id:number>", "api/containers/<id:pk>/cef_fields",
            "rest/app/<id:pk>"} <= routes


@pytest.mark.parametrize("route,param", _integer_routes())
@pytest.mark.parametrize("value", [HUGE, JUST_ABOVE])
def test_a_path_id_beyond_the_database_range_is_not_found(route: str, param: str, value: str, owner: User,
                                                          world: dict[str, int]) -> None:
    client = token_client(owner)
    client.force_login(owner)  # the HTML pages take the session
    url = _url(route, param, value, world)
    for method in METHODS:
        response = getattr(client, method)(url, {}, format="json")
        # 405: a method the route does not take, whatever the id.
        assert response.status_code in (400, 404, 405), \
            f"{method.upper()} {url}: {response.status_code} {response.content[:300]!r}"


def test_the_largest_storable_id_is_simply_not_found(api: APIClient, world: dict[str, int]) -> None:
    for url in (f"/api/playbooks/{world['playbooks']}/versions/{DB_INT_MAX}", f"/api/runs/{DB_INT_MAX}",
                f"/rest/container/{DB_INT_MAX}"):
        assert api.get(url).status_code == 404, url


@pytest.mark.parametrize("query", [
    f"/api/runs?playbook={HUGE}", f"/api/runs?container={HUGE}", f"/api/runs?limit={HUGE}",
    "/api/runs?playbook=%C2%B2", "/api/runs?limit=1_0",
    "/api/runs/{run}?after=" + HUGE, "/api/runs/{run}?limit=" + HUGE,
    f"/rest/container/{{container}}/artifacts?page={HUGE}", f"/rest/container/{{container}}/artifacts?_filter_id={HUGE}",
])
def test_an_integer_query_parameter_beyond_the_range_is_a_bad_request(query: str, api: APIClient,
                                                                      world: dict[str, int]) -> None:
    url = query.format(run=world["runs"], container=world["container"])
    response = api.get(url)
    assert response.status_code == 400, f"{url}: {response.status_code} {response.content[:300]!r}"
    assert response.json()["failed"] is True


@pytest.mark.parametrize("search", [HUGE, JUST_ABOVE, "²", "1_0"])
def test_a_container_search_for_a_number_beyond_the_range_finds_nothing(search: str, api: APIClient,
                                                                        world: dict[str, int]) -> None:
    response = api.get("/api/containers", {"search": search})
    assert response.status_code == 200 and response.json() == []


def _rest_queries(view: type[ResourceListView]) -> list[str]:
    spec = view.resource.spec
    queries = [f"page={HUGE}", f"page_size={HUGE}", f"page={JUST_ABOVE}",
               f"_filter_id={HUGE}", f"_filter_id__gt={HUGE}", f"_filter_id__in=[1, {HUGE}]", f"_exclude_id={HUGE}"]
    for name in sorted(spec.json_objects):
        queries += [f"_filter_{name}__k={HUGE}", f"_filter_{name}__k__gt={HUGE}", f"_filter_{name}__k__in=[{HUGE}]",
                    f"_filter_{name}__k=1e400", f"_filter_{name}__k=NaN", f"_filter_{name}__k=-Infinity"]
    for name in sorted(spec.json_lists):
        queries += [f"_filter_{name}__contains={HUGE}", f"_filter_{name}__contains=1e400"]
    return queries


@pytest.mark.parametrize("route,view", _list_views())
def test_rest_paging_and_filters_beyond_the_range_are_bad_requests(route: str, view: type[ResourceListView],
                                                                   api: APIClient, world: dict[str, int]) -> None:
    for query in _rest_queries(view):
        response = api.get(f"/{route}?{query}")
        assert response.status_code == 400, f"/{route}?{query}: {response.status_code} {response.content[:300]!r}"
        assert response.json()["failed"] is True


def test_a_page_past_the_end_is_empty_however_large_the_page_size(api: APIClient, world: dict[str, int]) -> None:
    response = api.get(f"/rest/container?page=3&page_size={DB_INT_MAX // 2}")
    assert response.status_code == 200
    assert response.json() == {"count": 1, "num_pages": 1, "data": []}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("route", [route for route, converters, _ in WS_ROUTES if converters])
async def test_a_socket_for_an_id_beyond_the_range_is_refused_as_not_found(route: str, owner: User) -> None:
    key = await database_sync_to_async(lambda: ApiToken.issue(owner)[1])()
    path = "/" + re.sub(r"<(?:\w+:)?\w+>", HUGE, route) + f"?token={key}"
    comm = WebsocketCommunicator(application, path, headers=[(b"origin", b"http://127.0.0.1:8000"),
                                                             (b"host", b"127.0.0.1:8000")])
    connected, code = await comm.connect()
    assert (connected, code) == (False, 4404)


def test_the_schema_documents_path_ids_as_integers_within_the_range() -> None:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    ids = [(path, p["schema"]) for path, ops in schema["paths"].items() for op in ops.values()
           for p in op.get("parameters", []) if p["in"] == "path" and p["name"] in ("id", "number")]
    assert ids, "no path ids in the schema"
    assert [(path, s) for path, s in ids if s != {"type": "integer", "minimum": 0, "maximum": DB_INT_MAX}] == []
