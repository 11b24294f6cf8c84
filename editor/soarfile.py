"""SOAR file I/O (pure): playbook ``.json``, the ``.json`` + ``.py`` pair, the ``.tgz``
export bundle, and custom-function JSON.

Import then export is lossless (JSON-equal, key order aside) and export writes what
SOAR writes: keys sorted, 4-space indent, ASCII escapes, no trailing newline.
Malformed input raises ``SoarFormatError`` naming the file and key path.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import tarfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from editor.graph.errors import SoarFormatError
from editor.graph.model import Playbook, parse_playbook

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_BUNDLE_MEMBERS = 1_000


def dumps(obj: Any) -> str:
    """SOAR's serialisation: sorted keys, 4-space indent, no trailing newline."""
    return json.dumps(obj, sort_keys=True, indent=4)


def _loads(data: str | bytes, file: str | None) -> Any:
    if isinstance(data, bytes):
        if len(data) > MAX_FILE_BYTES:
            raise SoarFormatError(f"file larger than {MAX_FILE_BYTES} bytes", "", file)
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise SoarFormatError(f"not UTF-8 text (byte {exc.start})", "", file) from exc
    try:
        return json.loads(data)
    except RecursionError as exc:
        raise SoarFormatError("JSON nested too deeply", "", file) from exc
    except json.JSONDecodeError as exc:
        raise SoarFormatError(f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})", "", file) from exc


def detect_kind(obj: Any) -> str:
    """``modern`` | ``classic`` | ``custom_function`` | ``unknown``."""
    if not isinstance(obj, dict):
        return "unknown"
    if "custom_function_id" in obj or ("inputs" in obj and "outputs" in obj and "coa" not in obj):
        return "custom_function"
    data = obj.get("coa", {}).get("data") if isinstance(obj.get("coa"), dict) else None
    if isinstance(data, dict) and "nodes" in data:
        return "modern"
    if isinstance(data, dict) and "joint" in data:
        return "classic"
    return "unknown"


# -- playbooks --------------------------------------------------------------------------
def load_playbook(data: str | bytes | dict[str, Any], file: str | None = None, name: str = "") -> Playbook:
    """Parse a modern playbook from JSON text/bytes or an already-parsed dict."""
    obj = data if isinstance(data, dict) else _loads(data, file)
    try:
        return parse_playbook(obj, name=name or (PurePosixPath(file).stem if file else ""))
    except SoarFormatError as exc:
        if file:
            raise exc.with_file(file) from exc
        raise


def dump_playbook(playbook: Playbook) -> str:
    return dumps(playbook.to_json())


def read_playbook(path: str | Path) -> Playbook:
    p = Path(path)
    return load_playbook(p.read_bytes(), str(p), p.stem)


def write_playbook(playbook: Playbook, path: str | Path) -> None:
    Path(path).write_text(dump_playbook(playbook), encoding="utf-8")


@dataclass
class PlaybookPair:
    """A playbook as SOAR stores it: graph JSON plus the generated (or edited) module."""

    name: str
    playbook: Playbook
    source: str | None = None  # the .py text, when present


def read_pair(json_path: str | Path) -> PlaybookPair:
    p = Path(json_path)
    py = p.with_suffix(".py")
    source = py.read_text(encoding="utf-8") if py.exists() else None
    return PlaybookPair(p.stem, read_playbook(p), source)


def write_pair(pair: PlaybookPair, directory: str | Path) -> tuple[Path, Path | None]:
    d = Path(directory)
    json_path = d / f"{_safe_stem(pair.name)}.json"
    write_playbook(pair.playbook, json_path)
    py_path = None
    if pair.source is not None:
        py_path = d / f"{_safe_stem(pair.name)}.py"
        py_path.write_text(pair.source, encoding="utf-8")
    return json_path, py_path


def _safe_stem(name: str) -> str:
    """File stems come from playbook names; never let one climb out of the directory."""
    stem = PurePosixPath(name.replace("\\", "/")).name
    if stem in ("", ".", "..") or stem.startswith("."):
        raise SoarFormatError(f"unusable playbook name {name!r} for a file name", "name")
    return stem


# -- .tgz bundle ------------------------------------------------------------------------
def read_bundle(data: bytes, file: str | None = "bundle.tgz") -> list[PlaybookPair]:
    """Playbooks in a SOAR export bundle: a gzip tar of ``NAME.json`` (+ ``NAME.py``,
    ``NAME.png``).  Read in memory; links, devices and oversized members are refused."""
    try:
        tar = tarfile.open(fileobj=io.BytesIO(data), mode="r:*")
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise SoarFormatError(f"not a tar/tgz bundle: {exc}", "", file) from exc
    texts: dict[str, bytes] = {}
    with tar:
        members = tar.getmembers()
        if len(members) > MAX_BUNDLE_MEMBERS:
            raise SoarFormatError(f"bundle has more than {MAX_BUNDLE_MEMBERS} members", "", file)
        for member in members:
            base = PurePosixPath(member.name).name
            if not member.isfile() or base.startswith("."):
                continue
            if member.size > MAX_FILE_BYTES:
                raise SoarFormatError(f"member larger than {MAX_FILE_BYTES} bytes", member.name, file)
            handle = tar.extractfile(member)
            if handle is not None:
                texts[member.name] = handle.read()
    out: list[PlaybookPair] = []
    for member_name in sorted(texts):
        path = PurePosixPath(member_name)
        if path.suffix != ".json":
            continue
        where = f"{file}:{member_name}" if file else member_name
        obj = _loads(texts[member_name], where)
        if detect_kind(obj) != "modern":
            continue
        py_name = str(path.with_suffix(".py"))
        source = texts[py_name].decode("utf-8", "replace") if py_name in texts else None
        out.append(PlaybookPair(path.stem, load_playbook(obj, where, path.stem), source))
    if not out:
        raise SoarFormatError("bundle holds no modern playbook JSON", "", file)
    return out


def write_bundle(pairs: list[PlaybookPair]) -> bytes:
    """A ``.tgz`` in SOAR's export layout.  Deterministic (fixed mtimes, sorted)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz", format=tarfile.PAX_FORMAT) as tar:
        for pair in sorted(pairs, key=lambda p: p.name):
            stem = _safe_stem(pair.name)
            files = [(f"{stem}.json", dump_playbook(pair.playbook))]
            if pair.source is not None:
                files.append((f"{stem}.py", pair.source))
            for name, text in files:
                payload = text.encode("utf-8")
                info = tarfile.TarInfo(name)
                info.size = len(payload)
                info.mtime = 0
                info.mode = 0o644
                tar.addfile(info, io.BytesIO(payload))
    return buf.getvalue()


# -- custom functions -------------------------------------------------------------------
@dataclass
class CustomFunction:
    """``custom_functions/NAME.json`` (soar-format.md §7), lossless via ``extra``."""

    name: str
    description: str
    inputs: list[dict[str, Any]]
    outputs: list[dict[str, Any]]
    extra: dict[str, Any] = field(default_factory=dict)
    source: str | None = None  # NAME.py, when read as a pair

    @property
    def outputs_type(self) -> str | None:
        value = self.extra.get("outputs_type")
        return value if isinstance(value, str) else None

    @property
    def input_names(self) -> list[str]:
        return [i["name"] for i in self.inputs if isinstance(i.get("name"), str)]

    def to_json(self) -> dict[str, Any]:
        out = copy.deepcopy(self.extra)
        out["description"] = self.description
        out["inputs"] = copy.deepcopy(self.inputs)
        out["outputs"] = copy.deepcopy(self.outputs)
        return out


def load_custom_function(data: str | bytes | dict[str, Any], file: str | None = None, name: str = "") -> CustomFunction:
    obj = data if isinstance(data, dict) else _loads(data, file)
    if not isinstance(obj, dict):
        raise SoarFormatError("expected an object", "", file)
    obj = copy.deepcopy(obj)
    for key in ("inputs", "outputs"):
        value = obj.get(key)
        if not isinstance(value, list):
            raise SoarFormatError("expected a list", key, file)
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                raise SoarFormatError("expected an object", f"{key}[{i}]", file)
    description = obj.get("description", "")
    if not isinstance(description, str):
        raise SoarFormatError("expected a string", "description", file)
    extra = {k: v for k, v in obj.items() if k not in ("description", "inputs", "outputs")}
    stem = name or (PurePosixPath(file).stem if file else "")
    return CustomFunction(stem, description, obj["inputs"], obj["outputs"], extra)


def dump_custom_function(cf: CustomFunction) -> str:
    return dumps(cf.to_json())


def read_custom_function(path: str | Path) -> CustomFunction:
    p = Path(path)
    cf = load_custom_function(p.read_bytes(), str(p), p.stem)
    py = p.with_suffix(".py")
    cf.source = py.read_text(encoding="utf-8") if py.exists() else None
    return cf


def stamp_hash(playbook: Playbook, source: str) -> None:
    """Set ``coa.data.hash`` to the SHA-1 of the module text, as SOAR does on save
    (soar-format.md §2.3), so the exported pair is self-consistent."""
    playbook.data["hash"] = hashlib.sha1(source.encode("utf-8")).hexdigest()
