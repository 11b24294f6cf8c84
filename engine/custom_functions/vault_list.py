def vault_list(container_id=None, vault_id=None, file_name=None, **kwargs):
    """
    List vault files matching a container, a vault id and/or a file name.

    Args:
        container_id: Only files of this container; the run's container when no input is given at all.
        vault_id: Only files with this vault id (SHA-1 of the content) or vault item id.
        file_name: Only files with exactly this name.

    Returns a JSON-serializable object that implements the configured data paths:
        container_name: The name of the file's container.
        file_name: The file's name.
        aka: Other names the same content has in the same container.
        metadata: The file's metadata (sha256, contains, ...).
        metadata.contains: The file's contains-types, such as ["vault id"].
        container_id: The file's container id.
        create_time: When the file was added (ISO 8601).
        vault_id: The vault id (SHA-1 of the content).
        path: The file's absolute path on the server.
        size: The size in bytes.
    """
    ############################ Custom Code Goes Below This Line #################################
    from pathlib import Path

    from django.conf import settings

    from engine.custom_functions._support import as_pk, resolve_container
    from engine.models import VaultItem

    items = VaultItem.objects.select_related("container")
    if container_id in (None, "") and vault_id in (None, "") and file_name in (None, ""):
        items = items.filter(container=resolve_container(None))
    if container_id not in (None, ""):
        items = items.filter(container_id=as_pk(container_id))
    if vault_id not in (None, ""):
        text = str(vault_id).strip()
        items = items.filter(pk=int(text)) if text.isdigit() and len(text) < 20 else items.filter(vault_id=text)
    if file_name not in (None, ""):
        items = items.filter(name=str(file_name))
    found = list(items.order_by("id")[:1000])
    names: dict = {}
    for item in found:
        names.setdefault((item.container_id, item.vault_id), []).append(item.name)
    out = []
    for item in found:
        metadata = dict(item.metadata or {})
        metadata.setdefault("contains", ["vault id"])
        out.append({
            "container_name": item.container.name, "file_name": item.name,
            "aka": [n for n in names[(item.container_id, item.vault_id)] if n != item.name],
            "metadata": metadata, "container_id": item.container_id,
            "create_time": item.create_time.isoformat().replace("+00:00", "Z"), "vault_id": item.vault_id,
            "id": item.pk, "path": str(Path(settings.SOAR_VAULT_DIR) / item.path), "size": item.size,
        })
    return out
