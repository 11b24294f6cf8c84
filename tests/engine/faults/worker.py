"""A worker process for the fault tests: `python -m tests.engine.faults.worker <command> ...`
runs a manage.py command (db_worker, engine_rqworker) exactly as manage.py would, with the
Ledger test connector registered first (tests.engine.faults.ledger): connectors are looked
up in code, not in the database, so the worker process must know it too."""
from __future__ import annotations

import os
import sys


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "soar.settings")
    import django

    django.setup()
    from tests.engine.faults import ledger

    ledger.install()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["manage.py", *argv])


if __name__ == "__main__":
    main(sys.argv[1:])
