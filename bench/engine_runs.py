"""Engine throughput: `python bench/engine_runs.py --runs N [--workers W | --db-workers K | --rq-workers K]`.

Runs the `bench_ten_blocks` example (filter, decision, format, 3 simulated actions, join,
note, end) N times on a fresh database and prints JSON: runs/s, callbacks/s (durable steps
executed per second), how long the batch took, and the CPU the engine spent per run.

- embedded (the default): W `EngineWorker` threads in this process, as the server's
  embedded worker runs them (engine.execution.worker.start_embedded);
- `--db-workers K`: K `manage.py db_worker` processes (PostgreSQL: set DATABASE_URL);
- `--rq-workers K`: K `manage.py engine_rqworker` processes (set SOAR_TASK_BACKEND=rq and
  SOAR_RQ_URL; the queues are emptied first).

One run goes through first, untimed: it starts what starts lazily (the runner pool, the
compiled module's cache, the worker processes' Django), so the timed batch measures the
engine at work, not its start-up.

Worker CPU per run is process CPU, not thread CPU, since the work spans processes: this
process's (getrusage) or the worker processes', plus every runner process below them
(/proc/<pid>/stat), over the timed batch. `worker_thread_cpu_ms_per_run` (embedded only) is
the worker threads' own CPU, the figure older versions of this script printed.
The database is created from scratch under a temporary SOAR_VAR_DIR (SQLite) or is the
DATABASE_URL one, flushed first.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
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
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


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


# --- process CPU and memory, from /proc ----------------------------------------------------

def _stat(pid: int) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat") as f:
            # The command name may hold spaces and parentheses: the fields follow its last ')'.
            return f.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None  # it exited meanwhile


def cpu_s(pid: int) -> float:
    """User + system CPU seconds of one process (0 when it is gone)."""
    fields = _stat(pid)
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS if fields else 0.0


def descendants(pid: int) -> list[int]:
    """Every living process below `pid` (runner processes, workers' runners)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat(int(entry))
            if fields:
                parents[int(entry)] = int(fields[1])
    found, frontier = [], [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, ppid in parents.items() if ppid == parent]
        found += children
        frontier += children
    return found


def rss_bytes(pid: int) -> int:
    fields = _stat(pid)
    return int(fields[21]) * os.sysconf("SC_PAGE_SIZE") if fields else 0


class TreeCPU:
    """CPU spent by a set of processes and everything below them between start() and
    stop(); the roots may include this process, measured with getrusage instead."""

    def __init__(self, roots: list[int]) -> None:
        self.roots = roots
        self.before: dict[int, float] = {}
        self.self_before = 0.0

    def _sample(self) -> dict[int, float]:
        pids = {p for root in self.roots for p in (root, *descendants(root)) if p != os.getpid()}
        return {pid: cpu_s(pid) for pid in pids}

    @staticmethod
    def _self() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    def start(self) -> None:
        self.before, self.self_before = self._sample(), self._self()

    def stop(self) -> float:
        after = self._sample()
        # A process that appeared meanwhile (a replaced runner) counts from zero; one that
        # exited meanwhile loses what it spent since start(): rare, and only ever less.
        spent = sum(max(0.0, cpu - self.before.get(pid, 0.0)) for pid, cpu in after.items())
        if os.getpid() in self.roots:
            spent += self._self() - self.self_before
        return spent


# --- the batch ------------------------------------------------------------------------------

def start_workers(args: argparse.Namespace) -> list[subprocess.Popen[bytes]]:
    env = {**os.environ}
    if args.db_workers:
        cmd = ["manage.py", "db_worker", "--interval", "0.01", "--no-startup-delay", "--queue-name", "*"]
        count = args.db_workers
    else:
        cmd, count = ["manage.py", "engine_rqworker"], args.rq_workers
    return [subprocess.Popen([sys.executable, *cmd], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL) for _ in range(count)]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--db-workers", type=int, default=0)
    ap.add_argument("--rq-workers", type=int, default=0)
    ap.add_argument("--artifacts", type=int, default=1)
    ap.add_argument("--profile", help="write a cProfile of one worker thread in this process to FILE")
    args = ap.parse_args()
    if not os.environ.get("DATABASE_URL"):
        os.environ["SOAR_VAR_DIR"] = tempfile.mkdtemp(prefix="soar-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "soar.settings")
    os.environ["SOAR_EMBEDDED_WORKER"] = "0"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.db import connection

    from engine import runner
    from engine.execution import brokers
    from engine.execution.journal import TERMINAL_RUN
    from engine.execution.runs import start_run
    from engine.execution.worker import EngineWorker, drain
    from engine.models import PlaybookRun, RunStep

    playbook, container = setup(args.artifacts)
    if brokers.using_rq():
        brokers.flush_rq()

    # The main thread only watches: one plain statement per look (the ORM's query building
    # cost about 0.7 ms of the one core the workers share, 50 times a second).
    unfinished_sql = (f"SELECT COUNT(*) FROM {connection.ops.quote_name(PlaybookRun._meta.db_table)} "
                      f"WHERE status NOT IN ({', '.join(['%s'] * len(TERMINAL_RUN))})")

    def unfinished() -> int:
        with connection.cursor() as cursor:
            cursor.execute(unfinished_sql, TERMINAL_RUN)
            return int(cursor.fetchone()[0])

    def wait_until_finished(pause: float) -> None:
        while unfinished():
            time.sleep(pause)

    separate = bool(args.db_workers or args.rq_workers)
    procs = start_workers(args) if separate else []
    stop = threading.Event()
    threads: list[threading.Thread] = []
    thread_cpu: list[float] = []
    cpu_lock = threading.Lock()
    try:
        warm = start_run(playbook, container, scope="all")
        if separate:
            # Until every worker has taken a run, one of them may still be starting Django.
            for _ in range(4 * len(procs)):
                start_run(playbook, container, scope="all")
            wait_until_finished(0.05)
        else:
            drain(until=lambda: not unfinished())
        first_timed = PlaybookRun.objects.order_by("-pk").values_list("pk", flat=True).first() or warm.pk
        # Separate workers take runs while they are enqueued: their CPU counts from now.
        # Embedded threads start once all are enqueued: this process's CPU counts from
        # then, so the enqueueing (the server's request handling) is not the worker's.
        meter = TreeCPU([p.pid for p in procs] if separate else [os.getpid()])
        if separate:
            meter.start()
        started = time.perf_counter()
        for _ in range(args.runs):
            start_run(playbook, container, scope="all")
        enqueue_s = time.perf_counter() - started
        if not separate:
            meter.start()
        if separate:
            wait_until_finished(0.05)
        elif args.profile:
            import cProfile

            cProfile.runctx("drain()", globals(), {"drain": drain}, args.profile)
        else:
            def timed_worker(n: int) -> None:
                begin = time.thread_time()
                try:
                    EngineWorker(worker_id=f"bench:{n}", idle_wait=0.05, stop=stop).run()
                finally:
                    with cpu_lock:
                        thread_cpu.append(time.thread_time() - begin)

            threads = [threading.Thread(target=timed_worker, args=(n,)) for n in range(args.workers)]
            for t in threads:
                t.start()
            wait_until_finished(0.02)
        elapsed = time.perf_counter() - started
        stop.set()
        for t in threads:
            t.join()
        spent = meter.stop()
        if separate:
            runner_rss: list[int] | str = [rss_bytes(pid) for p in procs for pid in descendants(p.pid)]
        elif runner._pool is not None:
            runner_rss = runner.rss_bytes()
        else:
            runner_rss = []
    finally:
        stop.set()
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
    timed = PlaybookRun.objects.filter(pk__gt=first_timed)
    ok = timed.filter(status="success").count()
    steps = RunStep.objects.filter(run__pk__gt=first_timed, status="done").count()
    figures: dict[str, Any] = {
        "runs": args.runs, "succeeded": ok, "steps": steps, "elapsed_s": round(elapsed, 3),
        "enqueue_s": round(enqueue_s, 3), "runs_per_s": round(args.runs / elapsed, 1),
        "callbacks_per_s": round(steps / elapsed, 1), "vendor": connection.vendor,
        "workers": args.db_workers or args.rq_workers or args.workers,
        "mode": "db_worker" if args.db_workers else "engine_rqworker" if args.rq_workers else "embedded threads",
        "worker_cpu_ms_per_run": round(spent * 1000 / args.runs, 2),
        # Empty: no runner process ran (the engine does not use the pool yet).
        "runner_rss_bytes": runner_rss,
    }
    if thread_cpu:
        figures["worker_thread_cpu_ms_per_run"] = round(sum(thread_cpu) * 1000 / args.runs, 2)
    print(json.dumps(figures))
    return 0 if ok == args.runs else 1


if __name__ == "__main__":
    raise SystemExit(main())
