"""Engine throughput figures (bench/engine_runs.py in subprocesses, each on a fresh database).

- embedded: SQLite, worker threads in one process (what `make run` does): the best of
  BENCH_ENGINE_TRIES runs (each listed, with bench_machine's yardstick taken right before
  it), the least worker CPU a run took (process CPU: the engine's process and its runner
  processes) and the runner processes' RSS;
- the baseline: the same embedded figure for an older checkout of this repository, in the
  same sitting (each of its tries right after one of ours), so a change of design is
  compared on the same machine at the same moment. Set BENCH_BASELINE_DIR to that
  checkout, e.g. `git worktree add ../base 69076e2` and BENCH_BASELINE_DIR=../base (the
  issue 21 design is compared with 69076e2, the last commit of the first design); it runs
  with this repository's Python (sys.executable) and its own bench/engine_runs.py, and
  BENCH_BASELINE_NAME names it in the key (default: the checkout's short commit). Without
  BENCH_BASELINE_DIR the figure says "skipped: BENCH_BASELINE_DIR not set";
- db_worker: PostgreSQL with 1 and with 2 `manage.py db_worker` processes, and the ratio;
- rq: the Redis broker backend (SOAR_TASK_BACKEND=rq) with 2 `manage.py engine_rqworker`
  processes, PostgreSQL as the database; its queues are on BENCH_RQ_URL (default
  redis://127.0.0.1:6379/7, emptied first). Skipped when Redis does not answer.

PostgreSQL is BENCH_DATABASE_URL, or else the local soar_bench database as role soar (what
scripts/ensure-services creates) or, where that role does not exist, as postgres (a
local server with trust authentication); the database is created when missing. The
PostgreSQL figures are skipped when none of them can be reached.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.bench_machine import run as yardstick

ROOT = Path(__file__).resolve().parent.parent
PG_URLS = ([os.environ["BENCH_DATABASE_URL"]] if os.environ.get("BENCH_DATABASE_URL") else
           ["postgres://soar:soar@127.0.0.1:5432/soar_bench", "postgres://postgres@127.0.0.1:5432/soar_bench"])
PG_URL = PG_URLS[0]
RQ_URL = os.environ.get("BENCH_RQ_URL", "redis://127.0.0.1:6379/7")
RUNS = int(os.environ.get("BENCH_ENGINE_RUNS", "300"))
# The embedded figure is the best of a few fresh runs, each listed: on a shared machine one
# run can lose a third of its speed to the neighbours.
TRIES = int(os.environ.get("BENCH_ENGINE_TRIES", "3"))
PENDING_RUNNER = "pending: runner not integrated"


def _run(args: list[str], env: dict[str, str], root: Path = ROOT) -> dict[str, Any]:
    out = subprocess.run([sys.executable, str(root / "bench" / "engine_runs.py"), *args], cwd=root, env=env,
                         capture_output=True, text=True, timeout=900, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"engine_runs {' '.join(args)} in {root} failed: {out.stderr[-800:] or out.stdout[-800:]}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _ensure_pg_database(url: str) -> bool:
    try:
        import psycopg
        from psycopg import sql
    except ImportError:
        return False
    import dj_database_url

    cfg = dj_database_url.parse(url)
    try:
        with psycopg.connect(host=cfg["HOST"], port=cfg["PORT"] or 5432, user=cfg["USER"],
                             password=cfg["PASSWORD"], dbname="postgres", autocommit=True, connect_timeout=3) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (cfg["NAME"],)).fetchone()
            if not exists:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(cfg["NAME"])))
    except psycopg.Error:
        return False
    return True


def _redis_answers(url: str) -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_connect_timeout=3).ping())
    except Exception:  # missing module, refused, timed out: the figure is skipped, not an error
        return False


def _baseline() -> tuple[Path, str] | None:
    where = os.environ.get("BENCH_BASELINE_DIR")
    if not where:
        return None
    root = Path(where).resolve()
    name = os.environ.get("BENCH_BASELINE_NAME") or subprocess.run(
        ["git", "rev-parse", "--short=7", "HEAD"], cwd=root, capture_output=True, text=True, check=True).stdout.strip()
    return root, name


def _rss(result: dict[str, Any]) -> list[int] | str:
    return result.get("runner_rss_bytes") or PENDING_RUNNER


def run() -> dict[str, Any]:
    base = {k: v for k, v in os.environ.items()
            if k not in ("DATABASE_URL", "REDIS_URL", "SOAR_TASK_BACKEND", "SOAR_RQ_URL")}
    figures: dict[str, Any] = {}
    baseline = _baseline()
    tries, yardsticks, baseline_tries = [], [], []
    for _ in range(max(1, TRIES)):
        # The machine's speed right before each try (bench_machine): on a shared machine it
        # has nearly doubled within minutes, and every figure below moves with it.
        yardsticks.append(yardstick()["machine_python_yardstick_ms"])
        tries.append(_run(["--runs", str(RUNS), "--workers", "4"], base))
        if baseline is not None:
            baseline_tries.append(_run(["--runs", str(RUNS), "--workers", "4"], base, baseline[0]))
    embedded = max(tries, key=lambda t: float(t["runs_per_s"]))
    figures["engine_runs_per_s_embedded_sqlite"] = embedded["runs_per_s"]
    figures["engine_callbacks_per_s_embedded_sqlite"] = embedded["callbacks_per_s"]
    figures["engine_runs_per_s_embedded_sqlite_tries"] = [t["runs_per_s"] for t in tries]
    figures["engine_embedded_sqlite_tries_machine_yardstick_ms"] = yardsticks
    figures["engine_worker_cpu_ms_per_run_embedded_sqlite"] = min(t["worker_cpu_ms_per_run"] for t in tries)
    if any("worker_thread_cpu_ms_per_run" in t for t in tries):
        figures["engine_worker_thread_cpu_ms_per_run_embedded_sqlite"] = min(
            t.get("worker_thread_cpu_ms_per_run", float("inf")) for t in tries)
    figures["engine_runner_rss_bytes_embedded_sqlite"] = _rss(embedded)
    if baseline is None:
        figures["engine_runs_per_s_embedded_sqlite_baseline"] = "skipped: BENCH_BASELINE_DIR not set"
    else:
        name = baseline[1]
        best = max(baseline_tries, key=lambda t: float(t["runs_per_s"]))
        figures[f"engine_runs_per_s_embedded_sqlite_{name}"] = best["runs_per_s"]
        figures[f"engine_runs_per_s_embedded_sqlite_{name}_tries"] = [t["runs_per_s"] for t in baseline_tries]
        # The older script measured its worker threads' CPU only (no runner processes then).
        figures[f"engine_worker_thread_cpu_ms_per_run_embedded_sqlite_{name}"] = min(
            t["worker_cpu_ms_per_run"] for t in baseline_tries)
    pg_url = next((url for url in PG_URLS if _ensure_pg_database(url)), None)
    if pg_url is None:
        figures["engine_postgres"] = f"skipped: cannot reach {' or '.join(PG_URLS)}"
        return figures
    pg_env = {**base, "DATABASE_URL": pg_url}
    one = _run(["--runs", str(RUNS), "--db-workers", "1"], pg_env)
    two = _run(["--runs", str(RUNS), "--db-workers", "2"], pg_env)
    figures["engine_runs_per_s_1_db_worker_postgres"] = one["runs_per_s"]
    figures["engine_runs_per_s_2_db_workers_postgres"] = two["runs_per_s"]
    figures["engine_callbacks_per_s_2_db_workers_postgres"] = two["callbacks_per_s"]
    figures["engine_2_vs_1_db_workers_postgres_ratio"] = round(float(two["runs_per_s"]) / float(one["runs_per_s"]), 2)
    figures["engine_worker_cpu_ms_per_run_2_db_workers_postgres"] = two["worker_cpu_ms_per_run"]
    figures["engine_runner_rss_bytes_2_db_workers_postgres"] = _rss(two)
    figures["engine_postgres_machine_yardstick_ms"] = yardstick()["machine_python_yardstick_ms"]
    if _redis_answers(RQ_URL):
        rq = _run(["--runs", str(RUNS), "--rq-workers", "2"],
                  {**pg_env, "SOAR_TASK_BACKEND": "rq", "SOAR_RQ_URL": RQ_URL})
        figures["engine_runs_per_s_2_rq_workers_postgres"] = rq["runs_per_s"]
        figures["engine_callbacks_per_s_2_rq_workers_postgres"] = rq["callbacks_per_s"]
        figures["engine_worker_cpu_ms_per_run_2_rq_workers_postgres"] = rq["worker_cpu_ms_per_run"]
    else:
        figures["engine_rq"] = f"skipped: Redis at {RQ_URL} does not answer"
    return figures
