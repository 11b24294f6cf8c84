from __future__ import annotations

from django.apps import AppConfig


class EditorConfig(AppConfig):
    name = "editor"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from editor.builtins import connect_signals
        from editor.examples import demo  # noqa: F401  load_demo imports the example playbooks

        connect_signals()  # the engine's built-in custom functions are stored after every migrate
