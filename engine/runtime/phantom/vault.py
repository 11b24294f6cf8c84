"""`phantom.vault`: the Vault class some playbooks and custom functions import."""
from __future__ import annotations

from typing import Any

from engine.runtime.phantom._vault import get_vault_file, vault_add, vault_info


class Vault:
    @staticmethod
    def add_attachment(file_location: Any, container_id: Any, file_name: Any = None, metadata: Any = None) -> dict[str, Any]:
        ok, message, vault_id = vault_add(container=container_id, file_location=file_location, file_name=file_name,
                                          metadata=metadata)
        return {"succeeded": ok, "message": message, "vault_id": vault_id}

    @staticmethod
    def get_file_info(vault_id: Any = None, file_name: Any = None, container_id: Any = None) -> list[dict[str, Any]]:
        return vault_info(vault_id=vault_id, file_name=file_name, container_id=container_id)[2]

    @staticmethod
    def create_attachment(file_contents: Any, container_id: Any, file_name: Any = None,
                          metadata: Any = None) -> dict[str, Any]:
        """Store bytes (or text, UTF-8) as a vault file of the container: written to the vault
        temp dir, then added as `vault_add` adds files. Returns {succeeded, message, vault_id, hash}."""
        import uuid

        from engine.runtime.soarpaths import vault_tmp_dir

        data = file_contents.encode("utf-8") if isinstance(file_contents, str) else bytes(file_contents or b"")
        tmp = vault_tmp_dir() / f"attachment-{uuid.uuid4().hex}"
        tmp.write_bytes(data)
        try:
            ok, message, vault_id = vault_add(container=container_id, file_location=str(tmp),
                                              file_name=file_name or tmp.name, metadata=metadata)
        finally:
            tmp.unlink(missing_ok=True)
        return {"succeeded": ok, "message": message, "vault_id": vault_id, "hash": vault_id}

    @staticmethod
    def get_file_path(vault_id: Any) -> str | None:
        """The local path of the file with this vault id (None when there is none)."""
        return get_vault_file(vault_id)

    @staticmethod
    def get_vault_tmp_dir() -> str:
        """Where code writes files before `add_attachment` (SOAR: /opt/phantom/vault/tmp)."""
        from engine.runtime.soarpaths import vault_tmp_dir

        return str(vault_tmp_dir())
