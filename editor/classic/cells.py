"""Typed views over a classic JointJS playbook (``coa.data.joint.cells``).

Classic files are read, never modified: every accessor tolerates missing or mistyped
fields (schema 2/3 exports lack many of them) and falls back to something usable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from editor.graph.naming import MODULE_NAMES, identifier_problem, slug

JSONDict = dict[str, Any]

# What SOAR writes into block_code when it could not render the block (customised
# blocks); the real code is then only in custom_code.
PLACEHOLDER = "# read-only block view not available"

_PORT = re.compile(r"^out-(\d+)$")
_NTH = re.compile(r"nth-child\((\d+)\)")


def text(value: object) -> str:
    return value if isinstance(value, str) else ""


@dataclass
class Cell:
    """One classic block (any ``coa.*`` cell but links)."""

    raw: JSONDict
    index: int  # position in the cells list: the tie-breaker when ``order`` is missing

    @property
    def id(self) -> str:
        return str(self.raw.get("id", f"cell-{self.index}"))

    @property
    def kind(self) -> str:
        """``Action``, ``Filter``, ``StartEnd``… (the ``coa.`` prefix dropped)."""
        return text(self.raw.get("type")).removeprefix("coa.")

    @property
    def title(self) -> str:
        title = text(self.raw.get("title"))
        if title:
            return title
        # Very old exports spell the title as single characters under "0", "1", …
        chars = [self.raw.get(str(i)) for i in range(6)]
        return "".join(c for c in chars if isinstance(c, str))

    @property
    def is_start(self) -> bool:
        return self.kind == "StartEnd" and self.title.upper() == "START"

    @property
    def is_end(self) -> bool:
        return self.kind == "StartEnd" and not self.is_start

    @property
    def order(self) -> float:
        value = self.raw.get("order")
        return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 1e9 + self.index

    @property
    def number(self) -> int:
        value = self.raw.get("number")
        return value if isinstance(value, int) and not isinstance(value, bool) else 1

    @property
    def custom_name(self) -> str:
        return text(self.raw.get("custom_name")).strip()

    @property
    def classic_name(self) -> str:
        """The Python function name the classic generator used."""
        if self.is_start:
            return "on_start"
        if self.is_end:
            return "on_finish"
        name = text(self.raw.get("previous_name")).strip()
        if name and identifier_problem(name) is None:
            return name
        base = slug(self.custom_name) or slug(text(self.raw.get("name"))) or self.kind.lower()
        return base if self.custom_name else f"{base}_{self.number}"

    @property
    def position(self) -> tuple[float, float]:
        pos = self.raw.get("position")
        if isinstance(pos, dict):
            x, y = pos.get("x"), pos.get("y")
            if isinstance(x, (int, float)) and isinstance(y, (int, float)):
                return float(x), float(y)
        return 0.0, float(self.index * 100)

    @property
    def notes(self) -> str:
        return text(self.raw.get("notes"))

    @property
    def description(self) -> str:
        return text(self.raw.get("description"))

    # -- code ------------------------------------------------------------------------
    @property
    def custom_code(self) -> str:
        return text(self.raw.get("custom_code"))

    @property
    def has_custom_block(self) -> bool:
        """Whole-function custom code.  Schema 2/3 cells carry no flags: a non-empty
        ``custom_code`` means the same there (soar-format.md §5.3)."""
        flag = self.raw.get("has_custom_block")
        if flag is True:
            return bool(self.custom_code.strip())
        return flag is None and bool(self.custom_code.strip())

    @property
    def block_code(self) -> str:
        code = text(self.raw.get("block_code"))
        return "" if code.strip() == PLACEHOLDER else code

    @property
    def effective_code(self) -> str:
        """The function text that ran in classic SOAR (custom code wins)."""
        return self.custom_code if self.has_custom_block else self.block_code

    @property
    def user_code(self) -> str:
        """Code-region text of blocks that have one (FunctionBlock, CustomFunctionBlock)."""
        return text(self.raw.get("userGeneratedCode"))

    @property
    def custom_callback(self) -> str:
        code = text(self.raw.get("custom_callback"))
        return code if self.raw.get("has_custom_callback") is not False and code.strip() else ""

    @property
    def custom_join(self) -> str:
        code = text(self.raw.get("custom_join"))
        return code if self.raw.get("has_custom_join") is not False and code.strip() else ""

    @property
    def join_optional(self) -> list[str]:
        value = self.raw.get("join_optional")
        return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


@dataclass
class Link:
    source: str
    target: str
    port: int | None  # 1-based branch of a decision/filter, when the link says
    raw: JSONDict = field(default_factory=dict)


def _link(raw: JSONDict) -> Link | None:
    src, tgt = raw.get("source"), raw.get("target")
    if not isinstance(src, dict) or not isinstance(tgt, dict):
        return None
    sid, tid = src.get("id"), tgt.get("id")
    if not isinstance(sid, str) or not isinstance(tid, str):
        return None
    port: int | None = None
    m = _PORT.match(text(src.get("port")))
    if m:
        port = int(m.group(1))
    return Link(sid, tid, port, raw)


def selector_branch(link: Link) -> int | None:
    """Old links without a port name the branch only in the JointJS selector: the
    second ``nth-child`` counts the output circles (soar-format.md §5.2)."""
    src = link.raw.get("source")
    found = _NTH.findall(text(src.get("selector")) if isinstance(src, dict) else "")
    return int(found[1]) if len(found) >= 2 else None


@dataclass
class ClassicPlaybook:
    """The parts of a classic document the converter reads."""

    doc: JSONDict
    cells: list[Cell]
    links: list[Link]

    @property
    def data(self) -> JSONDict:
        coa = self.doc.get("coa")
        data = coa.get("data") if isinstance(coa, dict) else None
        return data if isinstance(data, dict) else {}

    @property
    def global_code(self) -> str:
        return text(self.data.get("code_block"))

    def by_id(self) -> dict[str, Cell]:
        return {c.id: c for c in self.cells}


def read_classic(doc: JSONDict) -> ClassicPlaybook:
    """Split the JointJS cell list into blocks and links, blocks in emission order."""
    coa = doc.get("coa")
    data = coa.get("data") if isinstance(coa, dict) else None
    joint = data.get("joint") if isinstance(data, dict) else None
    raw_cells = joint.get("cells") if isinstance(joint, dict) else None
    cells: list[Cell] = []
    links: list[Link] = []
    for i, raw in enumerate(raw_cells if isinstance(raw_cells, list) else []):
        if not isinstance(raw, dict):
            continue
        if raw.get("type") == "link":
            link = _link(raw)
            if link is not None:
                links.append(link)
        elif isinstance(raw.get("type"), str) and text(raw.get("type")).startswith("coa."):
            cells.append(Cell(raw, i))
    cells.sort(key=lambda c: (c.order, c.index))
    return ClassicPlaybook(doc, cells, links)


def modern_names(cells: list[Cell]) -> dict[str, str]:
    """Classic function name → modern functionName, per cell id.

    Names are kept where possible (custom code and datapaths refer to them) but must be
    lower-case for the modern generator, which lower-cases every function name: a kept
    ``create_src_IP_ioc`` would make datapaths and calls disagree with the code.
    """
    out: dict[str, str] = {}
    taken: set[str] = set(MODULE_NAMES)
    for cell in cells:
        if cell.is_start or cell.is_end:
            continue
        base = cell.classic_name.lower()
        if identifier_problem(base) is not None:
            base = f"block_{base}" if base else "block"
        name, n = base, 1
        while name in taken or f"join_{name}" in taken or f"{name}_callback" in taken:
            n += 1
            name = f"{base}_{n}"
        taken.update({name, f"join_{name}", f"{name}_callback", f"loop_{name}"})
        out[cell.id] = name
    return out
