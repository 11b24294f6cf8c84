"""SOAR REST API speed (issue 22): a load generator (wrk, Debian's package) on loopback
against the server as `make run` starts it (bench/served.py: daphne, SQLite, the embedded
worker).

Figures, each with wrk's requests/s and latency p50/p99 (ms), 50 connections, 2 threads:
- `rest_get_container_*`: `GET /rest/container` listing 5 containers;
- `rest_not_found_*`: `GET /rest/nope` (the JSON 404);
- `rest_post_artifact_*`: `POST /rest/artifact`, every body unique (a counter per wrk
  thread in its source_data_identifier), so each is dedup-checked and stored; `*_non_2xx`
  counts answers that were not a success;
- `rest_container_1000_artifacts_per_s`: one POST of a container carrying 1,000 artifacts,
  and `rest_container_1000_artifacts_runs`: how many runs its label's active playbook had
  started once the embedded worker settled (the bar: 1, after the last artifact);
- the same three wrk figures again, suffixed `_under_engine`, while the embedded worker
  runs the `bench_ten_blocks` playbook (bench/engine_runs.py) on queued runs at full speed;
  `rest_engine_runs_finished_during_load` says it was busy.
Skipped (with the reason) when wrk is not installed.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.served import Served  # noqa: E402

SECONDS = int(os.environ.get("BENCH_REST_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_REST_CONNECTIONS", "50"))
ENGINE_RUNS = int(os.environ.get("BENCH_REST_ENGINE_RUNS", "3000"))

SETUP = '''
import json, sys
sys.path.insert(0, ".")
from bench.engine_runs import setup
from django.contrib.auth import get_user_model
from editor.activation import set_active
from editor.models import Playbook
from engine.models import ApiToken, Container

setup(0)  # the bench playbook, its apps and assets (on this fresh database)
user = get_user_model().objects.create_superuser("bench", "bench@example.com", "bench-password-not-used")
_, key = ApiToken.issue(user, "bench")
for i in range(5):
    Container.objects.create(name=f"listed {i}", label="events")
target = Container.objects.create(name="artifact target", label="events")
start = {"data": {"advanced": {"join": []}, "functionName": "on_start", "id": "0", "type": "start"},
         "errors": {}, "id": "0", "type": "start", "warnings": {}, "x": 0, "y": 0}
end = {"data": {"advanced": {"join": []}, "functionName": "on_finish", "id": "1", "type": "end"},
       "errors": {}, "id": "1", "type": "end", "warnings": {}, "x": 0, "y": 200}
edge = {"id": "port_0_to_port_1", "sourceNode": "0", "sourcePort": "0_out", "targetNode": "1", "targetPort": "1_in"}
graph = {"coa": {"data": {"nodes": {"0": start, "1": end}, "edges": [edge]}, "playbook_type": "automation"},
         "labels": ["bulk"]}
bulk = Playbook(name="on bulk")
bulk.save_version(json.dumps(graph))
set_active(Playbook.objects.get(pk=bulk.pk), True)
print(json.dumps({"token": key, "target": target.pk}))
'''
# Queue the engine's work: ENGINE_RUNS runs of the bench playbook on one container.
ENGINE_LOAD = '''
from editor.models import Playbook
from engine.execution.runs import start_run
from engine.models import Container
playbook = Playbook.objects.get(name="bench_ten_blocks")
container = Container.objects.get(name="bench")
for _ in range({n}):
    start_run(playbook, container, scope="all")
'''
FINISHED = ("from engine.models import PlaybookRun; "
            "print(PlaybookRun.objects.filter(playbook__name='bench_ten_blocks').exclude(status__in=('running','pending')).count())")
RUNS_OF = "from engine.models import PlaybookRun; print(PlaybookRun.objects.filter(container_id={cid}).count())"

POST_ARTIFACT_LUA = '''
local n = 0
local threads = 0
function setup(thread)
  -- BENCH_PHASE keeps the second load's bodies apart from the first's (same container).
  threads = threads + 1
  thread:set("tag", os.getenv("BENCH_PHASE") .. "-" .. threads)
end
function request()
  n = n + 1
  local body = string.format('{"container_id": %s, "name": "wrk", "label": "event", ' ..
    '"source_data_identifier": "wrk-%s-%d", "cef": {"sourceAddress": "198.51.100.%d"}}',
    os.getenv("BENCH_TARGET"), tag, n, n % 250)
  -- wrk.format's headers replace those given with -H: the token is set here again.
  return wrk.format("POST", "/rest/artifact",
    {["Content-Type"] = "application/json", ["ph-auth-token"] = os.getenv("BENCH_TOKEN")}, body)
end
'''

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return round(float(number) * _UNITS[unit], 2)


def wrk(url: str, token: str, script: str | None = None, env: dict[str, str] | None = None) -> dict[str, float]:
    args = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency", "-H", f"ph-auth-token: {token}"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script or "")
    if script:
        args += ["-s", lua.name]
    try:
        out = subprocess.run([*args, url], capture_output=True, text=True, timeout=SECONDS + 60, check=True,
                             env={**os.environ, **(env or {})}).stdout
    finally:
        os.unlink(lua.name)
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.MULTILINE))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "rps": round(float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), 1),  # type: ignore[union-attr]
        "p50_ms": _ms(latency["50"]),
        "p99_ms": _ms(latency["99"]),
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": sum(int(g) for g in errors.groups()) if errors else 0,
    }


def _figures(prefix: str, served: Served, suffix: str = "") -> dict[str, Any]:
    token = served.facts["token"]
    out: dict[str, Any] = {}
    runs = [
        ("get_container", served.base + "/rest/container", None),
        ("not_found", served.base + "/rest/nope", None),
        ("post_artifact", served.base + "/rest/artifact", POST_ARTIFACT_LUA),
    ]
    for name, url, script in runs:
        result = wrk(url, token, script, env={"BENCH_TARGET": str(served.facts["target"]), "BENCH_TOKEN": token,
                                                      "BENCH_PHASE": suffix or "idle"})
        for key, value in result.items():
            out[f"{prefix}_{name}_{key}{suffix}"] = value
    return out


def _bulk_container(served: Served) -> dict[str, Any]:
    artifacts = [{"name": f"bulk {i}", "label": "event", "source_data_identifier": f"bulk-{i}",
                  "cef": {"sourceAddress": f"203.0.113.{i % 250}", "requestURL": f"https://example.com/{i}"}}
                 for i in range(1000)]
    body = json.dumps({"name": "bulk", "label": "bulk", "artifacts": artifacts}).encode()
    request = urllib.request.Request(served.base + "/rest/container", data=body, method="POST",
                                     headers={"ph-auth-token": served.facts["token"],
                                              "Content-Type": "application/json"})
    began = time.perf_counter()
    with urllib.request.urlopen(request, timeout=600) as response:
        answer = json.loads(response.read())
    took = time.perf_counter() - began
    cid = answer["id"]
    time.sleep(3)  # the embedded worker starts what the artifacts triggered
    runs = int(served.shell(RUNS_OF.format(cid=cid)).strip().splitlines()[-1])
    return {"rest_container_1000_artifacts_s": round(took, 3),
            "rest_container_1000_artifacts_per_s": round(1000 / took, 1),
            "rest_container_1000_artifacts_runs": runs}


def run() -> dict[str, Any]:
    if shutil.which("wrk") is None:
        return {"rest_skipped": "wrk is not installed (Debian package wrk; `make bench` installs it)"}
    with Served(SETUP) as served:
        out = _figures("rest", served)
        out.update(_bulk_container(served))
        served.shell(ENGINE_LOAD.format(n=ENGINE_RUNS), timeout=600)
        time.sleep(2)
        before = int(served.shell(FINISHED).strip().splitlines()[-1])
        out.update(_figures("rest", served, "_under_engine"))
        out["rest_engine_runs_finished_during_load"] = int(served.shell(FINISHED).strip().splitlines()[-1]) - before
        out["rest_server_alive"] = served.alive()
    out["rest_connections"] = CONNECTIONS
    out["rest_seconds_each"] = SECONDS
    return out


if __name__ == "__main__":
    print(json.dumps(run(), indent=2, sort_keys=True))
