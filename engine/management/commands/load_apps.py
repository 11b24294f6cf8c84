"""``manage.py load_apps PATH...``: install or update SOAR apps in the catalogue.

Each PATH is an app's JSON definition, an app ``.tgz`` as SOAR installs it, or a folder
of either (its other JSON files are ignored). One line per app, then a summary::

    created HTTP 1.0.0 (8 actions)
    updated VirusTotal v3 1.6.2 (18 actions)
    failed apps/broken.json: actions[2].parameters.ip.data_type: expected a string, got a list
    3 apps: 1 created, 1 updated, 0 unchanged, 1 failed

A bad file is reported and skipped; every app is stored in its own transaction, so
nothing is half-imported. The exit code is 1 when any file failed.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from engine.apps import AppDefinitionError, load_app
from engine.catalogue import sync_app

_TARBALL_SUFFIXES = (".tgz", ".tar.gz", ".tar")


def _is_app_file(path: Path) -> bool:
    name = path.name.lower()
    return name.endswith(".json") or name.endswith(_TARBALL_SUFFIXES)


def _not_an_app(path: Path) -> bool:
    """True for a folder's JSON that parses but is no app definition (release notes...).

    Unreadable or broken JSON is not skipped here: ``load_app`` reports it.
    """
    if not path.name.lower().endswith(".json"):
        return False
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    return not (isinstance(data, dict) and "appid" in data and "actions" in data)


def _candidates(path: Path) -> Iterator[Path]:
    if path.is_dir():
        yield from (child for child in sorted(path.iterdir())
                    if child.is_file() and _is_app_file(child) and not _not_an_app(child))
    else:
        yield path


class Command(BaseCommand):
    help = "Install or update apps from app JSON files, app .tgz files, or folders of them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH",
                            help="an app .json, an app .tgz, or a folder of them")

    def handle(self, *args: Any, **opts: Any) -> None:
        counts: Counter[str] = Counter()
        for raw in opts["paths"]:
            path = Path(raw)
            if not path.exists():
                self.stderr.write(f"failed {path}: no such file or folder")
                counts["failed"] += 1
                continue
            for candidate in _candidates(path):
                try:
                    appdef = load_app(candidate)
                    app, outcome = sync_app(appdef)
                except AppDefinitionError as exc:
                    self.stderr.write(f"failed {exc}")
                    counts["failed"] += 1
                    continue
                counts[outcome] += 1
                self.stdout.write(f"{outcome} {app.name} {app.version} ({len(appdef.actions)} actions)")
        total = sum(counts.values())
        self.stdout.write(f"{total} app{'' if total == 1 else 's'}: {counts['created']} created, {counts['updated']} updated, "
                          f"{counts['unchanged']} unchanged, {counts['failed']} failed")
        if counts["failed"]:
            raise CommandError(f"{counts['failed']} of {total} failed; the others were loaded")
