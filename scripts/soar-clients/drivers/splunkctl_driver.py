"""splunkctl (PyPI): its `splunkctl soar ...` CLI commands, run in-process with click's CliRunner.

splunkctl reads SOAR's address and credentials from SOAR_HOST, SOAR_PORT, SOAR_TOKEN,
SOAR_USER, SOAR_PASS and SOAR_VERIFY, and always builds https://host:port/rest, so it is
pointed at the runner's TLS front (a self-signed certificate; SOAR_VERIFY=false as for an
on-prem SOAR). Every command runs with the global `--json -y` (JSON output; mutations
carried out instead of dry-run); `playbooks import` and `functions import` get what
`playbooks export` and `functions export` wrote, and `state pull|diff|push` the SOAR types
only (playbooks, assets, lists). A command works when it exits 0 and none of its requests
was answered >= 400. Its `indicators` commands refuse to run while the `use_indicators`
feature flag is off (they read the flag's `value`; SOAR's reference shows `enabled`); the
driver turns it on first as an admin would (the POST the CLI's message names; not counted). Left out: `ingest` (reads a Splunk SIEM search),
`apps install`, `playbooks sync` (need an app bundle or a remote repository we do not
have), `playbooks delete` (a web UI form, not REST), and `actions cancel` / `playbooks runs
cancel` (they refuse, client-side, a run that has already finished, and the seeded runs
finish within a second).
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from harness import Recorder, run_driver


def enable_indicators(rec: Recorder) -> None:
    """Turn the use_indicators feature flag on, as an admin would; not a splunkctl call.

    First as splunkctl's own message says (POST /rest/feature_flag {"name", "value"}), then
    the flag's detail URL with the reference's `enabled`.
    """
    attempts = [("feature_flag", {"name": "use_indicators", "value": True}),
                ("feature_flag/use_indicators", {"enabled": True, "value": True})]
    for path, body in attempts:
        request = urllib.request.Request(f"{rec.base_url}/rest/{path}", data=json.dumps(body).encode(),
                                         method="POST", headers={"ph-auth-token": rec.token,
                                                                 "Content-Type": "application/json"})
        try:
            urllib.request.urlopen(request, timeout=30).read()
            return
        except OSError as exc:  # the indicators commands then report what they get
            print(f"could not turn use_indicators on with POST /rest/{path}: {exc}", file=sys.stderr)


def main(rec: Recorder) -> None:
    tls = urlsplit(rec.tls_base_url)
    os.environ.update({
        "SOAR_HOST": tls.hostname or "127.0.0.1", "SOAR_PORT": str(tls.port), "SOAR_TOKEN": rec.token,
        "SOAR_USER": rec.username, "SOAR_PASS": rec.password, "SOAR_VERIFY": "false",
        "HOME": tempfile.mkdtemp(prefix="splunkctl-home-"),
    })
    from click.testing import CliRunner
    from splunkctl.main import cli

    runner = CliRunner()
    work = Path(tempfile.mkdtemp(prefix="splunkctl-work-"))
    seed = rec.seed

    def parsed(text: str) -> Any:
        """The JSON document after the command's progress lines ("Applying: ...")."""
        lines = text.splitlines()
        for i, line in enumerate(lines):
            if line.startswith(("[", "{")):
                try:
                    return json.loads("\n".join(lines[i:]))
                except ValueError:
                    continue
        return None

    def soar(*args: Any, family: str = "") -> Any:
        return command("soar", *args, family=family)

    def command(*args: Any, family: str = "") -> Any:
        argv = ["--json", "-y", *[str(a) for a in args]]
        name = " ".join(str(a) for a in args if not str(a).startswith(str(work)))

        def invoke() -> Any:
            return runner.invoke(cli, argv, catch_exceptions=True)

        def check(result: Any) -> str | None:
            if result.exit_code == 0:
                return None
            body = parsed(result.output or "")
            if isinstance(body, dict):
                err = body.get("error") if isinstance(body.get("error"), dict) else body
                return f"exit {result.exit_code}: {str(err.get('message') or err)[:200]}"
            detail = (result.output or "").strip() or repr(result.exception)
            return f"exit {result.exit_code}: {detail[:200]}"

        result = rec.call(name[:120], invoke, family=family, check=check)
        if os.environ.get("SOAR_CLIENTS_DEBUG") and result is not None:
            print(f"$ {name}\n{result.output[:600]}", file=sys.stderr)
        return parsed(result.output) if result is not None and result.exit_code == 0 else None

    def ident(value: Any, *keys: str) -> Any:
        """An id out of a command's JSON output, wherever that command puts it."""
        if isinstance(value, dict):
            for key in (*keys, "id"):
                if value.get(key) not in (None, ""):
                    return value[key]
            for nested in ("data", "result", "results"):
                found = ident(value.get(nested), *keys)
                if found is not None:
                    return found
        if isinstance(value, list) and value:
            return ident(value[0], *keys)
        return None

    cid, pid = seed["container_id"], seed["playbook_id"]
    # platform
    for args in (["test"], ["info"], ["health"], ["license"], ["settings"], ["stats", "--list"],
                 ["ingest-status"], ["search", "phishing"], ["audit", "--limit", "5"], ["audit", "--container", cid]):
        soar(*args)
    for vocabulary in ("severities", "statuses", "labels", "tags", "cef", "features"):
        soar("meta", vocabulary)
    # containers
    soar("containers", "list", "--label", "events", "--status", "new")
    soar("containers", "get", cid)
    for view in ("--artifacts", "--notes", "--comments", "--audit", "--activity", "--playbook-runs", "--phases"):
        soar("containers", "get", cid, view)
    new = ident(soar("containers", "create", "--name", "splunkctl container", "--label", "events",
                     "--severity", "medium", "--description", "made by splunkctl"), "container_id")
    new = new or cid
    soar("containers", "update", new, "--severity", "high", "--status", "open")
    soar("containers", "assign", new, "--owner", rec.username)
    # artifacts
    soar("artifacts", "list", "--container", new)
    art = ident(soar("artifacts", "create", "--container", new, "--name", "splunkctl artifact", "--cef",
                     '{"sourceAddress": "192.0.2.50"}', "--no-automation"), "artifact_id")
    if art:
        soar("artifacts", "get", art)
        soar("artifacts", "update", art, "--severity", "high", "--cef", '{"destinationAddress": "198.51.100.50"}')
    # notes, comments, evidence
    note = ident(soar("notes", "add", "noted by splunkctl", "--container", new, "--title", "splunkctl note"),
                 "note_id")
    soar("notes", "list", "--container", new)
    soar("notes", "comment", new, "commented by splunkctl")
    if art:
        evidence = ident(soar("evidence", "add", new, "--object", "artifact", "--id", art), "evidence_id")
        soar("evidence", "list", "--container", new)
        if evidence:
            soar("evidence", "remove", evidence)
    if note:
        soar("notes", "delete", note)
    # indicators
    enable_indicators(rec)
    soar("indicators", "list")
    soar("indicators", "get", "192.0.2.50")
    soar("indicators", "pivot", "192.0.2.50")
    soar("indicators", "stats")
    # vault
    upload = work / "evidence.txt"
    upload.write_text("uploaded by splunkctl\n")
    uploaded = soar("vault", "upload", str(upload), "--container", new)
    soar("vault", "list", "--container", new)
    vault_id = ident(uploaded, "vault_id", "hash")
    if vault_id:
        soar("vault", "get", vault_id)
        soar("vault", "download", vault_id, "--out", str(work / "downloaded.txt"))
    attachment = ident(uploaded, "attachment_id", "container_attachment_id")
    if attachment:
        soar("vault", "delete", attachment)
    # custom lists
    rows = work / "rows.json"
    rows.write_text(json.dumps([["192.0.2.1", "seen"], ["192.0.2.2", "seen"]]))
    soar("lists", "list")
    soar("lists", "create", "--name", "splunkctl list", "--file", str(rows))
    soar("lists", "get", "splunkctl list")
    soar("lists", "add-row", "splunkctl list", "--values", "192.0.2.3,seen")
    soar("lists", "remove-row", "splunkctl list", "--index", "0")
    soar("lists", "update", "splunkctl list", "--file", str(rows))
    soar("lists", "export", "splunkctl list", "--format", "json", "--out", str(work / "list.json"))
    soar("lists", "import", "--name", "splunkctl imported", "--file", str(rows))
    soar("lists", "delete", "splunkctl list")
    # apps, assets, actions
    soar("apps", "list")
    soar("apps", "get", seed["app_id"], "--actions")
    soar("assets", "list")
    soar("assets", "get", seed["asset_id"])
    asset = ident(soar("assets", "create", "--name", "splunkctl_utilities", "--app-id", seed["app_id"],
                       "--description", "made by splunkctl"), "asset_id")
    if asset:
        soar("assets", "update", asset, "--description", "changed by splunkctl")
        soar("assets", "test", asset, "--timeout", "30")
        soar("assets", "delete", asset)
    params = [f"--param={k}={v}" for k, v in seed["action_parameters"].items()]
    run = ident(soar("actions", "run", "--action", seed["action_name"], "--asset", seed["asset_name"],
                     "--container", cid, *params, "--wait", "--timeout", "60"), "action_run_id")
    soar("actions", "list", "--container", cid)
    if run:
        soar("actions", "status", run)
        soar("actions", "results", run)
    soar("approvals", "list", "--pending")
    # playbooks
    soar("playbooks", "list")
    soar("playbooks", "get", pid)
    soar("playbooks", "export", pid, "--out", str(work / "playbook.tgz"))
    if (work / "playbook.tgz").exists():  # what it exported, imported back
        soar("playbooks", "import", str(work / "playbook.tgz"), "--force")
    soar("playbooks", "enable", pid)
    soar("playbooks", "trigger", pid, "--on", "artifact_created")
    soar("playbooks", "disable", pid)
    soar("playbooks", "repos")
    started = ident(soar("playbooks", "run", seed["playbook_name"], "--container", cid, "--scope", "all"),
                    "playbook_run_id", "run_id")
    soar("playbooks", "runs", "list", "--container", cid)
    run_id = started or seed.get("playbook_run_id")
    if run_id:
        soar("playbooks", "runs", "get", run_id)
    function = ident(soar("functions", "list"), "id")
    if function:
        soar("functions", "get", function)
        soar("functions", "export", function, "--out", str(work / "function.tgz"))
        if (work / "function.tgz").exists():
            soar("functions", "import", str(work / "function.tgz"))
    # people
    soar("users", "list")
    soar("users", "get", seed["user_id"])
    soar("users", "token", seed["user_id"])
    user = ident(soar("users", "create", "--username", "splunkctl-user", "--password", "Splunkctl-pass-1234",
                      "--first-name", "Splunk"), "user_id")
    if user:
        soar("users", "update", user, "--last-name", "Ctl")
        soar("users", "delete", user)
    role = ident(soar("roles", "list"), "id")
    if role:
        soar("roles", "get", role)
    # workbooks and cases
    soar("workbook-templates", "list")
    soar("workbook-templates", "create", "--name", "splunkctl workbook", "--phases", "Triage,Contain")
    soar("workbook-templates", "get", "splunkctl workbook")
    soar("workbook-templates", "update", "splunkctl workbook", "--add-phase", "Recover")
    soar("cases", "promote", new, "--template", "splunkctl workbook")
    soar("cases", "workbook", new)
    phase = ident(soar("cases", "phase", "add", "--container", new, "--name", "Review"), "phase_id")
    if phase:
        task = ident(soar("cases", "task", "add", "--phase-id", phase, "--name", "Check"), "task_id")
        if task:
            soar("cases", "task", "update", task, "--status", "complete")
    soar("workbook-templates", "delete", "splunkctl workbook")
    # configuration as code: snapshot SOAR's playbooks, assets and lists, compare, apply back
    types = "soar-playbooks,soar-assets,soar-lists"
    command("state", "pull", "--dir", str(work / "state"), "--types", types)
    if (work / "state").exists():
        command("state", "diff", "--dir", str(work / "state"), "--types", types)
        command("state", "push", "--dir", str(work / "state"), "--types", types)
    # last: the container and artifact it made
    if art:
        soar("artifacts", "delete", art)
    soar("containers", "close", new)
    if new != cid:
        soar("containers", "delete", new)


if __name__ == "__main__":
    run_driver(main, "splunkctl", "splunkctl")
