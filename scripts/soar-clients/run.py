"""Drive independently written SOAR REST client libraries from PyPI, unmodified, against our server.

    .venv/bin/python scripts/soar-clients/run.py                  # all libraries
    .venv/bin/python scripts/soar-clients/run.py soarsdk          # some of them
    .venv/bin/python scripts/soar-clients/run.py --commit HEAD    # the server of a commit, not the work tree
    .venv/bin/python scripts/soar-clients/run.py --markdown docs/soar-clients.md
    .venv/bin/python scripts/soar-clients/run.py --workdir /tmp/x     # server data and results elsewhere

Each library gets its own venv under var/soar-clients/venvs/<name> (its pinned release and
nothing of the product's requirements; made once, remade when the pin changes). The server
is started as `make run` starts it, on a throwaway SQLite under var/soar-clients/server
(see server.py). Each driver (drivers/<name>_driver.py) runs in its library's venv and
calls the library's methods one by one (drivers/harness.py says what "works" means).

Printed: one row per library (version, calls tried, calls working), then every failing
call with the HTTP status and message it got. The full results are written to
var/soar-clients/last-run.json; --markdown rewrites the results section of a document
(between the `<!-- soar-clients:results -->` markers). Exit code 0 even when calls fail:
the share is a figure, not a test.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
VAR = ROOT / "var" / "soar-clients"  # the venvs live here; --workdir moves the rest
sys.path.insert(0, str(HERE))

from server import Server, TlsProxy  # noqa: E402 - this folder is no package


@dataclass(frozen=True)
class Library:
    name: str  # also the driver's module name: drivers/<module>_driver.py
    distribution: str
    version: str
    summary: str
    python: tuple[int, int] = (3, 12)  # the lowest Python the release installs on
    extra: tuple[str, ...] = ()  # pins the release needs to import at all
    tls: bool = False  # the library builds https:// URLs only
    notes: list[str] = field(default_factory=list)

    @property
    def module(self) -> str:
        return self.name.replace("-", "_")


LIBRARIES = [
    Library("splunk-soar-mcp", "splunk-soar-mcp", "0.1.1",
            "MCP server for Splunk SOAR; its tools are called in-process through MCPServer.call_tool"),
    Library("soarsdk", "soarsdk", "1.0.1", "API wrapper and objects for Splunk SOAR (PhantomClient)"),
    Library("splunkctl", "splunkctl", "0.13.0",
            "MCP server and CLI for Splunk and SOAR; its `soar` CLI commands are run in-process",
            python=(3, 13), tls=True),
    Library("pyphantomapi", "pyphantomapi", "1.0.0", "Python wrapper for the Splunk Phantom API"),
    Library("phantomrestclient", "phantomrestclient", "1.0.0", "A wrapper library around the Phantom REST API",
            extra=("requests", "urllib3<2")),  # it imports requests without declaring it
]


# --- venvs ------------------------------------------------------------------------------
def find_python(minimum: tuple[int, int]) -> str | None:
    """A Python >= minimum with ssl (pyenv shims may exist and not run, so each is probed)."""
    names = [f"python3.{minor}" for minor in range(minimum[1], 16)] + ["python3"]
    pyenv = Path(os.environ.get("PYENV_ROOT", str(Path.home() / ".pyenv"))) / "versions"
    candidates = [shutil.which(n) or "" for n in names]
    candidates += sorted(str(p / "bin" / "python3") for p in pyenv.glob("3.*"))
    candidates += [sys.executable]
    probe = f"import sys, ssl, venv; assert sys.version_info >= {minimum!r}"
    for c in candidates:
        if c and subprocess.run([c, "-c", probe], capture_output=True).returncode == 0:
            return c
    return None


def ensure_venv(lib: Library) -> tuple[Path | None, str]:
    """The library's venv python, made if missing or pinned differently; else None and why."""
    venv = VAR / "venvs" / lib.name
    spec = " ".join([f"{lib.distribution}=={lib.version}", *lib.extra])
    marker = venv / "soar-clients-spec.txt"
    python = venv / "bin" / "python"
    if python.exists() and marker.exists() and marker.read_text() == spec:
        return python, ""
    interpreter = find_python(lib.python)
    if interpreter is None:
        return None, f"needs Python >= {lib.python[0]}.{lib.python[1]}; none found"
    shutil.rmtree(venv, ignore_errors=True)
    made = subprocess.run([interpreter, "-m", "venv", str(venv)], capture_output=True, text=True)
    if made.returncode != 0:
        return None, f"venv failed: {made.stderr.strip()[-300:]}"
    installed = subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                                *spec.split()], capture_output=True, text=True, timeout=900)
    if installed.returncode != 0:
        return None, f"pip install {spec} failed: {installed.stderr.strip()[-300:]}"
    marker.write_text(spec)
    return python, ""


# --- the server's tree ----------------------------------------------------------------------
def export_commit(rev: str, workdir: Path) -> Path:
    """The committed tree of rev, for a run that must not see others' unfinished edits."""
    target = workdir / "tree"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    with tempfile.TemporaryFile() as archive:
        subprocess.run(["git", "archive", rev], cwd=ROOT, stdout=archive, check=True)
        archive.seek(0)
        with tarfile.open(fileobj=archive) as tar:
            tar.extractall(target, filter="data")
    return target


# --- running the drivers --------------------------------------------------------------------
def run_driver(lib: Library, python: Path, server: Server, tls_url: str, workdir: Path) -> dict[str, Any]:
    out = workdir / "results" / f"{lib.name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    # requests lets REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE override a session's verify=False (its
    # issue 3829), which would stop a library that is told not to verify our self-signed front.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SOAR_", "DJANGO_", "SPLUNK_"))
           and k not in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")}
    env.update({
        "PYTHONPATH": str(HERE / "drivers"),
        "SOAR_CLIENTS_OUT": str(out),
        "SOAR_CLIENTS_DEBUG": os.environ.get("SOAR_CLIENTS_DEBUG", ""),
        "SOAR_CLIENTS_BASE_URL": server.base_url,
        "SOAR_CLIENTS_TLS_URL": tls_url,
        "SOAR_CLIENTS_TOKEN": server.seed["token"],
        "SOAR_CLIENTS_USERNAME": server.username,
        "SOAR_CLIENTS_PASSWORD": server.password,
        "SOAR_CLIENTS_SEED": json.dumps({k: v for k, v in server.seed.items() if k != "token"}),
    })
    workdir = Path(tempfile.mkdtemp(prefix=f"soar-clients-{lib.name}-"))  # no stray .env or config
    began = time.monotonic()
    try:
        done = subprocess.run([str(python), str(HERE / "drivers" / f"{lib.module}_driver.py")], cwd=workdir,
                              env=env, capture_output=True, text=True, timeout=900)
        stderr = done.stderr
        out.with_suffix(".stderr").write_text(stderr)  # the driver's own messages, for debugging it
    except subprocess.TimeoutExpired as exc:
        stderr = f"driver timed out after {exc.timeout}s"
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if not out.exists():
        return {"library": lib.name, "version": lib.version, "note": "", "results": [],
                "error": "driver wrote no results: " + stderr.strip()[-600:]}
    result: dict[str, Any] = json.loads(out.read_text())
    result["seconds"] = round(time.monotonic() - began, 1)
    return result


FAMILIES = [  # the endpoint families, by first path segment after /rest/
    ("containers", {"container", "artifact"}),
    ("actions", {"action_run", "app_run", "app", "asset", "build_action", "app_status", "approval"}),
    ("case work", {"note", "container_comment", "evidence", "container_attachment", "container_status",
                   "severity", "container_pin", "pin", "indicator", "indicator_cef_filter", "cef", "cef_metadata",
                   "custom_field", "workbook_template", "workbook_phase_template", "workbook_task_template",
                   "workbook_phase", "workbook_task", "decided_list", "container_options", "workflow", "tag"}),
    ("vault/search", {"vault_add", "vault_info", "vault_document", "vault_delete", "search", "download_attachment"}),
    ("people/platform", {"ph_user", "role", "user_settings", "audit", "system_settings", "version", "system_info",
                         "health", "license", "scm", "cluster_node", "feature_flag", "ingestion_status",
                         "widget_data", "warm_standby", "ph_tenant", "tenant"}),
    ("playbooks", {"playbook", "playbook_run", "playbooks", "custom_function", "import_custom_function",
                   "import_playbook"}),
]


PREFIXES = [("indicator", "case work"), ("workbook", "case work"), ("container_", "case work"),
            ("vault", "vault/search"), ("playbook", "playbooks"), ("app", "actions"), ("action", "actions")]


def family_of(row: dict[str, Any]) -> str:
    if row.get("family"):
        return str(row["family"])
    path = str(row.get("path") or "")
    if row.get("status") in (401, 403, 415):  # authentication, body encoding
        return "conventions"
    if path and not path.startswith("/rest/"):
        return "outside /rest/"
    segment = path.removeprefix("/rest/").split("/")[0]
    for family, segments in FAMILIES:
        if segment in segments:
            return family
    for prefix, family in PREFIXES:
        if segment.startswith(prefix):
            return family
    return "conventions" if not segment else f"other ({segment})"


# --- reporting ----------------------------------------------------------------------------
def counted(r: dict[str, Any]) -> list[dict[str, Any]]:
    """The calls that measure our server: not those that fail on any server (library defects)."""
    return [c for c in r.get("results", []) if not c.get("defect")]


def summary_rows(results: list[dict[str, Any]]) -> list[tuple[str, str, int, int]]:
    rows = []
    for r in results:
        calls = counted(r)
        rows.append((r["library"], r.get("version", ""), len(calls), sum(1 for c in calls if c["ok"])))
    return rows


def defects(results: list[dict[str, Any]]) -> list[str]:
    def short(message: str) -> str:  # no machine paths in the document
        return re.sub(r"\s*\(/[^)]*\)", "", message)[:160]

    return [f"{r['library']} {c['call']}: {c['defect']} ({short(c['message'])})"
            for r in results for c in r.get("results", []) if c.get("defect")]


FAMILY_ORDER = ["conventions", "containers", "actions", "case work", "vault/search", "people/platform", "playbooks"]


def family_rows(results: list[dict[str, Any]]) -> list[tuple[str, int, int]]:
    """Calls tried and working per endpoint family (a call's family: its failing or last request)."""
    tally: dict[str, list[int]] = {}
    for r in results:
        for c in counted(r):
            row = tally.setdefault(family_of(c), [0, 0])
            row[0] += 1
            row[1] += int(c["ok"])
    order = FAMILY_ORDER + sorted(set(tally) - set(FAMILY_ORDER))
    return [(family, tally[family][0], tally[family][1]) for family in order if family in tally]


def failure_line(call: dict[str, Any]) -> str:
    where = f"{call['method']} {call['path']}".strip()
    status = call["status"] if call["status"] is not None else "-"
    return f"{call['call']}: {where or '(no request)'} -> {status} {call['message']}".rstrip()


def text_report(results: list[dict[str, Any]]) -> str:
    lines = [f"{'library':<20} {'version':<10} {'tried':>6} {'working':>8} {'share':>7}"]
    total_tried = total_ok = 0
    for name, version, tried, ok in summary_rows(results):
        total_tried += tried
        total_ok += ok
        share = f"{100 * ok / tried:.0f}%" if tried else "-"
        lines.append(f"{name:<20} {version:<10} {tried:>6} {ok:>8} {share:>7}")
    share = f"{100 * total_ok / total_tried:.0f}%" if total_tried else "-"
    lines.append(f"{'all':<20} {'':<10} {total_tried:>6} {total_ok:>8} {share:>7}")
    lines.append(f"\n{'endpoint family':<31} {'tried':>6} {'working':>8}")
    lines += [f"{family:<31} {tried:>6} {ok:>8}" for family, tried, ok in family_rows(results)]
    for r in results:
        if r.get("error"):
            lines.append(f"\n{r['library']}: {r['error']}")
        failing = [c for c in counted(r) if not c["ok"]]
        if failing:
            lines.append(f"\n{r['library']} {r.get('version', '')}: {len(failing)} failing")
            for c in failing:
                lines.append(f"  [{family_of(c)}] {failure_line(c)}")
    found = defects(results)
    if found:
        lines.append("\nnot counted (fail on any server, read in the library's source):")
        lines += [f"  {line}" for line in found]
    return "\n".join(lines)


def markdown_report(results: list[dict[str, Any]], when: str, commit: str) -> str:
    out = [f"Last run: {when}, server from {commit}.", "",
           "| library | version | calls tried | calls working | share |", "|---|---|---|---|---|"]
    total_tried = total_ok = 0
    for name, version, tried, ok in summary_rows(results):
        total_tried += tried
        total_ok += ok
        out.append(f"| {name} | {version} | {tried} | {ok} | {f'{100 * ok / tried:.0f}%' if tried else '-'} |")
    out.append(f"| **all** | | {total_tried} | {total_ok} | "
               f"{f'{100 * total_ok / total_tried:.0f}%' if total_tried else '-'} |")
    out += ["", "| endpoint family | calls tried | calls working |", "|---|---|---|"]
    out += [f"| {family} | {tried} | {ok} |" for family, tried, ok in family_rows(results)]
    by_family: dict[str, list[str]] = {}
    for r in results:
        if r.get("error"):
            by_family.setdefault("harness", []).append(f"{r['library']}: {r['error']}")
        for c in counted(r):
            if not c["ok"]:
                line = failure_line(c).replace("|", "\\|")
                by_family.setdefault(family_of(c), []).append(f"{r['library']} `{line}`")
    out += ["", "### Failing calls by endpoint family", ""]
    for family in FAMILY_ORDER + sorted(set(by_family) - set(FAMILY_ORDER)):
        if family in by_family:
            out.append(f"**{family}** ({len(by_family[family])})")
            out.append("")
            out += [f"- {line}" for line in by_family[family]]
            out.append("")
    found = defects(results)
    if found:
        out += ["### Not counted: calls that fail on any server (defects read in the library's source)", ""]
        out += [f"- {line}" for line in found]
    return "\n".join(out).rstrip() + "\n"


def write_markdown(path: Path, section: str) -> None:
    begin, end = "<!-- soar-clients:results -->", "<!-- /soar-clients:results -->"
    text = path.read_text(encoding="utf-8") if path.exists() else f"{begin}\n{end}\n"
    head, _, rest = text.partition(begin)
    _, _, tail = rest.partition(end)
    path.write_text(f"{head}{begin}\n{section}{end}{tail}", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("libraries", nargs="*", help="names to run (default: all)")
    parser.add_argument("--commit", help="serve this commit's tree (git archive) instead of the work tree")
    parser.add_argument("--markdown", type=Path, help="rewrite the results section of this document")
    parser.add_argument("--workdir", type=Path, default=VAR,
                        help="server data, results and last-run.json (default var/soar-clients)")
    args = parser.parse_args()
    chosen = [lib for lib in LIBRARIES if not args.libraries or lib.name in args.libraries]
    unknown = set(args.libraries) - {lib.name for lib in LIBRARIES}
    if unknown:
        parser.error(f"unknown libraries: {', '.join(sorted(unknown))}")
    workdir: Path = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)

    venvs: dict[str, Path] = {}
    results: list[dict[str, Any]] = []
    for lib in chosen:
        python, why = ensure_venv(lib)
        if python is None:
            results.append({"library": lib.name, "version": lib.version, "results": [], "error": why})
        else:
            venvs[lib.name] = python

    tree = export_commit(args.commit, workdir) if args.commit else ROOT
    commit = subprocess.run(["git", "rev-parse", "--short", args.commit or "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()
    commit = commit if args.commit else f"the work tree at {commit}"
    server = Server(tree, workdir / "server", str(ROOT / ".venv" / "bin" / "python"))
    proxy: TlsProxy | None = None
    try:
        server.start()
        if any(lib.tls for lib in chosen if lib.name in venvs):
            proxy = TlsProxy(int(server.base_url.rsplit(":", 1)[1]), workdir / "server")
            proxy.start()
        tls_url = f"https://127.0.0.1:{proxy.port}" if proxy else ""
        for lib in chosen:
            if lib.name in venvs:
                print(f"running {lib.name} ...", file=sys.stderr, flush=True)
                results.append(run_driver(lib, venvs[lib.name], server, tls_url, workdir))
    finally:
        if proxy is not None:
            proxy.stop()
        server.stop()

    order = {lib.name: i for i, lib in enumerate(LIBRARIES)}
    results.sort(key=lambda r: order.get(r["library"], 99))
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    (workdir / "last-run.json").write_text(json.dumps({"when": when, "server": commit, "results": results}, indent=1))
    print(text_report(results))
    if args.markdown:
        write_markdown(args.markdown, markdown_report(results, when, commit))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
