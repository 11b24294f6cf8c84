"""Run a playbook on a container and print the run summary as JSON."""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from engine.models import Container, PlaybookRun


class Command(BaseCommand):
    help = ("Run a stored playbook (NAME, repo/NAME or id) or a SOAR playbook file (.json graph or hand-written "
            ".py module) on a container. With --wait, execute it here to the end and print the summary.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("playbook", help="stored playbook name/id, or a .json / .py file")
        parser.add_argument("--container", type=int, required=True)
        parser.add_argument("--scope", default="new", help="new, all, or comma-separated artifact ids")
        parser.add_argument("--wait", action="store_true", help="run the tasks in this process until the run ends")
        parser.add_argument("--json", action="store_true", help="print the run summary as JSON")
        parser.add_argument("--timeout", type=float, default=600.0)
        parser.add_argument("--inputs", default="", help="JSON object of playbook inputs (input playbooks)")

    def handle(self, *args: Any, **opts: Any) -> None:
        from editor.files import store_local_playbook_file
        from engine.execution.runs import RunError, find_playbook, start_run
        from engine.execution.worker import drain
        from engine.runs_api import run_log

        container = Container.objects.filter(pk=opts["container"]).first()
        if container is None:
            raise CommandError(f"no container {opts['container']}")
        scope: Any = opts["scope"]
        if scope not in ("new", "all"):
            try:
                scope = [int(x) for x in scope.split(",") if x.strip()]
            except ValueError:
                raise CommandError("--scope is new, all or a comma-separated list of artifact ids") from None
        try:
            inputs = json.loads(opts["inputs"]) if opts["inputs"] else {}
            ref = opts["playbook"]
            # A file is stored by the editor (the engine writes no editor table).
            playbook = store_local_playbook_file(Path(ref)) if ref.endswith((".json", ".py")) else find_playbook(ref)
            run = start_run(playbook, container, scope=scope, inputs=inputs)
        except (RunError, ValueError) as exc:
            raise CommandError(str(exc)) from None
        if opts["wait"]:
            deadline = time.monotonic() + opts["timeout"]

            def finished() -> bool:
                status = PlaybookRun.objects.values_list("status", flat=True).get(pk=run.pk)
                return status in ("success", "failed", "cancelled") or time.monotonic() > deadline

            drain(until=finished)
        run.refresh_from_db()
        summary = {"id": run.pk, "playbook": run.playbook.name, "container": container.pk, "status": run.status,
                   "message": run.message, "failed_block": run.failed_block, "outputs": run.outputs, **run_log(run)}
        if opts["json"]:
            self.stdout.write(json.dumps(summary, indent=2, default=str))
        else:
            self.stdout.write(f"run {run.pk}: {run.status} {run.message}".rstrip())
        if opts["wait"] and run.status != "success":
            raise CommandError(f"run {run.pk} ended {run.status}: {run.message}")
