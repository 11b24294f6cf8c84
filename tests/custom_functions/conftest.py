"""Running the built-in custom functions the way the engine does, inside a run's step context.

`call` loads a function's module from its source text (as engine.execution.custom_functions
does) and calls it with keyword arguments, bound to a real run of a throwaway playbook on
`case`, so phantom.* calls, events and the run's owner all work without a worker.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User

from engine.custom_functions import source
from engine.execution import loader
from engine.models import Container, PlaybookRun, RunStep
from engine.runtime.context import StepContext, bind, unbind
from tests.engine.conftest import python_playbook

Call = Callable[..., Any]


@pytest.fixture
def case(db: Any) -> Container:
    return Container.objects.create(name="phishing report", label="events")


@pytest.fixture
def analyst_user(db: Any) -> User:
    return User.objects.create_user("cf-analyst")


@pytest.fixture
def step(case: Container, analyst_user: User) -> Iterator[StepContext]:
    playbook = python_playbook("cf_host", "def on_start(container):\n    pass\n")
    run = PlaybookRun.objects.create(playbook=playbook, playbook_version=playbook.current(), container=case,
                                     owner=analyst_user, status="running")
    ctx = StepContext(run=run, step=RunStep.objects.create(run=run, kind="custom_function"), block="cf")
    loader.install_phantom()
    token = bind(ctx)
    yield ctx
    unbind(token)


@pytest.fixture
def call(step: StepContext) -> Call:
    def run(function: str, /, **params: Any) -> Any:
        module = loader.load_module(source(function), f"custom function {function}")
        return loader.function(module, function)(**params)

    return run


@pytest.fixture(autouse=True)
def vault_dir(settings: Any, tmp_path: Any) -> Any:
    """Vault files of these tests go to a temporary directory, not var/vault."""
    settings.SOAR_VAULT_DIR = tmp_path / "vault"
    return settings.SOAR_VAULT_DIR


def add_to_vault(path: Any, name: str, container: Container) -> str:
    """Put a file into a container's vault through phantom.vault_add (needs the step fixture)."""
    import phantom.rules as phantom

    ok, message, vault_id = phantom.vault_add(container=container.pk, file_location=str(path), file_name=name)
    assert ok, message
    return str(vault_id)


def covers(value: Any, path: list[str]) -> bool:
    """True when a datapath (split on dots) reaches a key in value; "*" needs a non-empty list.

    A named segment applied to a list applies to each element, as SOAR datapaths do.
    """
    if not path:
        return True
    head, rest = path[0], path[1:]
    if head == "*":
        return isinstance(value, list) and bool(value) and all(covers(v, rest) for v in value)
    if isinstance(value, list):
        return all(covers(v, path) for v in value)
    return isinstance(value, dict) and head in value and covers(value[head], rest)
