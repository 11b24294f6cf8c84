"""COMPILER_VERSION is bumped whenever the emitted code changes: stored versions record it,
and the engine recompiles those an older compiler made. The golden modules stand for the
emitted code; their digest is recorded next to the constant, so changing them without
touching the constant fails here."""
from __future__ import annotations

import hashlib

from pbkit import GOLDEN

from editor.compiler import COMPILER_VERSION, GOLDEN_DIGEST


def golden_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(GOLDEN.glob("*.py.txt")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def test_the_golden_output_is_the_one_recorded_with_the_compiler_version() -> None:
    assert golden_digest() == GOLDEN_DIGEST, (
        f"the compiler's golden output changed: bump COMPILER_VERSION in editor/compiler/__init__.py "
        f"(now {COMPILER_VERSION}) and set GOLDEN_DIGEST = {golden_digest()!r} beside it")


def test_the_compiler_version_is_a_positive_number() -> None:
    # 0 marks versions stored before compile on save (editor.models.PlaybookVersion).
    assert isinstance(COMPILER_VERSION, int) and COMPILER_VERSION >= 1
