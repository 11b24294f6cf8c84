"""Every name of phantom.rules is either computed in the runner or proxied to the engine
(engine/runner/shim.py says why for each local one), and the engine serves only those."""
from __future__ import annotations

import inspect

from engine.runner import shim


def test_it_classifies_every_name_phantom_rules_exports_exactly_once() -> None:
    from engine.runtime.phantom import rules

    assert shim.LOCAL | shim.PROXIED == set(rules.__all__)
    assert not shim.LOCAL & shim.PROXIED
    assert shim.DEFERRED <= shim.PROXIED


def test_it_proxies_every_public_method_of_the_vault_class() -> None:
    from engine.runtime.phantom.vault import Vault

    public = {name for name, _ in inspect.getmembers(Vault, inspect.isfunction) if not name.startswith("_")}
    assert public == set(shim.VAULT_METHODS)
