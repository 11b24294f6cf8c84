"""Import SOAR playbooks and custom functions from files, .tgz bundles or folders."""
from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from editor.files import import_paths


class Command(BaseCommand):
    help = ("Import SOAR playbook .json files (with a .py beside them), .tgz export bundles, custom-function "
            "definitions, or folders of them. Bad files are reported and skipped; each file is imported whole or "
            "not at all.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+")

    def handle(self, *args: Any, **opts: Any) -> None:
        outcomes = import_paths(opts["paths"])
        for outcome in outcomes:
            line = outcome.line()
            self.stdout.write(self.style.ERROR(line) if outcome.status == "failed" else line)
        counts = Counter(o.status for o in outcomes)
        summary = ", ".join(f"{counts[k]} {k}" for k in ("created", "updated", "unchanged", "failed") if counts[k])
        self.stdout.write(f"{len(outcomes)} file(s): {summary or 'nothing to import'}")
        if counts["failed"]:
            raise CommandError(f"{counts['failed']} file(s) could not be imported")
