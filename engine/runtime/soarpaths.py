"""SOAR's fixed file locations, mapped into this installation's var directory.

Community playbooks write scratch files to `/opt/phantom/vault/tmp/` before `vault_add`
(apps call `Vault.get_vault_tmp_dir()` for it). Playbook modules get an `open` that
maps that prefix to `SOAR_VAR_DIR/vault/tmp`, and `vault_add` maps `file_location` the
same way, so those playbooks run unchanged; every other path is left alone.
"""
from __future__ import annotations

import builtins
from pathlib import Path
from typing import Any

SOAR_VAULT_TMP = "/opt/phantom/vault/tmp"


def vault_tmp_dir() -> Path:
    from django.conf import settings

    path = Path(settings.SOAR_VAULT_DIR) / "tmp"
    path.mkdir(parents=True, exist_ok=True)
    return path


def map_path(path: Any, tmp_dir: str | Path | None = None) -> Any:
    """`/opt/phantom/vault/tmp/x` → `<tmp_dir>/x` (default: this installation's vault temp
    directory); anything else unchanged. Django-free with `tmp_dir` (the runner processes
    map paths with it: engine.runner.sandbox)."""
    if not isinstance(path, (str, Path)):
        return path
    text = str(path)
    if text == SOAR_VAULT_TMP or text.startswith(SOAR_VAULT_TMP + "/"):
        rest = text[len(SOAR_VAULT_TMP):].lstrip("/")
        if ".." in Path(rest).parts:
            raise PermissionError(f"{text}: '..' is not allowed in a vault temp path")
        return str(Path(tmp_dir if tmp_dir is not None else vault_tmp_dir()) / rest)
    return path


def playbook_open(file: Any, *args: Any, **kwargs: Any) -> Any:
    return builtins.open(map_path(file), *args, **kwargs)
