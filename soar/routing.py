"""Websocket routes of every app, gathered in one list for soar.asgi."""
from __future__ import annotations

from typing import Any

from django.urls import path

from engine.consumers import ContainerConsumer, RunConsumer

websocket_urlpatterns: list[Any] = [
    path("ws/runs/<int:run_id>/", RunConsumer.as_asgi()),
    path("ws/containers/<int:container_id>/", ContainerConsumer.as_asgi()),
]
