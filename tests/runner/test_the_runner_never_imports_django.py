"""A runner executes playbook code without Django or the engine's runtime in its process:
a fresh pool's runner has neither loaded after running a job that uses the phantom API
(but the runtime's two Django-free modules, which the runner shares with it)."""
from __future__ import annotations

from engine.runner import Job, default_config
from engine.runner.pool import Pool
from tests.runner.helpers import Engine

SOURCE = """
import sys
import phantom.rules as phantom
import phantom.utils as utils
from phantom.vault import Vault

@phantom.playbook_block()
def fn(action=None, success=None, container=None, results=None, handle=None):
    phantom.debug("hello")
    phantom.collect2(container=container, datapath=["artifact:*.cef.sourceAddress"])
    shared = ("engine.runtime.phantom._pure", "engine.runtime.phantom._http_client")
    return sorted(m for m in sys.modules if m not in shared and (m == "django" or m.startswith((
        "django.", "engine.runtime.phantom._", "engine.models", "engine.execution"))))
"""


def test_it_runs_a_job_without_importing_django() -> None:
    pool = Pool(default_config(1))  # its own: another test's job may import django on purpose
    try:
        engine = Engine(answers={"collect2": [["192.0.2.1"]]})
        outcome = pool.execute(Job("callback", SOURCE, "<playbook t>", "fn", args=(None, True, {"id": 1}, [], None)),
                               engine.serve, engine.events)
    finally:
        pool.stop()
    assert outcome.status == "ok", outcome.error
    assert outcome.value == []


def test_the_runner_package_imports_no_django_itself() -> None:
    import subprocess
    import sys

    code = ("import sys; import engine.runner, engine.runner.child, engine.runner.shim; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))")
    out = subprocess.run([sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, '.'); {code}"],
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
