"""Built-in HTTP app: REST calls against one base URL."""

from __future__ import annotations

from pathlib import Path

from engine.apps.http.connector import HttpConnector

APP_JSON = Path(__file__).with_name("app.json")
CONNECTOR = HttpConnector
