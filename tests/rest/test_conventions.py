"""SOAR's REST conventions ("Using the REST API"): authentication, bodies, filters, field
detail URLs and the JSON envelope of unknown routes."""
from __future__ import annotations

from typing import Any


def test_the_shared_fixtures_make_a_container_with_an_artifact(rest: Any, make_container: Any, make_artifact: Any) -> None:
    container = make_container(name="smoke")
    make_artifact(container, cef={"sourceAddress": "1.2.3.4"})
    response = rest.get(f"/rest/container/{container.pk}")
    assert response.status_code == 200
    assert response.json()["name"] == "smoke"
