"""`manage.py db_worker`: django-tasks-db's worker command with the engine's worker
(engine.execution.worker.EngineWorker): the same options and the same claiming, plus the
recovery sweep every engine worker runs, and the runner pool started up front.

This app is listed before django_tasks_db in INSTALLED_APPS, so this command wins.
"""
from __future__ import annotations

from typing import Any

from django_tasks_db.management.commands import db_worker as base

from engine.execution.worker import EngineWorker


class Command(base.Command):
    help = base.Command.help + " (with the engine's recovery sweep)"

    def handle(self, *args: Any, **options: Any) -> None:
        # django-tasks-db's handle() builds its Worker from the module global; point that
        # at ours for the duration of the command.
        original = base.Worker
        base.Worker = EngineWorker  # type: ignore[misc]
        try:
            super().handle(*args, **options)
        finally:
            base.Worker = original  # type: ignore[misc]
