"""Parse SOAR app definitions (the app's own JSON) into frozen dataclasses.

Accepts a single ``<app>.json``, a folder of them, or an app ``.tgz`` as SOAR installs
it. Everything here is pure Python over JSON so the Django side can call it from a
loader and store ``AppDef.raw`` verbatim.
"""

from __future__ import annotations

import io
import json
import tarfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

__all__ = [
    "ActionDef",
    "AppDef",
    "AppDefinitionError",
    "ConfigField",
    "OutputDef",
    "ParamDef",
    "load_app",
    "load_app_bytes",
    "load_apps",
    "parse_app",
]

# An app JSON is a few hundred kB at most; anything far bigger in a tarball is not one.
_MAX_JSON_BYTES = 32 * 1024 * 1024
_WRITE_TYPES = frozenset({"contain", "correct"})
_TARBALL_SUFFIXES = (".tgz", ".tar.gz", ".tar")


class AppDefinitionError(ValueError):
    """An app definition is unreadable or malformed.

    ``source`` names the file (or tarball member) and ``key_path`` the offending key,
    e.g. ``actions[3].parameters.ip.data_type``.
    """

    def __init__(self, source: str, key_path: str, problem: str) -> None:
        self.source = source
        self.key_path = key_path
        self.problem = problem
        super().__init__(f"{source}: {key_path}: {problem}")


@dataclass(frozen=True)
class ConfigField:
    """One asset configuration field (``configuration.<name>``)."""

    name: str
    data_type: str
    required: bool = False
    default: Any = None
    description: str = ""
    order: int = 0
    value_list: tuple[Any, ...] = ()

    @property
    def is_secret(self) -> bool:
        return self.data_type == "password"


@dataclass(frozen=True)
class ParamDef:
    """One action parameter (``actions[i].parameters.<name>``)."""

    name: str
    data_type: str = "string"
    required: bool = False
    contains: tuple[str, ...] = ()
    default: Any = None
    value_list: tuple[Any, ...] = ()
    primary: bool = False
    order: int = 0
    description: str = ""
    allow_list: bool = False


@dataclass(frozen=True)
class OutputDef:
    """One declared output datapath (``actions[i].output[j]``)."""

    data_path: str
    data_type: str = "string"
    contains: tuple[str, ...] = ()
    example_values: tuple[Any, ...] = ()
    column_name: str | None = None


@dataclass(frozen=True)
class ActionDef:
    """One action of an app; ``name`` is SOAR's ``action`` key (e.g. ``"geolocate ip"``)."""

    name: str
    identifier: str
    description: str
    type: str
    read_only: bool
    parameters: tuple[ParamDef, ...]
    outputs: tuple[OutputDef, ...]
    versions: str = "EQ(*)"
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def is_write(self) -> bool:
        """True when running the action changes something outside (SOAR's notion)."""
        return not self.read_only or self.type in _WRITE_TYPES

    def param(self, name: str) -> ParamDef | None:
        return next((p for p in self.parameters if p.name == name), None)


@dataclass(frozen=True)
class AppDef:
    """A parsed app definition; ``raw`` is the JSON exactly as read."""

    appid: str
    name: str
    version: str
    product_vendor: str
    product_name: str
    description: str
    logo: str | None
    configuration: Mapping[str, ConfigField]
    actions: tuple[ActionDef, ...]
    source: str = ""
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def action(self, name_or_identifier: str) -> ActionDef | None:
        """The action whose name or identifier matches, or None."""
        for action in self.actions:
            if name_or_identifier in (action.name, action.identifier):
                return action
        return None


# -- parsing -------------------------------------------------------------------------


class _Reader:
    """Typed access to JSON values that reports the file and key path on failure."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, key_path: str, problem: str) -> AppDefinitionError:
        return AppDefinitionError(self.source, key_path, problem)

    def mapping(self, value: Any, key_path: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(key_path, f"expected an object, got {_kind(value)}")
        return value

    def text(self, obj: Mapping[str, Any], key: str, path: str, *, required: bool = False,
             default: str = "") -> str:
        value = obj.get(key)
        if value is None:
            if required:
                raise self.fail(_join(path, key), "missing required key")
            return default
        if not isinstance(value, str):
            raise self.fail(_join(path, key), f"expected a string, got {_kind(value)}")
        if required and not value.strip():
            raise self.fail(_join(path, key), "must not be empty")
        return value

    def flag(self, obj: Mapping[str, Any], key: str, path: str, default: bool = False) -> bool:
        value = obj.get(key, default)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.fail(_join(path, key), f"expected true or false, got {_kind(value)}")
        return value

    def number(self, obj: Mapping[str, Any], key: str, path: str) -> int:
        value = obj.get(key, 0)
        if value is None:
            return 0
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(_join(path, key), f"expected a number, got {_kind(value)}")
        return int(value)

    def strings(self, obj: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
        value = obj.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail(_join(path, key), f"expected a list, got {_kind(value)}")
        for i, item in enumerate(value):
            if not isinstance(item, str):
                raise self.fail(f"{_join(path, key)}[{i}]", f"expected a string, got {_kind(item)}")
        return tuple(value)

    def values(self, obj: Mapping[str, Any], key: str, path: str) -> tuple[Any, ...]:
        value = obj.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail(_join(path, key), f"expected a list, got {_kind(value)}")
        return tuple(value)


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean",
            int: "a number", float: "a number"}.get(type(value), type(value).__name__)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def parse_app(data: Any, source: str = "<memory>") -> AppDef:
    """Build an :class:`AppDef` from decoded app JSON.

    Raises :class:`AppDefinitionError` naming ``source`` and the key path on bad input.
    """
    r = _Reader(source)
    top = r.mapping(data, "$")
    appid = r.text(top, "appid", "", required=True)
    name = r.text(top, "name", "", required=True)
    # Some hand-written manifests carry the version as a number; SOAR shows it as text.
    raw_version = top.get("app_version")
    if isinstance(raw_version, (int, float)) and not isinstance(raw_version, bool):
        version = str(raw_version)
    else:
        version = r.text(top, "app_version", "", required=True)

    config_value = top.get("configuration")
    config_raw = r.mapping({} if config_value is None else config_value, "configuration")
    configuration = {key: _parse_config_field(r, key, value)
                     for key, value in config_raw.items()}

    actions_raw = top.get("actions")
    if actions_raw is None:
        raise r.fail("actions", "missing required key")
    if not isinstance(actions_raw, list):
        raise r.fail("actions", f"expected a list, got {_kind(actions_raw)}")
    actions = tuple(_parse_action(r, i, a) for i, a in enumerate(actions_raw))
    # Playbooks call actions by name and connectors dispatch by identifier: both unique.
    for key, attr in (("identifier", "identifier"), ("action", "name")):
        seen: dict[str, int] = {}
        for i, action in enumerate(actions):
            value = getattr(action, attr)
            if value in seen:
                raise r.fail(f"actions[{i}].{key}",
                             f"duplicate {key} {value!r} (also actions[{seen[value]}])")
            seen[value] = i

    logo = top.get("logo")
    return AppDef(
        appid=appid,
        name=name,
        version=version,
        product_vendor=r.text(top, "product_vendor", ""),
        product_name=r.text(top, "product_name", ""),
        description=r.text(top, "description", ""),
        logo=logo if isinstance(logo, str) else None,
        configuration=configuration,
        actions=actions,
        source=source,
        raw=top,
    )


def _parse_config_field(r: _Reader, key: str, value: Any) -> ConfigField:
    path = f"configuration.{key}"
    obj = r.mapping(value, path)
    return ConfigField(
        name=key,
        data_type=r.text(obj, "data_type", path, default="string"),
        required=r.flag(obj, "required", path),
        default=obj.get("default"),
        description=r.text(obj, "description", path),
        order=r.number(obj, "order", path),
        value_list=r.values(obj, "value_list", path),
    )


def _parse_action(r: _Reader, index: int, value: Any) -> ActionDef:
    path = f"actions[{index}]"
    obj = r.mapping(value, path)
    action_type = r.text(obj, "type", path, default="generic")
    params_value = obj.get("parameters")
    params_raw = r.mapping({} if params_value is None else params_value, _join(path, "parameters"))
    parameters = tuple(
        _parse_param(r, f"{path}.parameters.{pname}", pname, pvalue)
        for pname, pvalue in params_raw.items()
    )
    outputs_raw = obj.get("output")
    outputs_raw = [] if outputs_raw is None else outputs_raw
    if not isinstance(outputs_raw, list):
        raise r.fail(_join(path, "output"), f"expected a list, got {_kind(outputs_raw)}")
    outputs = tuple(_parse_output(r, f"{path}.output[{j}]", o) for j, o in enumerate(outputs_raw))
    # Missing read_only: only the action types that look things up are safe to assume.
    read_only_default = action_type in ("investigate", "test")
    return ActionDef(
        name=r.text(obj, "action", path, required=True),
        identifier=r.text(obj, "identifier", path, required=True),
        description=r.text(obj, "description", path),
        type=action_type,
        read_only=r.flag(obj, "read_only", path, default=read_only_default),
        parameters=tuple(sorted(parameters, key=lambda p: p.order)),
        outputs=outputs,
        versions=r.text(obj, "versions", path, default="EQ(*)"),
        raw=obj,
    )


def _parse_param(r: _Reader, path: str, name: str, value: Any) -> ParamDef:
    obj = r.mapping(value, path)
    return ParamDef(
        name=name,
        data_type=r.text(obj, "data_type", path, default="string"),
        required=r.flag(obj, "required", path),
        contains=r.strings(obj, "contains", path),
        default=obj.get("default"),
        value_list=r.values(obj, "value_list", path),
        primary=r.flag(obj, "primary", path),
        order=r.number(obj, "order", path),
        description=r.text(obj, "description", path),
        allow_list=r.flag(obj, "allow_list", path),
    )


def _parse_output(r: _Reader, path: str, value: Any) -> OutputDef:
    obj = r.mapping(value, path)
    column = obj.get("column_name")
    return OutputDef(
        data_path=r.text(obj, "data_path", path, required=True),
        data_type=r.text(obj, "data_type", path, default="string"),
        contains=r.strings(obj, "contains", path),
        example_values=r.values(obj, "example_values", path),
        column_name=column if isinstance(column, str) else None,
    )


# -- loading from disk ---------------------------------------------------------------


def _decode(payload: bytes, source: str) -> Any:
    try:
        return json.loads(payload.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise AppDefinitionError(source, "$", f"not UTF-8 text ({exc.reason})") from exc
    except json.JSONDecodeError as exc:
        raise AppDefinitionError(
            source, "$", f"not valid JSON: line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from exc


def _looks_like_app(data: Any) -> bool:
    return isinstance(data, Mapping) and "appid" in data and "actions" in data


def _is_tarball(path: Path) -> bool:
    return path.name.lower().endswith(_TARBALL_SUFFIXES)


def load_app(path: str | Path) -> AppDef:
    """Parse one app from a ``.json`` file, an app ``.tgz``, or an unpacked app folder.

    A folder must hold exactly one JSON file with ``appid`` and ``actions`` (the other
    JSON files an app ships, such as release notes, are ignored).
    """
    path = Path(path)
    if path.is_dir():
        apps = list(_apps_in_folder(path, tarballs=False))
        if len(apps) != 1:
            found = ", ".join(a.source for a in apps) or "none"
            raise AppDefinitionError(str(path), "$",
                                     f"expected one app definition in the folder, found {found}")
        return apps[0]
    if _is_tarball(path):
        return _load_tarball(path)
    try:
        payload = path.read_bytes()
    except OSError as exc:
        raise AppDefinitionError(str(path), "$", f"cannot read: {exc.strerror}") from exc
    return parse_app(_decode(payload, str(path)), str(path))


def load_apps(path: str | Path) -> list[AppDef]:
    """Parse every app under ``path``: its ``*.json`` app definitions and ``*.tgz`` apps.

    A file path yields a one-element list. JSON files that are not app definitions
    (no ``appid``/``actions``) are skipped; malformed app definitions raise.
    """
    path = Path(path)
    if not path.is_dir():
        return [load_app(path)]
    return sorted(_apps_in_folder(path, tarballs=True), key=lambda a: a.source)


def _apps_in_folder(folder: Path, *, tarballs: bool) -> Iterator[AppDef]:
    for child in sorted(folder.iterdir()):
        if not child.is_file():
            continue
        if child.suffix.lower() == ".json":
            try:
                payload = child.read_bytes()
            except OSError as exc:
                raise AppDefinitionError(str(child), "$", f"cannot read: {exc.strerror}") from exc
            data = _decode(payload, str(child))
            if _looks_like_app(data):
                yield parse_app(data, str(child))
        elif tarballs and _is_tarball(child):
            yield _load_tarball(child)


def load_app_bytes(payload: bytes, filename: str) -> AppDef:
    """Parse an uploaded app: a ``.tgz``/``.tar.gz``/``.tar`` by name, otherwise JSON.

    ``filename`` only picks the format and names the source in errors.
    """
    if filename.lower().endswith(_TARBALL_SUFFIXES):
        return _load_tarball(Path(filename), io.BytesIO(payload))
    return parse_app(_decode(payload, filename), filename)


def _load_tarball(path: Path, fileobj: IO[bytes] | None = None) -> AppDef:
    """Read the app JSON out of an installable tarball without extracting anything."""
    try:
        archive = tarfile.open(path if fileobj is None else None, mode="r:*", fileobj=fileobj)
    except (OSError, tarfile.TarError) as exc:
        raise AppDefinitionError(str(path), "$", f"not a readable tarball: {exc}") from exc
    candidates: list[tuple[int, str, Any]] = []
    with archive:
        for member in archive.getmembers():
            if not member.isfile() or not member.name.lower().endswith(".json"):
                continue
            if member.size > _MAX_JSON_BYTES:
                continue
            handle = archive.extractfile(member)
            if handle is None:
                continue
            source = f"{path}!{member.name}"
            try:
                data = json.loads(handle.read().decode("utf-8-sig"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                # Apps ship other JSON (e.g. test fixtures); only the manifest must parse.
                continue
            if _looks_like_app(data):
                candidates.append((member.name.count("/"), source, data))
    if not candidates:
        raise AppDefinitionError(str(path), "$",
                                 "no JSON file with 'appid' and 'actions' in the tarball")
    # The manifest sits at the top of the app folder; deeper copies are test fixtures.
    candidates.sort(key=lambda c: (c[0], c[1]))
    shallowest = [c for c in candidates if c[0] == candidates[0][0]]
    if len(shallowest) > 1:
        names = ", ".join(c[1] for c in shallowest)
        raise AppDefinitionError(str(path), "$", f"more than one app definition: {names}")
    _, source, data = shallowest[0]
    return parse_app(data, source)
