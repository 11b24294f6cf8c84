"""Importing and exporting SOAR files: playbook .json, .json + .py pairs, .tgz bundles,
and custom-function definitions. Each file is imported whole or not at all.

The JSON text of an imported playbook is stored verbatim, so exporting an unchanged
playbook gives back the very file that was imported.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction

from editor import soarfile
from editor.classic import AppIndex, convert_classic
from editor.graph.errors import SoarFormatError
from editor.models import CustomFunction, Playbook, PlaybookVersion
from editor.models.playbooks import check_code_permission
from engine import installation

MAX_NAME = 256


@dataclass
class ImportOutcome:
    file: str
    name: str
    status: str  # created | updated | unchanged | failed
    message: str = ""
    kind: str = "playbook"
    playbook_id: int | None = None
    version: int | None = None
    report: dict[str, Any] | None = None  # the conversion report of a classic playbook

    def line(self) -> str:
        what = f"{self.kind} {self.name}" if self.name else self.file
        extra = f" (version {self.version})" if self.version else ""
        return f"{self.status:9} {what}{extra}{': ' + self.message if self.message else ''}"


def _check_name(name: str, file: str) -> str:
    if not name or len(name) > MAX_NAME or any(c in name for c in "/\\\x00\r\n"):
        raise SoarFormatError(f"unusable playbook name {name[:80]!r}", "name", file)
    return name


def import_playbook_text(name: str, json_text: str, python: str | None = None, *, file: str = "",
                         repo: str = "local", author: Any = None, message: str = "") -> ImportOutcome:
    """Store one modern playbook (a new playbook, or a new version of the one with this name)."""
    _check_name(name, file or name)
    soarfile.load_playbook(json_text, file or name, name)  # refuses malformed graphs, naming where
    with transaction.atomic():
        playbook = Playbook.objects.select_for_update().filter(repo=repo, name=name).first()
        if playbook is not None:
            current = playbook.current()
            if current is not None and current.json_text == json_text and current.python == (python or ""):
                return ImportOutcome(file, name, "unchanged", playbook_id=playbook.pk, version=current.number)
            status = "updated"
        else:
            playbook, status = Playbook(repo=repo, name=name, owner=author if getattr(author, "pk", None) else None), "created"
        version = playbook.save_version(json_text, python=python or "", author=author,
                                        message=message or f"imported from {Path(file).name or name}")
    return ImportOutcome(file, name, status, playbook_id=playbook.pk, version=version.number)


def import_custom_function_text(name: str, json_text: str, python: str | None, *, file: str = "",
                                repo: str = "local") -> ImportOutcome:
    cf = soarfile.load_custom_function(json_text, file or name, name)
    if not name.isidentifier():
        raise SoarFormatError(f"a custom function name must be a Python identifier, not {name!r}", "name", file)
    with transaction.atomic():
        row, created = CustomFunction.objects.update_or_create(
            repo=repo, name=name,
            defaults={"description": cf.description, "inputs": cf.inputs, "outputs": cf.outputs,
                      "outputs_type": cf.outputs_type or "", "json_text": json_text, "python": python or "",
                      "draft_mode": bool(cf.extra.get("draft_mode", False))},
        )
    return ImportOutcome(file, name, "created" if created else "updated", kind="custom function")


def import_bytes(file: str, data: bytes, *, python: str | None = None, author: Any = None,
                 apps: AppIndex | None = None) -> list[ImportOutcome]:
    """Import one uploaded or read file: .json (with an optional .py text) or .tgz."""
    stem = Path(file).stem
    try:
        if file.endswith((".tgz", ".tar.gz", ".tar")):
            pairs = soarfile.read_bundle(data, file)
            with transaction.atomic():  # a bundle is one file: all of it or none of it
                return [import_playbook_text(p.name, soarfile.dump_playbook(p.playbook), p.source, file=file,
                                             author=author) for p in pairs]
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise SoarFormatError(f"not UTF-8 text (byte {exc.start})", "", file) from None
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SoarFormatError(f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})", "", file) from None
        kind = soarfile.detect_kind(obj)
        if kind == "modern":
            return [import_playbook_text(stem, text, python, file=file, author=author)]
        if kind == "custom_function":
            check_code_permission(author, [f"custom function '{stem}'"])  # a custom function is code
            return [import_custom_function_text(stem, text, python, file=file)]
        if kind == "classic":
            return [import_classic(stem, obj, python, file=file, author=author, apps=apps)]
        return [ImportOutcome(file, stem, "failed", "not a SOAR playbook or custom function (no coa.data.nodes)")]
    except SoarFormatError as exc:
        return [ImportOutcome(file, stem, "failed", str(exc))]
    except DjangoValidationError as exc:  # a value too long for its column (editor.models.check_lengths)
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        return [ImportOutcome(file, stem, "failed", "; ".join(f"{k}: {' '.join(v)}" for k, v in fields.items()))]


def classic_apps() -> AppIndex:
    """The installed apps and their assets, to name the app of classic actions whose
    cells name none."""
    apps = installation.installed_apps()
    return AppIndex(apps.definitions, apps.assets)


def import_classic(name: str, doc: dict[str, Any], python: str | None = None, *, file: str = "",
                   author: Any = None, apps: AppIndex | None = None) -> ImportOutcome:
    """Convert a classic playbook and store the modern result; the outcome carries the
    conversion report.  The classic .py is only read for custom code: the stored
    version gets no .py, so exports and runs use the compiled modern module."""
    try:
        conversion = convert_classic(doc, name=name, python=python, apps=apps if apps is not None else classic_apps())
    except (ValueError, TypeError, KeyError, RecursionError) as exc:
        # A classic file malformed in a way the converter did not foresee: report it
        # like any other bad file instead of failing the whole import.
        return ImportOutcome(file, name, "failed", f"could not convert the classic playbook: {exc}",
                             kind="classic playbook")
    report = conversion.report
    if not report.ok:
        return ImportOutcome(file, name, "failed", "the converted playbook does not compile: " + "; ".join(report.errors[:3]),
                             kind="classic playbook", report=report.as_dict())
    outcome = import_playbook_text(name, soarfile.dumps(conversion.playbook), None, file=file, author=author,
                                   message=f"converted from classic {Path(file).name or name}: {report.summary()}"[:500])
    outcome.kind = "classic playbook"
    outcome.message = f"converted ({report.summary()})"
    outcome.report = report.as_dict()
    return outcome


def _files(path: Path) -> Iterator[Path]:
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            if child.is_file() and child.suffix in (".json", ".tgz", ".tar") or child.name.endswith(".tar.gz"):
                yield child
    else:
        yield path


def import_paths(paths: list[str], *, author: Any = None) -> list[ImportOutcome]:
    """Import files, bundles and folders (recursively); a .py beside a .json is its module."""
    outcomes: list[ImportOutcome] = []
    apps: AppIndex | None = None  # read once per batch: a folder of classic files needs it for each
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            outcomes.append(ImportOutcome(raw, "", "failed", "no such file or folder"))
            continue
        for file in _files(path):
            try:
                data = file.read_bytes()
            except OSError as exc:
                outcomes.append(ImportOutcome(str(file), file.stem, "failed", str(exc)))
                continue
            py = file.with_suffix(".py")
            python = py.read_text(encoding="utf-8", errors="replace") if file.suffix == ".json" and py.is_file() else None
            if apps is None and file.suffix == ".json" and b'"joint"' in data:
                apps = classic_apps()
            outcomes.extend(import_bytes(str(file), data, python=python, author=author, apps=apps))
    return outcomes


# -- export ------------------------------------------------------------------------------
def python_for(version: PlaybookVersion) -> str:
    """The module exported with a version: the .py it was imported with, else compiled."""
    if version.python:
        return version.python
    from editor.compiler import compile_playbook

    return compile_playbook(json.loads(version.json_text)).source


def export_json(playbook: Playbook) -> str:
    version = playbook.current()
    if version is None:
        raise SoarFormatError(f"{playbook.name} has no saved version", "", None)
    return version.json_text


def export_tgz(playbooks: list[Playbook]) -> bytes:
    pairs = []
    for playbook in playbooks:
        version = playbook.current()
        if version is None:
            continue
        pairs.append(soarfile.PlaybookPair(playbook.name, soarfile.load_playbook(version.json_text, playbook.name),
                                           python_for(version)))
    return soarfile.write_bundle(pairs)


def store_local_playbook_file(path: Path) -> Playbook:
    """The playbook `local/<file stem>` with the file stored as its next version (a .py
    keeps its code; a .json compiles): how `manage.py run_playbook` runs a file. ValueError
    when the file is missing or not JSON."""
    if not path.is_file():
        raise ValueError(f"no file {path}")
    name = path.stem
    playbook = Playbook.objects.filter(repo="local", name=name).first() or Playbook(repo="local", name=name)
    if path.suffix == ".py":
        doc = {"coa": {"data": {"nodes": {}, "edges": [], "description": ""}, "playbook_type": "automation"}}
        json_text, python = json.dumps(doc), path.read_text(encoding="utf-8")
        sibling = path.with_suffix(".json")
        if sibling.is_file():
            meta = json.loads(sibling.read_text(encoding="utf-8"))
            doc["coa"]["playbook_type"] = (meta.get("coa") or {}).get("playbook_type", "automation")
            json_text = json.dumps(doc)
    else:
        json_text, python = path.read_text(encoding="utf-8"), ""
        json.loads(json_text)
    playbook.save_version(json_text, python=python, message=f"run_playbook {path.name}")
    return playbook
