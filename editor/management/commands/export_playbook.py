"""Export a stored playbook as SOAR's .json, .py or .tgz bundle."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from editor.files import export_json, export_tgz, python_for
from editor.models import Playbook


class Command(BaseCommand):
    help = "Export playbook NAME (or repo/NAME) as --format json|py|tgz to -o FILE."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        parser.add_argument("--format", choices=["json", "py", "tgz"], default="json")
        parser.add_argument("-o", "--output", required=True)

    def handle(self, *args: Any, **opts: Any) -> None:
        repo, _, name = opts["name"].rpartition("/")
        found = Playbook.objects.filter(name=name, **({"repo": repo} if repo else {})).order_by("pk").first()
        if found is None:
            raise CommandError(f"no playbook named {opts['name']!r}")
        out = Path(opts["output"])
        if opts["format"] == "json":
            out.write_text(export_json(found), encoding="utf-8")
        elif opts["format"] == "py":
            version = found.current()
            if version is None:
                raise CommandError(f"{found.name} has no saved version")
            out.write_text(python_for(version), encoding="utf-8")
        else:
            out.write_bytes(export_tgz([found]))
        self.stdout.write(f"wrote {out}")
