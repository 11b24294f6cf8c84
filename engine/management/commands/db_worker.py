"""`manage.py db_worker`: django-tasks-db's worker command, claiming and finishing tasks
the engine's way (engine.execution.queue): the claim, a code step and its task's outcome
share one transaction. Same options; `--exclude-queues` falls back to django-tasks-db's loop.

This app is listed before django_tasks_db in INSTALLED_APPS, so this command wins.
"""
from __future__ import annotations

import logging
import random
import time
from typing import Any

from django.db import close_old_connections
from django_tasks_db.management.commands import db_worker as base

from engine.execution.worker import run_batch, settle_heap

logger = logging.getLogger("django_tasks_db")


class EngineWorker(base.Worker):
    def run(self) -> None:
        if self.excluded_queue_names:
            super().run()
            return
        logger.info("Starting worker worker_id=%s queues=%s", self.worker_id, ",".join(self.queue_names))
        if self.startup_delay and self.interval:
            time.sleep(random.random())  # noqa: S311 - spreads out workers started together
        queues = ("*",) if self.process_all_queues else tuple(self.queue_names)
        settle_heap()
        while self.running:
            self.running_task = True
            try:
                # One task at a time: a process that claimed a batch would keep its slow parts
                # (connector calls, custom functions) from workers on other machines.
                claimed = run_batch(self.worker_id, 1, queues=queues, backend=self.backend_name)
            except Exception:
                logger.exception("worker_id=%s could not claim or run a task", self.worker_id)
                claimed = 0
            finally:
                self.running_task = False
            self._run_tasks += claimed
            if self.batch and not claimed:
                logger.info("No more tasks to run for worker_id=%s - exiting gracefully.", self.worker_id)
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                logger.info("Run maximum tasks (%d) on worker=%s - exiting gracefully.", self._run_tasks, self.worker_id)
                return
            if self.running and not claimed:
                close_old_connections()
                time.sleep(self.interval)


class Command(base.Command):
    help = base.Command.help + " (engine steps run on the engine's fast path)"

    def handle(self, *args: Any, **options: Any) -> None:
        # django-tasks-db's handle() builds its Worker from the module global; point that
        # at ours for the duration of the command.
        original = base.Worker
        base.Worker = EngineWorker  # type: ignore[misc]
        try:
            super().handle(*args, **options)
        finally:
            base.Worker = original  # type: ignore[misc]
