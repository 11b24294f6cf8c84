"""Property: random graphs, valid or hostile, never crash the compiler; valid ones give
code that parses and defines only the functions the graph implies, invalid ones get
located errors.  HYPOTHESIS_PROFILE=thorough raises the example count."""

from __future__ import annotations

import ast
import copy
import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pbkit import action, code, edge, node, playbook

from editor.compiler import CompileError, compile_playbook

EXAMPLES = 20_000 if os.environ.get("HYPOTHESIS_PROFILE") == "thorough" else 2000

GOOD_NAMES = st.sampled_from(["alpha", "beta_1", "gamma", "delta_2", "eps", "zeta", "eta_9", "theta"])
# Names the compiler must refuse (keywords, dunders, empty, non-ASCII look-alikes, ...).
BAD_NAMES = st.sampled_from(
    [
        "__import__",
        "class",
        "\u0411eta",
        "",
        "  ",
        "def",
        "__init__",
        "9lives",
        "phantom",
        "ok\u2028line",
        "l\u043eokup",
        "a" * 300,
    ]
)
# Names SOAR's normalisation turns into safe identifiers (a warning, not an error):
# quotes, newlines and separators become underscores and never reach the code.
ODD_NAMES = st.sampled_from(
    [
        'x"); import os; os.system("id"); ("',
        "a\nimport os",
        "x'" + '"' * 3,
        "tab\tname",
        "n:with:colons",
    ]
)
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
GOOD_CODE = st.sampled_from(["\n    pass\n", "\n    x = 1\n    phantom.debug(x)\n", "", "\n    # nothing\n"])
BAD_CODE = st.sampled_from(
    [
        "\nimport os\nos.system('id')\n",  # dedents out of the region
        "\n    x = '''\n",  # opens a string that would swallow generated code
        "\n    foo(\n",
        "\n    x = 1\ndef on_start(container):\n    pass\n",
        "\n\x00\n",
    ]
)


@st.composite
def graphs(draw: Any) -> tuple[dict[str, Any], bool]:
    n = draw(st.integers(min_value=0, max_value=7))
    hostile = draw(st.booleans())
    blocks: list[dict[str, Any]] = []
    names: list[str] = []
    valid = True
    for i in range(n):
        nid = str(i + 2)
        roll = draw(st.integers(0, 9)) if hostile else 9
        if roll == 0:
            name = draw(BAD_NAMES)
            valid = False
        elif roll == 1:
            name = f"{draw(ODD_NAMES)}{nid}"
        else:
            name = f"{draw(GOOD_NAMES)}_{nid}"
        kind = draw(st.sampled_from(["action", "code", "format", "filter", "decision", "api", "cf"]))
        value = draw(
            st.one_of(
                TEXT,
                st.just("artifact:*.cef.sourceAddress"),
                st.sampled_from([f"{n}:action_result.data.*.ip" for n in names] or ["x"]),
            )
        )
        if kind == "action":
            blocks.append(action(nid, name, ip=value))
        elif kind == "code":
            bad = hostile and draw(st.integers(0, 3)) == 0
            valid &= not bad
            blocks.append(code(nid, name, [value], ["out_1"], draw(BAD_CODE if bad else GOOD_CODE)))
        elif kind == "format":
            blocks.append(node(nid, "format", name, template=draw(TEXT) + "{0}", parameters=[value]))
        elif kind in ("filter", "decision"):
            blocks.append(
                node(
                    nid,
                    kind,
                    name,
                    conditions=[
                        {
                            "comparisons": [
                                {"op": draw(st.sampled_from(["==", "!=", "in"])), "param": value, "value": draw(TEXT)}
                            ],
                            "conditionIndex": 0,
                            "logic": "and",
                            "type": "if",
                        }
                    ],
                )
            )
        elif kind == "api":
            blocks.append(
                node(
                    nid,
                    "utility",
                    name,
                    utilityType="api",
                    utilities={"comment": {"fields": []}},
                    values={"comment": {"comment": value}},
                )
            )
        else:
            blocks.append(
                node(
                    nid,
                    "utility",
                    name,
                    utilityType="custom_function",
                    customFunction={"name": "passthrough", "repoName": "community"},
                    utilities={"passthrough": {"fields": [{"name": "input_1", "inputType": "item"}]}},
                    values={"passthrough": {"input_1": value}},
                )
            )
        names.append(name)
    ids = ["0"] + [b["id"] for b in blocks]
    edges: list[dict[str, Any]] = []
    for j, b in enumerate(blocks):
        parents = draw(st.lists(st.sampled_from(ids[: j + 1]), min_size=1, max_size=2, unique=True))
        for p in parents:
            src = next((x for x in blocks if x["id"] == p), None)
            branch = 0 if src is not None and src["type"] in ("filter", "decision") else None
            edges.append(edge(p, b["id"], branch))
    if blocks:
        last = blocks[-1]
        edges.append(edge(last["id"], "1", 0 if last["type"] in ("filter", "decision") else None))
    if hostile and draw(st.integers(0, 5)) == 0 and len(blocks) >= 2:
        first, last = blocks[0], blocks[-1]
        for a, b in ((first, last), (last, first)):  # a two-block cycle, whatever else exists
            edges.append(edge(a["id"], b["id"], 0 if a["type"] in ("filter", "decision") else None))
        valid = False
    if hostile and draw(st.integers(0, 6)) == 0:
        edges.append(edge("0", "404"))  # dangling
        valid = False
    desc = draw(TEXT) if hostile else "fuzz"
    return playbook(blocks, edges, description=desc + '"""\nimport os'), valid


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs())
def test_random_graphs_compile_to_parseable_code_or_get_located_errors(case: tuple[dict[str, Any], bool]) -> None:
    pb, valid = case
    try:
        result = compile_playbook(pb)
    except CompileError as exc:
        assert not valid, f"valid graph rejected: {exc}"
        assert exc.errors
        for e in exc.errors:
            assert e.field
            if e.block_id is not None:
                assert f"block {e.block_id}" in e.message
        return
    assert valid, "an invalid graph compiled without a located error"
    tree = ast.parse(result.source)
    # Nothing but the docstring, the fixed imports and generated functions at top level:
    # hostile strings stayed inside literals/comments.
    for stmt in tree.body:
        assert isinstance(stmt, (ast.Expr, ast.Import, ast.ImportFrom, ast.FunctionDef)), ast.dump(stmt)[:200]
    imports = {a.name for s in tree.body if isinstance(s, (ast.Import, ast.ImportFrom)) for a in s.names}
    assert imports <= {"phantom.rules", "json", "datetime", "timedelta"}
    assert isinstance(tree.body[0], ast.Expr) and len([s for s in tree.body if isinstance(s, ast.Expr)]) == 1


def _corpus_playbooks() -> list[dict[str, Any]]:
    from pbkit import CORPUS

    return [json.loads(p.read_text()) for p in sorted((CORPUS / "modern").glob("*.json"))[:40]]


CORPUS_PLAYBOOKS = _corpus_playbooks() if (Path(__file__).resolve().parents[2].parent / "shared").is_dir() else []
JUNK = [
    None,
    0,
    -1,
    1.5,
    True,
    "",
    "x",
    "a:b",
    [],
    [1],
    ["playbook_input:x"],
    {},
    {"a": None},
    [None],
    [{}],
    "container:",
    "9x:formatted_data",
    "class:custom_function:y",
    "filtered-data:f:condition_1:artifact:*.id",
]


def _paths(obj: Any, pre: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    items = obj.items() if isinstance(obj, dict) else enumerate(obj) if isinstance(obj, list) else []
    for k, v in items:
        out.append(pre + (k,))
        out.extend(_paths(v, pre + (k,)))
    return out


@pytest.mark.skipif(not CORPUS_PLAYBOOKS, reason="shared SOAR corpus not available")
@settings(max_examples=300 if EXAMPLES < 20_000 else 5000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False))
def test_corrupting_any_field_of_a_real_playbook_never_crashes_the_compiler(rng: Any) -> None:
    pb = copy.deepcopy(rng.choice(CORPUS_PLAYBOOKS))
    targets = [pb["coa"], *pb["coa"]["data"]["nodes"].values()]  # before any corruption
    for _ in range(rng.randint(1, 3)):
        target = rng.choice(targets)
        paths = _paths(target)
        if not paths:
            continue
        path = rng.choice(paths)
        holder = target
        for k in path[:-1]:
            holder = holder[k]
        holder[path[-1]] = copy.deepcopy(rng.choice(JUNK))  # JUNK must stay pristine
    try:
        source = compile_playbook(pb).source
    except CompileError as exc:
        assert all(e.message for e in exc.errors)
        return
    ast.parse(source)
