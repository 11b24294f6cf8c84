"""`manage.py run_playbook FILE` stores the file as a version of local/<stem> (through
editor.files.store_local_playbook_file, the engine writing no editor table) and runs it."""
from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from editor.models import Playbook
from engine.models import Container, PlaybookRun
from tests.engine.conftest import container  # noqa: F401  fixture

MODULE = '''
import phantom.rules as phantom

def on_start(container):
    phantom.debug("from a file")

def on_finish(container, summary):
    pass
'''


def test_a_python_file_is_stored_as_the_next_version_and_run_to_the_end(container: Container,  # noqa: F811
                                                                          tmp_path: Path) -> None:
    path = tmp_path / "from_file.py"
    path.write_text(MODULE, encoding="utf-8")
    for _ in range(2):
        out = StringIO()
        call_command("run_playbook", str(path), "--container", str(container.pk), "--wait", stdout=out)
        assert ": success" in out.getvalue()
    playbook = Playbook.objects.get(repo="local", name="from_file")
    assert playbook.latest_version == 2 and playbook.versions.get(number=2).python == MODULE
    assert PlaybookRun.objects.filter(playbook=playbook, status="success").count() == 2


def test_a_missing_file_is_a_command_error(container: Container, tmp_path: Path) -> None:  # noqa: F811
    with pytest.raises(CommandError, match="no file"):
        call_command("run_playbook", str(tmp_path / "gone.py"), "--container", str(container.pk))
    assert not Playbook.objects.filter(repo="local", name="gone").exists()
