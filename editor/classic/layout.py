"""Canvas positions for converted blocks.

Classic playbooks were usually drawn left to right; the modern editor flows top to
bottom.  Classic coordinates are kept when they already read top to bottom; otherwise
blocks are placed in rows by their distance from the start block, each row ordered by
the classic vertical position so the designer's lanes survive as columns.
"""

from __future__ import annotations

from collections import defaultdict

from editor.graph.model import END_ID, START_ID

COLUMN = 340.0  # modern blocks are ~280 px wide
ROW = 180.0


def reads_top_down(positions: dict[str, tuple[float, float]], edges: list[tuple[str, str]]) -> bool:
    """Most edges point downwards (the end block, often drawn aside, not counted)."""
    counted = [(s, t) for s, t in edges if t != END_ID and s in positions and t in positions]
    if not counted:
        return True
    down = sum(1 for s, t in counted if positions[t][1] > positions[s][1] + 20)
    return down >= 0.7 * len(counted)


def levels(nodes: list[str], edges: list[tuple[str, str]]) -> dict[str, int]:
    """Longest-path depth from the start block (acyclic graphs; anything unreached or
    on a cycle gets a depth after its reached parents)."""
    children: dict[str, list[str]] = defaultdict(list)
    indegree: dict[str, int] = {n: 0 for n in nodes}
    for s, t in edges:
        if s in indegree and t in indegree and s != t:
            children[s].append(t)
            indegree[t] += 1
    depth = {n: 0 for n in nodes}
    ready = [n for n in nodes if indegree[n] == 0]
    seen: set[str] = set()
    while ready:
        n = ready.pop(0)
        seen.add(n)
        for c in children[n]:
            depth[c] = max(depth[c], depth[n] + 1)
            indegree[c] -= 1
            if indegree[c] == 0:
                ready.append(c)
    for n in nodes:  # cycle members: below everything seen
        if n not in seen:
            depth[n] = max(depth.values(), default=0) + 1
    return depth


def relayout(positions: dict[str, tuple[float, float]], edges: list[tuple[str, str]]) -> dict[str, tuple[float, float]]:
    nodes = list(positions)
    depth = levels(nodes, edges)
    if END_ID in depth:
        depth[END_ID] = max((d for n, d in depth.items() if n != END_ID), default=0) + 1
    if START_ID in depth:
        depth[START_ID] = 0
    rows: dict[int, list[str]] = defaultdict(list)
    for n in nodes:
        rows[depth[n]].append(n)
    out: dict[str, tuple[float, float]] = {}
    for d, members in rows.items():
        members.sort(key=lambda n: (positions[n][1], positions[n][0]))
        width = (len(members) - 1) * COLUMN
        for i, n in enumerate(members):
            out[n] = (i * COLUMN - width / 2, d * ROW)
    return out
