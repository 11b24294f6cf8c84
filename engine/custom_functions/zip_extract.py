# Limits against zip bombs and archives too large to unpack on the server. Checked against
# the sizes the archive declares and again against the bytes really read, since a crafted
# archive can declare anything.
MAX_MEMBERS = 1000
MAX_MEMBER_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_RATIO = 100  # uncompressed / compressed size of one member


def zip_extract(container=None, vault_id=None, password=None, **kwargs):
    """
    Extract every file of a .zip archive in the vault (from all its folders) into the vault of a
    container. Archives inside the archive are stored as files, not unpacked. Refuses archives with
    more than MAX_MEMBERS files, a file over MAX_MEMBER_BYTES, more than MAX_TOTAL_BYTES in all, or
    a file compressed more than MAX_RATIO times (a zip bomb). Only classic ZIP encryption can be
    decrypted (Python's zipfile has no AES).

    Args:
        container: The container that gets the extracted files: an id or dict; the run's container when empty.
        vault_id: The vault id (SHA-1) of the archive.
        password: The archive password, if it is encrypted.

    Returns a JSON-serializable object that implements the configured data paths:
        zip_file_info.name: The archive's file name in the vault.
        zip_file_info.user: The user the extraction ran for.
        output_files.*.file_name: The name of an extracted file.
        output_files.*.file_path: Its path inside the archive.
        output_files.*.vault_id: Its vault id.
    """
    ############################ Custom Code Goes Below This Line #################################
    import os
    import shutil
    import tempfile
    import zipfile
    from pathlib import Path, PurePosixPath

    import phantom.rules as phantom
    from django.conf import settings

    from engine.custom_functions._support import resolve_container, run_owner
    from engine.models import VaultItem

    target = resolve_container(container)
    if vault_id in (None, ""):
        raise ValueError("vault_id is required")
    items = VaultItem.objects.filter(vault_id=str(vault_id).strip())
    archive = items.filter(container=target).first() or items.first()
    if archive is None:
        raise ValueError(f"no vault file {vault_id!r}")
    source = Path(settings.SOAR_VAULT_DIR) / archive.path
    if not zipfile.is_zipfile(source):
        raise ValueError(f"{archive.name} is not a zip archive")
    pwd = str(password).encode() if password not in (None, "") else None
    owner = run_owner()
    out: dict = {"zip_file_info": {"name": archive.name, "user": owner.get_username() if owner else None},
           "output_files": []}
    scratch = tempfile.mkdtemp(prefix="zip_extract_")
    try:
        with zipfile.ZipFile(source) as zf:
            members = [m for m in zf.infolist() if not m.is_dir()]
            if len(members) > MAX_MEMBERS:
                raise ValueError(f"the archive has {len(members)} files; the limit is {MAX_MEMBERS}")
            declared = sum(m.file_size for m in members)
            if declared > MAX_TOTAL_BYTES:
                raise ValueError(f"the archive unpacks to {declared} bytes; the limit is {MAX_TOTAL_BYTES}")
            total = 0
            for index, member in enumerate(members):
                if member.file_size > MAX_MEMBER_BYTES:
                    raise ValueError(f"{member.filename} is {member.file_size} bytes; the limit is {MAX_MEMBER_BYTES}")
                if member.file_size > 1024 * 1024 and member.file_size > MAX_RATIO * max(member.compress_size, 1):
                    raise ValueError(f"{member.filename} is compressed {member.file_size // max(member.compress_size, 1)}"
                                     f" times; refusing a possible zip bomb (limit {MAX_RATIO})")
                # The member's own name never touches the file system: no path traversal.
                scratch_file = os.path.join(scratch, f"member-{index}")
                written = 0
                try:
                    with zf.open(member, pwd=pwd) as src, open(scratch_file, "wb") as dst:
                        while chunk := src.read(1 << 20):
                            written += len(chunk)
                            total += len(chunk)
                            if written > min(member.file_size, MAX_MEMBER_BYTES) or total > MAX_TOTAL_BYTES:
                                raise ValueError(f"{member.filename} unpacks to more than it declares; refusing it")
                            dst.write(chunk)
                except RuntimeError as exc:  # zipfile's "password required" / "bad password"
                    raise ValueError(f"cannot decrypt {member.filename}: {exc}") from None
                name = PurePosixPath(member.filename.replace("\\", "/")).name or f"file-{index}"
                ok, message, new_id = phantom.vault_add(container=target.pk, file_location=scratch_file,
                                                        file_name=name, metadata={"source_zip": archive.vault_id})
                if not ok:
                    raise ValueError(f"could not add {name} to the vault: {message}")
                out["output_files"].append({"file_name": name, "file_path": member.filename, "vault_id": new_id})
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return out
