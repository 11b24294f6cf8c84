"""Engine throughput: `python bench/engine_runs.py --runs N [--workers W] [--db-workers K]`.

Runs the `bench_ten_blocks` example (filter, decision, format, 3 simulated actions, join,
note, end) N times on a fresh database and prints JSON: runs/s, callbacks/s (durable steps
executed per second) and how long the whole batch took. Embedded mode (the default) runs
W worker threads in this process, as the server's embedded worker does; `--db-workers K`
instead starts K `manage.py db_worker` processes (PostgreSQL: set DATABASE_URL).
The database is created from scratch under a temporary SOAR_VAR_DIR (SQLite) or is the
DATABASE_URL one, flushed first.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Three apps with just the actions and outputs the benchmark playbook reads, so the
# benchmark needs nothing outside this repository.
APPS: list[dict[str, Any]] = [
    {"appid": "c566e153-3118-4033-abda-14dd9748c91a", "name": "MaxMind", "action": "geolocate ip",
     "param": "ip", "outputs": [("action_result.data.*.country_name", "Australia"),
                                ("action_result.parameter.ip", "1.1.1.1")]},
    {"appid": "e6723c2e-06ef-415a-8098-62c46c1cb71f", "name": "WHOIS", "action": "whois ip",
     "param": "ip", "outputs": [("action_result.summary.asn", "13335")]},
    {"appid": "3fe4875d-a4a7-47d3-9ef1-f9e63a6653a4", "name": "VirusTotal v3", "action": "ip reputation",
     "param": "ip", "outputs": [("action_result.summary.malicious", 0)]},
]
ASSETS = {"MaxMind": "maxmind", "WHOIS": "whois", "VirusTotal v3": "virustotal"}


def app_json(spec: dict[str, Any]) -> dict[str, Any]:
    ident = spec["action"].replace(" ", "_")
    return {
        "appid": spec["appid"], "name": spec["name"], "app_version": "1.0.0", "product_vendor": "Bench",
        "product_name": spec["name"], "description": "benchmark stand-in", "logo": "", "configuration": {},
        "actions": [{"action": spec["action"], "identifier": ident, "type": "investigate", "read_only": True,
                     "versions": "EQ(*)", "description": "",
                     "parameters": {spec["param"]: {"data_type": "string", "required": True, "order": 0,
                                                    "contains": ["ip"], "primary": True}},
                     "output": [{"data_path": p, "data_type": "string", "example_values": [v]}
                                for p, v in spec["outputs"]]}],
    }


def setup(artifacts: int) -> Any:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("flush", verbosity=0, interactive=False)
    call_command("migrate", verbosity=0, interactive=False)  # post_migrate re-seeds built-ins
    from editor.examples import EXAMPLES_DIR
    from editor.files import import_playbook_text
    from editor.models import Playbook
    from engine.apps.catalogue import parse_app
    from engine.catalogue import sync_app
    from engine.models import Asset, Container

    for spec in APPS:
        app, _ = sync_app(parse_app(app_json(spec)))
        Asset.objects.get_or_create(name=ASSETS[spec["name"]], defaults={"app": app})
    text = (EXAMPLES_DIR / "bench_ten_blocks.json").read_text(encoding="utf-8")
    import_playbook_text("bench_ten_blocks", text, file="bench_ten_blocks.json")
    playbook = Playbook.objects.get(name="bench_ten_blocks")
    container = Container.objects.create(name="bench", label="events", severity="high")
    from engine.artifacts import create_artifact

    for i in range(artifacts):
        create_artifact(container, {"name": f"a{i}", "label": "event", "source_data_identifier": f"bench-{i}",
                                    "cef": {"sourceAddress": f"198.51.100.{i + 1}"}})
    return playbook, container


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--db-workers", type=int, default=0)
    ap.add_argument("--artifacts", type=int, default=1)
    ap.add_argument("--profile", help="write a cProfile of one worker thread in this process to FILE")
    args = ap.parse_args()
    if not os.environ.get("DATABASE_URL"):
        os.environ["SOAR_VAR_DIR"] = tempfile.mkdtemp(prefix="soar-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "soar.settings")
    os.environ["SOAR_EMBEDDED_WORKER"] = "0"
    os.environ.setdefault("SOAR_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.db import connection

    from engine.execution.journal import TERMINAL_RUN
    from engine.execution.runs import start_run
    from engine.models import PlaybookRun, RunStep

    playbook, container = setup(args.artifacts)
    if not args.db_workers:
        from engine.execution.worker import settle_heap

        settle_heap()  # as start_embedded does before its threads start
    procs: list[subprocess.Popen[bytes]] = []
    cpu_s: list[float] = []
    cpu_lock = threading.Lock()
    started = time.perf_counter()
    for _ in range(args.runs):
        start_run(playbook, container, scope="all")
    enqueue_s = time.perf_counter() - started

    # The main thread only watches: one plain statement per look (the ORM's query building
    # cost about 0.7 ms of the one core the workers share, 50 times a second).
    unfinished_sql = (f"SELECT COUNT(*) FROM {connection.ops.quote_name(PlaybookRun._meta.db_table)} "
                      f"WHERE status NOT IN ({', '.join(['%s'] * len(TERMINAL_RUN))})")

    def unfinished() -> int:
        with connection.cursor() as cursor:
            cursor.execute(unfinished_sql, TERMINAL_RUN)
            return int(cursor.fetchone()[0])

    if args.db_workers:
        env = {**os.environ}
        for _ in range(args.db_workers):
            procs.append(subprocess.Popen([sys.executable, "manage.py", "db_worker", "--interval", "0.01", "--no-startup-delay",
                                           "--queue-name", "default"], cwd=ROOT, env=env,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        while unfinished():
            time.sleep(0.05)
    elif args.profile:
        import cProfile

        from engine.execution.worker import drain

        cProfile.runctx("drain()", globals(), {"drain": drain}, args.profile)
    else:
        # The embedded worker's own thread loop (engine.execution.worker.work_forever).
        from engine.execution.worker import wake, work_forever

        stop = threading.Event()

        def timed_worker() -> None:
            # CPU time of the worker threads: on a shared machine runs/s moves with the
            # neighbours' load, the CPU a run costs much less.
            begin = time.thread_time()
            try:
                work_forever(idle_wait=0.05, stop=stop)
            finally:
                with cpu_lock:
                    cpu_s.append(time.thread_time() - begin)

        threads = [threading.Thread(target=timed_worker) for _ in range(args.workers)]
        for t in threads:
            t.start()
        wake()
        while unfinished():
            time.sleep(0.02)
        stop.set()
        wake()
        for t in threads:
            t.join()
    elapsed = time.perf_counter() - started
    for p in procs:
        p.terminate()
        p.wait(timeout=10)
    ok = PlaybookRun.objects.filter(status="success").count()
    steps = RunStep.objects.filter(status="done").count()
    figures = {"runs": args.runs, "succeeded": ok, "steps": steps, "elapsed_s": round(elapsed, 3),
               "enqueue_s": round(enqueue_s, 3), "runs_per_s": round(args.runs / elapsed, 1),
               "callbacks_per_s": round(steps / elapsed, 1), "vendor": connection.vendor,
               "workers": args.db_workers or args.workers,
               "mode": "db_worker" if args.db_workers else "embedded threads"}
    if cpu_s:
        figures["worker_cpu_ms_per_run"] = round(sum(cpu_s) * 1000 / args.runs, 2)
    print(json.dumps(figures))
    return 0 if ok == args.runs else 1


if __name__ == "__main__":
    raise SystemExit(main())
