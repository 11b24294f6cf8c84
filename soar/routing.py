"""Websocket routes of every app, gathered in one list for soar.asgi."""
from __future__ import annotations

from typing import Any

from channels.generic.websocket import AsyncWebsocketConsumer
from django.urls import path, re_path

from engine.consumers import CLOSE_NOT_FOUND, ContainerConsumer, RunConsumer


class NotFoundConsumer(AsyncWebsocketConsumer):  # type: ignore[misc]
    """Any other path, an id too large to be stored among them: refused as not found, where
    the router would raise (a server error)."""

    async def connect(self) -> None:
        await self.close(code=CLOSE_NOT_FOUND)


websocket_urlpatterns: list[Any] = [
    path("ws/runs/<id:run_id>/", RunConsumer.as_asgi()),
    path("ws/containers/<id:container_id>/", ContainerConsumer.as_asgi()),
    re_path(r"", NotFoundConsumer.as_asgi()),
]
