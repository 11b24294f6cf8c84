"""Does a long code block stall the server? A figure for issue 21's isolation bar.

A playbook whose on_start calls `time.sleep(30)` (a call the block's time limit cannot
interrupt from inside) runs on the embedded worker of a server started as `make run`
starts it (daphne soar.asgi:application, SQLite, SOAR_EMBEDDED_WORKER=1), on a fresh
SOAR_VAR_DIR. While it sleeps, BENCH_ISOLATION_CLIENTS clients (default 20) each post
artifacts to /rest/artifact one after another for BENCH_ISOLATION_SECONDS (default 10),
with a `ph-auth-token`. Printed: the posts' p50/p99 latency, how many there were and how
many failed (an error status or no answer), the same for the same load with no run going
(isolation_control_*: what this machine's server answers anyway), and whether the sleeping run was still
running when the last post was answered (else the figures do not measure what they say).
The issue's bar is p99 < 250 ms; the first design answered 500 after 20 s.
"""
from __future__ import annotations

import json
import os
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.served import Served  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = int(os.environ.get("BENCH_ISOLATION_CLIENTS", "20"))
SECONDS = float(os.environ.get("BENCH_ISOLATION_SECONDS", "10"))
SLEEP_S = 30

# Runs in `manage.py shell`: an admin with a token, a container and the sleeping playbook.
# START starts a run of it (its task waits in the database until the server's embedded
# worker takes it).
SETUP = f'''
import json
from django.contrib.auth import get_user_model
from editor.models import Playbook
from engine.execution.runs import start_run
from engine.models import ApiToken, Container

user = get_user_model().objects.create_superuser("bench", "bench@example.com", "bench-password-not-used")
_, key = ApiToken.issue(user, "bench")
container = Container.objects.create(name="bench", label="events")
graph = {{"coa": {{"data": {{"nodes": {{}}, "edges": []}}, "playbook_type": "automation"}}, "labels": ["*"]}}
playbook = Playbook(name="sleeps")
playbook.save_version(json.dumps(graph), python="""
import time
import phantom.rules as phantom


def on_start(container):
    time.sleep({SLEEP_S})


def on_finish(container, summary):
    pass
""")
print(json.dumps({{"token": key, "container": container.pk, "playbook": playbook.pk}}))
'''
START = """
from editor.models import Playbook
from engine.execution.runs import start_run
from engine.models import Container
start_run(Playbook.objects.get(name="sleeps"), Container.objects.get(name="bench"), scope="all")
"""


def _sleeping(served: Served) -> bool:
    """Whether the run's "advance" task is claimed and not finished (its code is running)."""
    probe = ("from django_tasks_db.models import DBTaskResult; "
             "print(DBTaskResult.objects.filter(status='RUNNING', task_path__endswith='advance_run').exists())")
    return served.shell(probe, timeout=60).strip().splitlines()[-1] == "True"


def _post(url: str, token: str, body: dict[str, Any]) -> int:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"ph-auth-token": token, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _load(base: str, token: str, container: int, tag: str) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.monotonic() + SECONDS

    def client(n: int) -> None:
        nonlocal errors
        i = 0
        while time.monotonic() < deadline:
            i += 1
            body = {"container_id": container, "name": f"c{n}-{i}", "label": "event",
                    "source_data_identifier": f"bench-{tag}-{n}-{i}", "cef": {"sourceAddress": f"192.0.2.{n + 1}"}}
            began = time.perf_counter()
            try:
                ok = _post(base + "/rest/artifact", token, body) < 300
            except OSError:
                ok = False
            took = time.perf_counter() - began
            with lock:
                latencies.append(took)
                errors += 0 if ok else 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors


def run() -> dict[str, Any]:
    with Served(SETUP) as served:
        setup = served.facts
        # The same load with nothing running: what the server answers on this machine anyway.
        control, control_errors = _load(served.base, setup["token"], setup["container"], "control")
        served.shell(START, timeout=120)
        deadline = time.monotonic() + 30
        # The run's row says "running" only once on_start's outcome is journaled (after the
        # sleep); that the sleep is under way shows as its task claimed and not finished.
        while not _sleeping(served):
            if not served.alive():
                raise RuntimeError("daphne exited: " + served.output()[-1500:])
            if time.monotonic() > deadline:
                raise RuntimeError("the sleeping run's task was not taken within 30 s")
            time.sleep(0.2)
        started = time.monotonic()
        latencies, errors = _load(served.base, setup["token"], setup["container"], "sleep")
        loaded_s = time.monotonic() - started
        still_sleeping = _sleeping(served)
    return {
        "isolation_sleep30_artifact_posts": len(latencies),
        "isolation_sleep30_artifact_post_errors": errors,
        "isolation_sleep30_artifact_post_p50_ms": round(_percentile(latencies, 0.50) * 1000, 1),
        "isolation_sleep30_artifact_post_p99_ms": round(_percentile(latencies, 0.99) * 1000, 1),
        "isolation_sleep30_artifact_post_max_ms": round(max(latencies) * 1000, 1),
        "isolation_sleep30_clients": CLIENTS,
        "isolation_sleep30_load_s": round(loaded_s, 1),
        "isolation_sleep30_run_still_sleeping_after_load": still_sleeping,
        "isolation_control_artifact_posts": len(control),
        "isolation_control_artifact_post_errors": control_errors,
        "isolation_control_artifact_post_p50_ms": round(_percentile(control, 0.50) * 1000, 1),
        "isolation_control_artifact_post_p99_ms": round(_percentile(control, 0.99) * 1000, 1),
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
