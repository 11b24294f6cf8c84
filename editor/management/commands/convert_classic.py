"""Convert classic SOAR playbooks (JointJS ``coa.data.joint``) to modern playbooks."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from editor import soarfile
from editor.classic import AppIndex, convert_classic
from editor.graph.errors import SoarFormatError


def classic_files(paths: list[str]) -> list[Path]:
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        out.extend(sorted(p for p in path.rglob("*.json") if p.is_file()) if path.is_dir() else [path])
    return out


class Command(BaseCommand):
    help = ("Convert classic SOAR playbook .json files (or folders of them) to modern playbooks. Writes "
            "NAME.json and the compiled NAME.py into -o DIR, prints one line per playbook and, with --report, "
            "the per-block conversion reports as JSON. Bad files are reported and skipped.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("-o", "--output", metavar="DIR", help="write the modern playbooks here")
        parser.add_argument("--report", metavar="FILE.json", help="write the conversion reports here")
        parser.add_argument("--apps", metavar="DIR",
                            help="folder of app JSON definitions to name the apps of actions (default: installed apps)")

    def handle(self, *args: Any, **opts: Any) -> None:
        apps = self._apps(opts.get("apps"))
        out_dir = Path(opts["output"]) if opts.get("output") else None
        if out_dir is not None:
            out_dir.mkdir(parents=True, exist_ok=True)
        files = classic_files(opts["paths"])
        reports: list[dict[str, Any]] = []
        counts: Counter[str] = Counter()
        for i, path in enumerate(files, start=1):
            prefix = f"[{i}/{len(files)}]"
            try:
                line, report = self._convert(path, apps, out_dir)
            except (OSError, SoarFormatError, ValueError) as exc:
                counts["failed"] += 1
                self.stdout.write(self.style.ERROR(f"{prefix} failed    {path}: {exc}"))
                continue
            except Exception as exc:  # noqa: BLE001 - one broken file must not stop the batch
                counts["failed"] += 1
                self.stdout.write(self.style.ERROR(f"{prefix} failed    {path}: unexpected {type(exc).__name__}: {exc}"))
                continue
            if report is None:
                counts["skipped"] += 1
                self.stdout.write(f"{prefix} skipped   {path}: {line}")
                continue
            counts[report["status"]] += 1
            reports.append(report)
            styled = self.style.WARNING(line) if report["status"] == "needs-review" else line
            self.stdout.write(f"{prefix} {styled}")
        if opts.get("report"):
            summary = {k: counts[k] for k in ("converted", "converted-with-changes", "needs-review", "failed", "skipped")}
            Path(opts["report"]).write_text(json.dumps({"summary": summary, "playbooks": reports}, indent=2),
                                            encoding="utf-8")
        done = len(reports)
        self.stdout.write(f"{done} of {len(files)} file(s) converted: {counts['converted']} as they were, "
                          f"{counts['converted-with-changes']} with changes, {counts['needs-review']} to review, "
                          f"{counts['skipped']} skipped, {counts['failed']} failed"
                          + ("" if out_dir else " (nothing written: use -o DIR)"))
        if counts["failed"]:
            raise CommandError(f"{counts['failed']} file(s) could not be converted")

    def _apps(self, folder: str | None) -> AppIndex:
        if folder:
            if not Path(folder).is_dir():
                raise CommandError(f"--apps {folder}: no such folder")
            return AppIndex.from_folder(folder)
        from django.db import DatabaseError

        from editor.files import classic_apps

        try:
            return classic_apps()
        except DatabaseError as exc:
            self.stderr.write(f"warning: no installed apps to name action apps with ({exc}); try --apps DIR")
            return AppIndex([])

    def _convert(self, path: Path, apps: AppIndex, out_dir: Path | None) -> tuple[str, dict[str, Any] | None]:
        if not path.is_file():
            raise OSError("no such file")
        doc = soarfile._loads(path.read_bytes(), str(path))
        kind = soarfile.detect_kind(doc)
        if kind != "classic":
            return f"not a classic playbook ({kind})", None
        py = path.with_suffix(".py")
        python = py.read_text(encoding="utf-8", errors="replace") if py.is_file() else None
        conversion = convert_classic(doc, name=path.stem, python=python, apps=apps)
        report = conversion.report
        if out_dir is not None and report.ok:
            (out_dir / f"{path.stem}.json").write_text(soarfile.dumps(conversion.playbook), encoding="utf-8")
            if conversion.source is not None:
                (out_dir / f"{path.stem}.py").write_text(conversion.source, encoding="utf-8")
        status = report.status if report.ok else "needs-review"
        extra = "" if report.ok else f" — does not compile: {report.errors[0]}"
        return f"{status:22} {path.stem}: {report.summary()}{extra}", {**report.as_dict(), "file": str(path)}
