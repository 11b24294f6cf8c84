"""The vault: files attached to containers, addressed by the SHA-1 of their content."""
from __future__ import annotations

import functools
import hashlib
import mimetypes
import os
import shutil
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from engine.models import VaultItem
from engine.runtime.context import current
from engine.runtime.phantom._container import _container
from engine.runtime.soarpaths import map_path

MAX_VAULT_FILE = 512 * 1024 * 1024


# Leading bytes of the file types playbooks route on (sandbox choice by `mime_type`).
_MAGIC = ((b"MZ", "application/x-dosexec"), (b"\x7fELF", "application/x-executable"),
          (b"PK\x03\x04", "application/zip"), (b"%PDF", "application/pdf"))


def _mime(path: Path, name: str) -> str:
    try:
        with path.open("rb") as fh:
            head = fh.read(4)
    except OSError:
        head = b""
    for magic, mime in _MAGIC:
        if head.startswith(magic):
            return mime
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def _info(item: VaultItem) -> dict[str, Any]:
    """A vault file as `vault_info` describes it: `container` is the container's name,
    `contains` the types given at vault_add (else "vault id", plus "pe file" for a PE)."""
    path = Path(settings.SOAR_VAULT_DIR) / item.path
    mime = _mime(path, item.name)
    metadata = dict(item.metadata or {})
    contains = [str(c) for c in metadata.get("contains") or ["vault id"]]
    if mime == "application/x-dosexec" and "pe file" not in contains:
        contains.append("pe file")
    return {"vault_id": item.vault_id, "id": item.pk, "name": item.name, "aka": [item.name], "size": item.size,
            "path": str(path), "container": item.container.name, "container_id": item.container_id,
            "metadata": {"sha1": item.vault_id, **metadata, "contains": contains}, "contains": contains,
            "mime_type": mime, "create_time": item.create_time.isoformat().replace("+00:00", "Z")}


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
    found = [_info(i) for i in items.select_related("container")[:1000]]
    return bool(found), f"{len(found)} file(s)", found


def _matching(api: str, vault_id: Any, file_name: Any, container_id: Any) -> Any:
    items = VaultItem.objects.all()
    if vault_id:
        items = items.filter(vault_id=str(vault_id))
    if file_name:
        items = items.filter(name=str(file_name))
    if container_id not in (None, ""):
        items = items.filter(container_id=_container(api, container_id).pk)
    return items


def vault_delete(vault_id: Any = None, file_name: Any = None, container_id: Any = None, remove_all: bool = False,
                 trace: bool = False, **kwargs: Any) -> tuple[bool, str, list[str]]:
    """Remove vault files (by vault id and/or name) from a container — the run's when
    `container_id` is None. Several matches are removed only with `remove_all=True`.
    Returns (success, message, names of the removed files); the content stays on disk while
    another container still holds the same file."""
    ctx = current("vault_delete")
    if not vault_id and not file_name:
        raise ValueError("phantom.vault_delete: give vault_id or file_name")
    where = container_id if container_id not in (None, "") else ctx.run.container_id
    items = list(_matching("vault_delete", vault_id, file_name, where).order_by("id"))
    if not items:
        return False, "no matching vault file", []
    if len(items) > 1 and not remove_all:
        return False, f"{len(items)} files match: pass remove_all=True to remove them all", []
    names = [i.name for i in items]
    for item in items:
        item.delete()
        # The file goes only once the deletion is committed: a step that fails afterwards
        # rolls the row back, and it must find its file still there.
        transaction.on_commit(functools.partial(_unlink_unless_used, item.path))
        ctx.emit("container.vault", {"container": item.container_id, "vault_id": item.vault_id, "name": item.name,
                                     "deleted": True})
    return True, f"{len(names)} file(s) removed", names


def _unlink_unless_used(path: str) -> None:
    if not VaultItem.objects.filter(path=path).exists():
        (Path(settings.SOAR_VAULT_DIR) / path).unlink(missing_ok=True)


def get_vault_item_info(vault_id: Any = None, container_id: Any = None, file_name: Any = None,
                        trace: bool = False, **kwargs: Any) -> list[dict[str, Any]]:
    """Legacy form of `vault_info`: only the list of matching files' info dicts."""
    current("get_vault_item_info")
    items = _matching("get_vault_item_info", vault_id, file_name, container_id).select_related("container")
    return [_info(i) for i in items[:1000]]


def get_vault_file(vault_id: Any = None, trace: bool = False, **kwargs: Any) -> str | None:
    """Legacy: the local path of the file with this vault id (None when the vault has none)."""
    current("get_vault_file")
    item = VaultItem.objects.filter(vault_id=str(vault_id or "")).order_by("id").first()
    return str(Path(settings.SOAR_VAULT_DIR) / item.path) if item is not None else None
