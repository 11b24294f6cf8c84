"""Built-in Utilities app: helpers that need no outside service."""

from __future__ import annotations

from pathlib import Path

from engine.apps.utilities.connector import UtilitiesConnector

APP_JSON = Path(__file__).with_name("app.json")
CONNECTOR = UtilitiesConnector
