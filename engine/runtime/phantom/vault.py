"""`phantom.vault`: the Vault class some playbooks and custom functions import."""
from __future__ import annotations

from typing import Any

from engine.runtime.phantom._vault import vault_add, vault_info


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
    def get_vault_tmp_dir() -> str:
        """Where code writes files before `add_attachment` (SOAR: /opt/phantom/vault/tmp)."""
        from engine.runtime.soarpaths import vault_tmp_dir

        return str(vault_tmp_dir())
