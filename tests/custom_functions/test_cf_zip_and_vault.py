"""zip_extract (with its zip-bomb limits) and vault_list."""
from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest

from engine.custom_functions import source
from engine.execution import loader
from engine.models import Container, VaultItem
from tests.custom_functions.conftest import Call, add_to_vault

pytestmark = pytest.mark.django_db


def make_zip(tmp_path: Path, members: dict[str, bytes], name: str = "a.zip") -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for member, data in members.items():
            zf.writestr(member, data)
    path = tmp_path / name
    path.write_bytes(buffer.getvalue())
    return path


@pytest.fixture
def limited(step: Any) -> Any:
    """zip_extract's module loaded once, so a test can lower the limits it reads from module globals."""
    return loader.load_module(source("zip_extract"), "zip_extract")


def test_zip_extract_puts_every_file_from_every_folder_in_the_vault(call: Call, case: Container,
                                                                    tmp_path: Path) -> None:
    archive = make_zip(tmp_path, {"a.txt": b"alpha", "docs/b.txt": b"beta", "docs/": b"", "../../evil.sh": b"x"})
    vault_id = add_to_vault(archive, "bundle.zip", case)
    out = call("zip_extract", vault_id=vault_id)
    assert out["zip_file_info"] == {"name": "bundle.zip", "user": "cf-analyst"}
    assert [(f["file_name"], f["file_path"]) for f in out["output_files"]] == [
        ("a.txt", "a.txt"), ("b.txt", "docs/b.txt"), ("evil.sh", "../../evil.sh")]
    stored = VaultItem.objects.filter(container=case, vault_id__in=[f["vault_id"] for f in out["output_files"]])
    assert sorted(stored.values_list("name", flat=True)) == ["a.txt", "b.txt", "evil.sh"]
    assert not (tmp_path / "evil.sh").exists() and not (tmp_path.parent / "evil.sh").exists()


def zipcrypto_archive(name: str, plain: bytes, password: bytes) -> bytes:
    """A one-file archive with classic PKWARE encryption (zipfile can read it, not write it)."""
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ 0xEDB88320 if c & 1 else c >> 1
        table.append(c)
    keys = [0x12345678, 0x23456789, 0x34567890]

    def update(byte: int) -> None:
        keys[0] = (keys[0] >> 8) ^ table[(keys[0] ^ byte) & 0xFF]
        keys[1] = ((keys[1] + (keys[0] & 0xFF)) * 134775813 + 1) & 0xFFFFFFFF
        keys[2] = (keys[2] >> 8) ^ table[(keys[2] ^ (keys[1] >> 24)) & 0xFF]

    def encrypt(data: bytes) -> bytes:
        out = bytearray()
        for byte in data:
            temp = (keys[2] | 2) & 0xFFFF
            out.append(byte ^ (((temp * (temp ^ 1)) >> 8) & 0xFF))
            update(byte)
        return bytes(out)

    for byte in password:
        update(byte)
    crc = zlib.crc32(plain)
    body = encrypt(bytes(11) + bytes([crc >> 24])) + encrypt(plain)
    encoded = name.encode()
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 1, 0, 0, 0, crc, len(body), len(plain), len(encoded), 0)
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 1, 0, 0, 0, crc, len(body), len(plain),
                          len(encoded), 0, 0, 0, 0, 0, 0)
    head = local + encoded + body
    directory = central + encoded
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(directory), len(head), 0)
    return head + directory + end


def test_zip_extract_decrypts_with_the_password_and_fails_without_it(call: Call, case: Container,
                                                                     tmp_path: Path) -> None:
    (tmp_path / "locked.zip").write_bytes(zipcrypto_archive("secret.txt", b"top secret", b"infected"))
    vault_id = add_to_vault(tmp_path / "locked.zip", "locked.zip", case)
    with pytest.raises(ValueError, match="cannot decrypt secret.txt"):
        call("zip_extract", vault_id=vault_id)
    with pytest.raises(ValueError, match="cannot decrypt"):
        call("zip_extract", vault_id=vault_id, password="wrong")
    out = call("zip_extract", vault_id=vault_id, password="infected")
    item = VaultItem.objects.get(container=case, vault_id=out["output_files"][0]["vault_id"])
    assert item.name == "secret.txt" and item.size == len(b"top secret")


def test_zip_extract_refuses_a_zip_bomb(limited: Any, case: Container, tmp_path: Path) -> None:
    archive = make_zip(tmp_path, {"zeros.bin": b"\0" * (8 * 1024 * 1024)})
    vault_id = add_to_vault(archive, "bomb.zip", case)
    with pytest.raises(ValueError, match="zip bomb"):
        limited.zip_extract(container=case.pk, vault_id=vault_id)
    assert VaultItem.objects.filter(container=case).count() == 1


def test_zip_extract_refuses_too_many_files_too_large_files_and_too_much_in_all(
        limited: Any, case: Container, tmp_path: Path) -> None:
    vault_id = add_to_vault(make_zip(tmp_path, {f"f{i}.txt": b"abc" for i in range(5)}), "many.zip", case)
    limited.MAX_MEMBERS = 4
    with pytest.raises(ValueError, match="has 5 files"):
        limited.zip_extract(container=case.pk, vault_id=vault_id)
    limited.MAX_MEMBERS, limited.MAX_MEMBER_BYTES = 1000, 2
    with pytest.raises(ValueError, match="the limit is 2"):
        limited.zip_extract(container=case.pk, vault_id=vault_id)
    limited.MAX_MEMBER_BYTES, limited.MAX_TOTAL_BYTES = 1000, 14
    with pytest.raises(ValueError, match="unpacks to 15 bytes"):
        limited.zip_extract(container=case.pk, vault_id=vault_id)


def test_zip_extract_refuses_a_member_that_unpacks_to_more_than_it_declares(
        limited: Any, case: Container, tmp_path: Path) -> None:
    archive = make_zip(tmp_path, {"liar.txt": b"0123456789"})
    raw = bytearray(archive.read_bytes())
    # Rewrite the declared uncompressed size (local header and central directory) from 10 to 4.
    raw = raw.replace((10).to_bytes(4, "little") + (8).to_bytes(2, "little"), (4).to_bytes(4, "little") + (8).to_bytes(2, "little"))
    archive.write_bytes(bytes(raw))
    vault_id = add_to_vault(archive, "liar.zip", case)
    # Either our byte count or zipfile's CRC check stops it; nothing reaches the vault.
    with pytest.raises((ValueError, zipfile.BadZipFile)):
        limited.zip_extract(container=case.pk, vault_id=vault_id)
    assert not VaultItem.objects.filter(name="liar.txt").exists()


def test_zip_extract_needs_a_zip_in_the_vault(call: Call, case: Container, tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("not a zip")
    vault_id = add_to_vault(tmp_path / "x.txt", "x.txt", case)
    with pytest.raises(ValueError, match="not a zip"):
        call("zip_extract", vault_id=vault_id)
    with pytest.raises(ValueError, match="no vault file"):
        call("zip_extract", vault_id="0" * 40)


def test_vault_list_defaults_to_the_run_container_and_filters(call: Call, case: Container, tmp_path: Path) -> None:
    other = Container.objects.create(name="other")
    (tmp_path / "a.txt").write_text("same")
    first = add_to_vault(tmp_path / "a.txt", "a.txt", case)
    add_to_vault(tmp_path / "a.txt", "copy-of-a.txt", case)
    add_to_vault(tmp_path / "a.txt", "a.txt", other)
    rows = call("vault_list")
    assert [(r["file_name"], r["aka"], r["container_name"]) for r in rows] == [
        ("a.txt", ["copy-of-a.txt"], "phishing report"), ("copy-of-a.txt", ["a.txt"], "phishing report")]
    assert rows[0]["metadata"]["contains"] == ["vault id"] and rows[0]["size"] == 4
    assert Path(rows[0]["path"]).read_text() == "same"
    everywhere = call("vault_list", vault_id=first)
    assert sorted(r["container_id"] for r in everywhere) == sorted([case.pk, case.pk, other.pk])
    assert [r["container_id"] for r in call("vault_list", container_id=other.pk, file_name="a.txt")] == [other.pk]
