#!/usr/bin/env python3
"""Dev harness: serves the built editor plus an in-memory implementation of the editor's API.

Usage: python3 dev/mock_server.py PLAYBOOK.json [--port 8765] [--readonly]
Open http://127.0.0.1:8765/ (the playbook has id 1). Standard library only.
"""
from __future__ import annotations

import argparse
import copy
import datetime as dt
import glob
import json
import os
import re
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
STATIC = os.path.abspath(os.path.join(HERE, "..", "..", "..", "static", "editor"))
SHARED = os.path.abspath(os.path.join(HERE, "..", "..", "..", "..", "shared"))
BAR = "#" * 80
LOCK = threading.Lock()


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat()


def py_name(name: str) -> str:
    return re.sub(r"\W", "_", str(name).lower())


def load_apps() -> list[dict]:
    """App definitions in the API's shape, from shared/apps/*.json."""
    apps = []
    for i, path in enumerate(sorted(glob.glob(os.path.join(SHARED, "apps", "*.json")))):
        try:
            with open(path) as fh:
                raw = json.load(fh)
        except (OSError, ValueError):
            continue
        actions = []
        for a in raw.get("actions", []):
            params = [
                {
                    "name": name,
                    "data_type": p.get("data_type", "string"),
                    "required": bool(p.get("required")),
                    "contains": p.get("contains", []),
                    "default": p.get("default"),
                    "value_list": p.get("value_list", []),
                    "primary": bool(p.get("primary")),
                    "order": p.get("order", 0),
                    "description": p.get("description", ""),
                }
                for name, p in (a.get("parameters") or {}).items()
            ]
            outputs = [
                {
                    "data_path": o.get("data_path", ""),
                    "data_type": o.get("data_type", ""),
                    "contains": o.get("contains", []),
                    "example_values": o.get("example_values", []),
                }
                for o in a.get("output", [])
            ]
            actions.append({
                "name": a.get("action"), "identifier": a.get("identifier"), "description": a.get("description", ""),
                "type": a.get("type", "generic"), "read_only": bool(a.get("read_only")),
                "parameters": params, "outputs": outputs,
            })
        apps.append({"id": i + 1, "appid": raw.get("appid"), "name": raw.get("name"), "version": raw.get("app_version"), "actions": actions})
    return apps


def load_custom_functions() -> list[dict]:
    out = []
    for i, path in enumerate(sorted(glob.glob(os.path.join(SHARED, "corpus", "custom_functions", "*.json")))):
        with open(path) as fh:
            raw = json.load(fh)
        out.append({
            "id": i + 1,
            "name": os.path.splitext(os.path.basename(path))[0],
            "description": raw.get("description", ""),
            "inputs": [{"name": x["name"], "contains": x.get("contains_type", []), "description": x.get("description", ""),
                        "input_type": x.get("input_type", "item"), "placeholder": x.get("placeholder", "")} for x in raw.get("inputs", [])],
            "outputs": [{"data_path": x["data_path"], "contains": x.get("contains_type", [])} for x in raw.get("outputs", [])],
        })
    return out


def load_brief() -> list[dict]:
    out = []
    for i, path in enumerate(sorted(glob.glob(os.path.join(SHARED, "corpus", "modern", "*.json")))):
        with open(path) as fh:
            raw = json.load(fh)
        coa = raw.get("coa", {})
        out.append({"id": 100 + i, "name": os.path.splitext(os.path.basename(path))[0], "playbook_type": coa.get("playbook_type"),
                    "input_spec": coa.get("input_spec"), "output_spec": coa.get("output_spec")})
    return out


def validate(pb: dict) -> list[dict]:
    """A small stand-in for the real compiler's checks, enough to exercise the UI."""
    data = pb.get("coa", {}).get("data", {})
    nodes = data.get("nodes", {})
    targets = {str(e.get("targetNode")) for e in data.get("edges", [])}
    errors = []
    for nid, node in nodes.items():
        d = node.get("data", {})
        t = d.get("type")
        if t in ("action", "missionControl"):
            if not d.get("action"):
                errors.append({"block_id": nid, "field": "action", "message": "Choose an app action.", "severity": "error"})
            req = [r if isinstance(r, str) else r.get("field") for r in d.get("requiredParameters", [])]
            for r in req:
                if (d.get("parameters") or {}).get(r) in (None, ""):
                    errors.append({"block_id": nid, "field": f"parameters.{r}", "message": f"Required parameter '{r}' is empty.", "severity": "error"})
        if t in ("decision", "filter"):
            for c in d.get("conditions", []):
                if c.get("type") == "else":
                    continue
                for k in c.get("comparisons", []):
                    if not k.get("param"):
                        errors.append({"block_id": nid, "field": "conditions", "message": f"Condition {c.get('conditionIndex', 0) + 1} has an empty datapath.", "severity": "error"})
        if t == "format" and not d.get("template"):
            errors.append({"block_id": nid, "field": "template", "message": "Template is empty.", "severity": "warning"})
        if t not in ("start",) and nid not in targets:
            errors.append({"block_id": nid, "field": "", "message": "Block is not connected to anything upstream.", "severity": "warning"})
    return errors


def compile_source(pb: dict, block_id: str | None) -> str:
    """Fake generated Python with SOAR's custom-code banners, so the code view can be exercised."""
    data = pb.get("coa", {}).get("data", {})
    nodes = data.get("nodes", {})
    out = ['"""', data.get("description", ""), '"""', "", "import phantom.rules as phantom", "import json", "from datetime import datetime, timedelta", ""]
    gcc = data.get("globalCustomCode")
    if isinstance(gcc, str) and not block_id:
        code = gcc if gcc.endswith("\n") or not gcc else gcc + "\n"
        out += [BAR, "## Global Custom Code Start", BAR, code + BAR, "## Global Custom Code End", BAR, ""]
    for nid in sorted(nodes, key=lambda x: int(x) if str(x).isdigit() else 0):
        if block_id and str(block_id) != str(nid):
            continue
        node = nodes[nid]
        d = node.get("data", {})
        fn = py_name(d.get("functionName", f"block_{nid}"))
        out.append(f"@phantom.playbook_block()")
        out.append(f"def {fn}(action=None, success=None, container=None, results=None, handle=None, filtered_artifacts=None, filtered_results=None, custom_function=None, loop_state_json=None, **kwargs):")
        out.append(f'    phantom.debug("{fn}() called")')
        out.append("")
        t = d.get("type")
        if t in ("decision", "filter", "prompt", "start"):
            out.append("    # (generated body)")
            out.append("    return")
            out.append("")
            continue
        user = node.get("userCode")
        region = user if isinstance(user, str) else "\n    # Write your custom code here...\n\n"
        out.append("    " + BAR)
        out.append("    ## Custom Code Start")
        out.append("    " + BAR)
        out.append(region + "    " + BAR)
        out.append("    ## Custom Code End")
        out.append("    " + BAR)
        out.append("")
        out.append("    return")
        out.append("")
    return "\n".join(out) + "\n"


class State:
    def __init__(self, path: str):
        with open(path) as fh:
            first = json.load(fh)
        self.name = os.path.splitext(os.path.basename(path))[0]
        self.versions = [{"version": 1, "json": first, "created": now(), "author": "importer", "message": "imported"}]
        self.active = False
        self.apps = load_apps()
        self.custom_functions = load_custom_functions()
        self.brief = load_brief()
        used = {}
        for n in first.get("coa", {}).get("data", {}).get("nodes", {}).values():
            d = n.get("data", {})
            for asset in d.get("connectorConfigs", []) or []:
                used[asset] = d.get("connector")
        self.assets = []
        for app in self.apps:
            names = {a for a, c in used.items() if c == app["name"]} | {re.sub(r"\W+", "_", app["name"].lower())}
            for a in sorted(names):
                self.assets.append({"id": len(self.assets) + 1, "name": a, "app_appid": app["appid"], "app_name": app["name"], "actions": [x["name"] for x in app["actions"]]})

    @property
    def current(self) -> dict:
        return self.versions[-1]


CONTAINERS = [
    {"id": 101, "name": "Suspicious login from 203.0.113.7", "label": "events"},
    {"id": 102, "name": "Phishing report: invoice.pdf", "label": "email"},
    {"id": 103, "name": "Risk notable: host WIN-42", "label": "risk_notable"},
]
CEF = {101: ["sourceAddress", "destinationUserName", "requestURL", "deviceHostname"], 102: ["fromEmail", "toEmail", "emailSubject", "fileHashSha256", "fileName"], 103: ["risk_object", "risk_score", "threat_object", "destinationAddress"]}


class Handler(BaseHTTPRequestHandler):
    state: State
    readonly = False

    def log_message(self, fmt, *args):  # quiet
        if os.environ.get("MOCK_VERBOSE"):
            super().log_message(fmt, *args)

    def send_json(self, code: int, body) -> None:
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def body(self) -> dict:
        n = int(self.headers.get("Content-Length") or 0)
        return json.loads(self.rfile.read(n) or b"{}")

    def page(self) -> None:
        try:
            with open(os.path.join(STATIC, "manifest.json")) as fh:
                entry = json.load(fh)["src/main.jsx"]
        except (OSError, KeyError, ValueError):
            self.send_json(500, {"message": "build first: npm run build"})
            return
        qs = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
        ro = "1" if self.readonly or qs.get("readonly") == ["1"] else "0"
        css = "".join(f'<link rel="stylesheet" href="/static/editor/{c}">' for c in entry.get("css", []))
        html = (f'<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>{self.state.name} · Playbook Studio</title>{css}'
                f'<style>html,body{{margin:0;height:100%}}</style></head><body>'
                f'<div id="playbook-editor" data-playbook-id="1" data-api-base="/api" data-readonly="{ro}"></div>'
                f'<script type="module" src="/static/editor/{entry["file"]}"></script></body></html>').encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Set-Cookie", "csrftoken=mock-token; Path=/")
        self.send_header("Content-Length", str(len(html)))
        self.end_headers()
        self.wfile.write(html)

    def static(self, rel: str) -> None:
        path = os.path.normpath(os.path.join(STATIC, rel))
        if not path.startswith(STATIC) or not os.path.isfile(path):
            self.send_json(404, {"message": "not found"})
            return
        ctype = {".js": "text/javascript", ".css": "text/css", ".json": "application/json", ".svg": "image/svg+xml"}.get(os.path.splitext(path)[1], "application/octet-stream")
        with open(path, "rb") as fh:
            data = fh.read()
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        url = urllib.parse.urlparse(self.path)
        p = url.path
        s = self.state
        if p in ("/", "/index.html"):
            return self.page()
        if p.startswith("/static/editor/"):
            return self.static(p[len("/static/editor/"):])
        with LOCK:
            if p == "/api/playbooks/1":
                return self.send_json(200, {"id": 1, "name": s.name, "version": s.current["version"], "active": s.active, "draft": True, "json": s.current["json"]})
            if p == "/api/playbooks/1/versions":
                return self.send_json(200, [{k: v[k] for k in ("version", "created", "author", "message")} for v in s.versions])
            m = re.fullmatch(r"/api/playbooks/1/versions/(\d+)", p)
            if m:
                v = next((v for v in s.versions if v["version"] == int(m.group(1))), None)
                return self.send_json(200, {"version": v["version"], "json": v["json"]}) if v else self.send_json(404, {"message": "no such version"})
            if p == "/api/playbooks":
                return self.send_json(200, [{"id": 1, "name": s.name, "playbook_type": s.current["json"]["coa"].get("playbook_type"),
                                             "input_spec": s.current["json"]["coa"].get("input_spec"), "output_spec": s.current["json"]["coa"].get("output_spec")}] + s.brief)
            if p == "/api/apps":
                return self.send_json(200, s.apps)
            if p == "/api/assets":
                return self.send_json(200, s.assets)
            if p == "/api/custom_functions":
                return self.send_json(200, s.custom_functions)
            if p == "/api/containers":
                q = (urllib.parse.parse_qs(url.query).get("search") or [""])[0].lower()
                return self.send_json(200, [c for c in CONTAINERS if q in c["name"].lower() or q in str(c["id"])])
            m = re.fullmatch(r"/api/containers/(\d+)/cef_fields", p)
            if m:
                return self.send_json(200, CEF.get(int(m.group(1)), []))
        self.send_json(404, {"message": "not found"})

    def do_PUT(self) -> None:
        if urllib.parse.urlparse(self.path).path != "/api/playbooks/1":
            return self.send_json(404, {"message": "not found"})
        if self.headers.get("X-CSRFToken") != "mock-token":
            return self.send_json(403, {"message": "CSRF token missing"})
        body = self.body()
        with LOCK:
            s = self.state
            if body.get("base_version") != s.current["version"]:
                return self.send_json(409, {"current_version": s.current["version"], "message": "The playbook was changed by someone else."})
            pb = body.get("json")
            if not isinstance(pb, dict) or "coa" not in pb:
                return self.send_json(400, {"message": "not a playbook", "errors": []})
            s.versions.append({"version": s.current["version"] + 1, "json": pb, "created": now(), "author": "dev", "message": "saved"})
            return self.send_json(200, {"version": s.current["version"], "errors": validate(pb)})

    def do_POST(self) -> None:
        p = urllib.parse.urlparse(self.path).path
        if self.headers.get("X-CSRFToken") != "mock-token":
            return self.send_json(403, {"message": "CSRF token missing"})
        body = self.body()
        with LOCK:
            s = self.state
            if p == "/api/playbooks/1/compile":
                pb = body.get("json") or s.current["json"]
                return self.send_json(200, {"source": compile_source(pb, body.get("block_id")), "errors": validate(pb)})
            if p == "/api/playbooks/1/activate":
                errs = [e for e in validate(s.current["json"]) if e["severity"] == "error"]
                if errs:
                    return self.send_json(400, {"message": f"{len(errs)} error(s) must be fixed first", "errors": errs})
                s.active = True
                return self.send_json(200, {"active": True})
            if p == "/api/playbooks/1/deactivate":
                s.active = False
                return self.send_json(200, {"active": False})
            m = re.fullmatch(r"/api/playbooks/1/versions/(\d+)/restore", p)
            if m:
                v = next((v for v in s.versions if v["version"] == int(m.group(1))), None)
                if not v:
                    return self.send_json(404, {"message": "no such version"})
                s.versions.append({"version": s.current["version"] + 1, "json": copy.deepcopy(v["json"]), "created": now(), "author": "dev", "message": f"restored v{v['version']}"})
                return self.send_json(200, {"version": s.current["version"]})
            if p == "/api/_test/bump":
                # Simulate another user's save, to exercise the conflict dialog.
                s.versions.append({"version": s.current["version"] + 1, "json": copy.deepcopy(s.current["json"]), "created": now(), "author": "someone else", "message": "concurrent edit"})
                return self.send_json(200, {"version": s.current["version"]})
        self.send_json(404, {"message": "not found"})


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("playbook", help="modern SOAR playbook JSON")
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--readonly", action="store_true")
    args = ap.parse_args(argv)
    Handler.state = State(args.playbook)
    Handler.readonly = args.readonly
    srv = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print(f"serving {args.playbook} on http://127.0.0.1:{args.port}/", flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
