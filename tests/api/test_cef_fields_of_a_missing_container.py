"""The CEF field picker's data: the keys of a container's artifacts; a container that does
not exist is a 404, not an empty list."""
from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from engine.models import Artifact, Container

pytestmark = pytest.mark.django_db


def test_it_lists_the_cef_keys_of_the_containers_artifacts(api: APIClient) -> None:
    container = Container.objects.create(name="case")
    Artifact.objects.create(container=container, name="a", cef={"sourceAddress": "1.2.3.4", "fileHash": "x"})
    assert api.get(f"/api/containers/{container.pk}/cef_fields").json() == ["fileHash", "sourceAddress"]


def test_a_container_that_does_not_exist_is_not_found(api: APIClient) -> None:
    Container.objects.create(name="case")
    response = api.get("/api/containers/987654/cef_fields")
    assert response.status_code == 404
    assert response.json()["failed"] is True
