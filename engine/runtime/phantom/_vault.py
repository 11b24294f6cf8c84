"""The vault: files attached to containers, addressed by the SHA-1 of their content."""
from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path
from typing import Any

from django.conf import settings

from engine.models import VaultItem
from engine.runtime.context import current
from engine.runtime.phantom._container import _container
from engine.runtime.soarpaths import map_path

MAX_VAULT_FILE = 512 * 1024 * 1024


def _info(item: VaultItem) -> dict[str, Any]:
    return {"vault_id": item.vault_id, "id": item.pk, "name": item.name, "size": item.size,
            "path": str(Path(settings.SOAR_VAULT_DIR) / item.path), "container": item.container_id,
            "container_id": item.container_id, "metadata": item.metadata,
            "create_time": item.create_time.isoformat()}


def vault_add(container: Any = None, file_location: Any = None, file_name: Any = None, metadata: Any = None,
              trace: bool = False, **kwargs: Any) -> tuple[bool, str, str | None]:
    """Copy a file into the container's vault; returns (success, message, vault_id)."""
    ctx = current("vault_add")
    c = _container("vault_add", container)
    source = Path(str(map_path(str(file_location or ""))))
    if not source.is_file():
        return False, f"no file at {file_location!r}", None
    if source.stat().st_size > MAX_VAULT_FILE:
        return False, f"the file is larger than {MAX_VAULT_FILE} bytes", None
    digest = hashlib.sha1(usedforsecurity=False)
    with source.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    vault_id = digest.hexdigest()
    relative = Path(vault_id[:2]) / vault_id
    target = Path(settings.SOAR_VAULT_DIR) / relative
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".tmp{os.getpid()}")
        shutil.copyfile(source, tmp)
        tmp.replace(target)
    name = os.path.basename(str(file_name or source.name))[:1024]
    VaultItem.objects.get_or_create(container=c, vault_id=vault_id, name=name, defaults={
        "size": target.stat().st_size, "path": str(relative), "metadata": dict(metadata or {})})
    ctx.emit("container.vault", {"container": c.pk, "vault_id": vault_id, "name": name})
    return True, "success", vault_id


def vault_info(vault_id: Any = None, file_name: Any = None, container_id: Any = None, trace: bool = False,
               **kwargs: Any) -> tuple[bool, str, list[dict[str, Any]]]:
    """(success, message, [info…]) of vault files matching the vault id / name / container."""
    current("vault_info")
    items = VaultItem.objects.all()
    if vault_id:
        items = items.filter(vault_id=str(vault_id))
    if file_name:
        items = items.filter(name=str(file_name))
    if container_id:
        items = items.filter(container_id=container_id)
    found = [_info(i) for i in items[:1000]]
    return bool(found), f"{len(found)} file(s)", found
