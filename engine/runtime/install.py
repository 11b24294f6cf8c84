"""Make `import phantom.rules as phantom` resolve to Playbook Studio's runtime."""
from __future__ import annotations

import importlib
import sys

_MODULES = ("rules", "utils", "vault")


def install_phantom() -> None:
    if "phantom.rules" in sys.modules:
        return
    package = importlib.import_module("engine.runtime.phantom")
    sys.modules.setdefault("phantom", package)
    for name in _MODULES:
        module = importlib.import_module(f"engine.runtime.phantom.{name}")
        sys.modules.setdefault(f"phantom.{name}", module)
