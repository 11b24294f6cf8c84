"""A runner has no secrets to find: no SECRET_KEY or database settings in its environment,
Django unconfigured, and the server's var directory (database, secret key, vault) closed
to it except the vault's temp directory, where SOAR's /opt/phantom/vault/tmp leads."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from engine.runner import default_config
from tests.runner.helpers import run


def test_it_starts_runners_with_a_minimal_environment() -> None:
    outcome = run("import os\n\ndef fn():\n    return sorted(os.environ)\n")
    assert set(outcome.value) <= {"PATH", "LANG", "TZ", "HOME"}
    assert not any(name.startswith(("SOAR_", "DJANGO", "DATABASE", "SECRET", "REDIS")) for name in outcome.value)


def test_it_finds_django_unconfigured_when_code_reads_the_secret_key() -> None:
    outcome = run("""
        import django
        from django.conf import settings

        def fn():
            return settings.SECRET_KEY
        """, block="thief")
    assert outcome.status == "error"
    assert outcome.error.startswith("ImproperlyConfigured in thief: Requested setting SECRET_KEY")


def test_it_finds_no_orm_when_code_imports_the_models_to_read_assets() -> None:
    outcome = run("""
        def fn():
            from engine.models import Asset
            return [a.configuration for a in Asset.objects.all()]
        """)
    assert outcome.status == "error"
    assert "ImproperlyConfigured" in outcome.error or "AppRegistryNotReady" in outcome.error


@pytest.mark.parametrize("name, mode", [("secret_key", "r"), ("db.sqlite3", "r"), ("db.sqlite3", "r+b"),
                                        ("vault/abc/file.bin", "w")])
def test_it_refuses_to_open_files_in_the_var_directory(name: str, mode: str) -> None:
    # Refused before the file is looked for: a missing one is refused too, so the test
    # writes nothing into the var directory the rest of the suite uses.
    target = Path(default_config().var_dir) / name
    outcome = run(f"def fn():\n    return open({str(target)!r}, {mode!r}).read()\n")
    assert outcome.status == "error"
    assert outcome.error.startswith("PermissionError") and "is not allowed in playbook code" in outcome.error


def test_it_refuses_a_path_that_only_leads_into_the_var_directory() -> None:
    var_dir = Path(default_config().var_dir)
    sneaky = f"{var_dir}/vault/tmp/../../secret_key"
    outcome = run(f"""
        import os

        def fn():
            os.symlink({str(var_dir / 'secret_key')!r}, "/tmp/runner-link-" + str(os.getpid()))
            try:
                open("/tmp/runner-link-" + str(os.getpid())).read()
            except PermissionError:
                pass
            finally:
                os.unlink("/tmp/runner-link-" + str(os.getpid()))
            return open({sneaky!r}).read()
        """)
    assert outcome.status == "error" and outcome.error.startswith("PermissionError")


def test_it_refuses_reading_the_engines_environment_through_proc() -> None:
    outcome = run("import os\n\ndef fn():\n    return open(f'/proc/{os.getppid()}/environ').read()\n")
    assert outcome.status == "error" and outcome.error.startswith("PermissionError")


def test_it_lets_code_use_the_vault_temp_directory_by_soars_path() -> None:
    tmp = Path(default_config().vault_tmp_dir)
    outcome = run("""
        def fn():
            with open("/opt/phantom/vault/tmp/runner-test.txt", "w") as f:
                f.write("scratch")
            return open("/opt/phantom/vault/tmp/runner-test.txt").read()
        """)
    assert outcome.value == "scratch"
    assert (tmp / "runner-test.txt").read_text() == "scratch"
    os.unlink(tmp / "runner-test.txt")
