"""Compile a SOAR playbook JSON file to its Python module."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from editor import soarfile
from editor.compiler import CompileError, compile_playbook
from editor.graph.errors import SoarFormatError


class Command(BaseCommand):
    help = "Compile FILE.json (a modern SOAR playbook) to Python; prints it, or writes it with -o."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("-o", "--output")

    def handle(self, *args: Any, **opts: Any) -> None:
        path = Path(opts["file"])
        try:
            playbook = soarfile.load_playbook(path.read_bytes(), str(path), path.stem)
            result = compile_playbook(playbook)
        except OSError as exc:
            raise CommandError(str(exc)) from None
        except SoarFormatError as exc:
            raise CommandError(str(exc)) from None
        except CompileError as exc:
            raise CommandError("\n".join(e.message for e in exc.errors)) from None
        for warning in result.errors:
            self.stderr.write(f"warning: {warning.message}")
        if opts["output"]:
            Path(opts["output"]).write_text(result.source, encoding="utf-8")
            self.stdout.write(f"wrote {opts['output']}")
        else:
            self.stdout.write(result.source, ending="")
