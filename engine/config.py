from __future__ import annotations

from django.apps import AppConfig


class EngineConfig(AppConfig):
    """The engine app. (Its AppConfig is not in engine/apps.py because engine/apps/ is the
    package of app connectors.)"""

    name = "engine"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from soar import ids

        # Before any URL module loads: every app's routes take ids as <id:…>.
        ids.register()
        from engine import (
            audit,  # noqa: F401  REST writes land in the audit trail
            catalogue,  # noqa: F401  built-in apps after migrate; demo assets on load_demo
            triggers,  # noqa: F401  active playbooks react to new artifacts
        )
        from engine.custom_functions import connect_signals
        from engine.execution import tasks  # noqa: F401  registers how the engine enqueues its work
        from soar.rest import schema  # noqa: F401  registers the OpenAPI auth extension

        connect_signals()  # built-in custom functions are stored after every migrate
