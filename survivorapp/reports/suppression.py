"""Small-cell suppression for tables of counts: a pure function, no Flask, no database.

A table is a list of rows of non-negative integer counts. It is published with its margins:
row totals, column totals and the grand total. We look at the "augmented" grid of
(rows + 1) x (columns + 1) cells, whose last row and last column are the totals.

1. Primary suppression: every cell (margins included) whose count is 1..THRESHOLD is hidden,
   and so is every cell whose count of different PEOPLE behind it is 1..THRESHOLD (one person
   with twelve goals must not show as "12"). Zero is shown: a zero names nobody.
2. Secondary (complementary) suppression. In the augmented grid every row and every column is
   a linear relation (its cells add up to its total). Think of a bipartite graph with one
   vertex per grid row and one per grid column, and one edge per hidden cell. A hidden value
   can be worked out from the shown ones exactly when its edge lies on no cycle (it is a
   bridge): then some combination of row and column equations isolates it. So while a hidden
   cell is a bridge, we hide the cells of the cheapest path that closes a cycle through it
   (a shown count costs its value, so the smallest counts go first, as in "suppress the next
   smallest cell of that row"; a zero is used only when nothing else closes the cycle).
   Because every hidden cell we pick is positive where possible, moving +1/-1 around a cycle
   of hidden cells keeps every value >= 0: the bounds cannot pin a hidden value either.

Margins are always part of the check, even when a page shows only some of them: a pattern safe
with every total published is safe with fewer.

3. Rounding (against differencing). Any month range can be chosen, so without it January to
   December minus January to November would give December's exact count even where December
   alone says "fewer than 11". So every count that is shown is rounded to the nearest
   multiple of BASE (as the UK's ONS does), each from its true value: a total is the rounded
   true total, never a sum of rounded cells. The difference of two shown numbers is then off
   by up to 4 either way, and different true counts give the same pages (see
   tests/reports/test_differencing.py, which also names what rounding leaves open). Suppression
   is decided on the true values first; rounding changes only what a shown cell says.

The sentences on the report page and in its CSV name these numbers (1 to 10 hidden, nearest
5): change them with THRESHOLD and BASE.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence

THRESHOLD = 10  # 1..10 is "fewer than 11"
BASE = 5  # shown counts are rounded to the nearest 5 (never below 15)


def augment(table: Sequence[Sequence[int]]) -> list[list[int]]:
    """The table with a total column, a total row and the grand total."""
    rows = [list(map(int, r)) for r in table]
    width = len(rows[0]) if rows else 0
    if any(len(r) != width for r in rows):
        raise ValueError("every row needs the same number of cells")
    if any(v < 0 for r in rows for v in r):
        raise ValueError("counts are never negative")
    grid = [[*r, sum(r)] for r in rows]
    grid.append([sum(r[j] for r in grid) for j in range(width + 1)])
    return grid


def _bridges(hidden: set[tuple[int, int]], n_rows: int) -> list[tuple[int, int]]:
    """Hidden cells whose edge is a bridge in the row/column graph (Tarjan, iterative)."""
    adj: dict[tuple[str, int], list[tuple[tuple[str, int], tuple[int, int]]]] = {}
    for i, j in hidden:
        a, b = ("r", i), ("c", j)
        adj.setdefault(a, []).append((b, (i, j)))
        adj.setdefault(b, []).append((a, (i, j)))
    order: dict = {}
    low: dict = {}
    found: list[tuple[int, int]] = []
    counter = 0
    for root in sorted(adj):
        if root in order:
            continue
        order[root] = low[root] = counter
        counter += 1
        stack = [(root, None, iter(adj[root]))]
        while stack:
            node, via, edges = stack[-1]
            advanced = False
            for nxt, cell in edges:
                if cell == via:
                    continue
                if nxt in order:
                    low[node] = min(low[node], order[nxt])
                else:
                    order[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append((nxt, cell, iter(adj[nxt])))
                    advanced = True
                    break
            if not advanced:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > order[parent]:
                        found.append(via)
    return sorted(found)


def _cheapest_cycle(grid, hidden: set, bridge: tuple[int, int]) -> list[tuple[int, int]]:
    """The shown cells to hide so that `bridge` lies on a cycle: the cheapest path from its
    column back to its row through the complete row/column graph, where a hidden cell costs
    nothing, a shown count costs its value (least information lost) and a zero costs most."""
    n_rows, n_cols = len(grid), len(grid[0])
    zero_cost = 1 + sum(v for r in grid for v in r)

    def cost(cell):
        if cell in hidden:
            return 0
        v = grid[cell[0]][cell[1]]
        return v if v > 0 else zero_cost

    start, goal = ("c", bridge[1]), ("r", bridge[0])
    best = {start: 0}
    back: dict = {}
    todo = [(0, start)]
    while todo:
        d, node = heapq.heappop(todo)
        if node == goal:
            break
        if d > best.get(node, d):
            continue
        kind, n = node
        if kind == "c":
            steps = [(("r", m), (m, n)) for m in range(n_rows)]
        else:
            steps = [(("c", k), (n, k)) for k in range(n_cols)]
        for nxt, cell in steps:
            if cell == bridge:
                continue
            nd = d + cost(cell)
            if nd < best.get(nxt, nd + 1):
                best[nxt] = nd
                back[nxt] = (node, cell)
                heapq.heappush(todo, (nd, nxt))
    path = []
    node = goal
    while node != start:
        node, cell = back[node]
        path.append(cell)
    return [c for c in path if c not in hidden]


def suppress_grid(grid: Sequence[Sequence[int]], threshold: int = THRESHOLD, people=None) -> set:
    """The set of (row, column) cells of an augmented grid to hide. `people` (same shape) is
    how many different people stand behind each cell, when a cell counts events."""
    n_rows = len(grid)
    n_cols = len(grid[0]) if grid else 0
    people = people or grid
    hidden = {
        (i, j)
        for i in range(n_rows)
        for j in range(n_cols)
        if 0 < grid[i][j] <= threshold or 0 < people[i][j] <= threshold
    }
    if n_rows < 2 or n_cols < 2:
        return hidden  # a lone number: nothing to add up against
    while True:
        bridges = _bridges(hidden, n_rows)
        if not bridges:
            return hidden
        hidden.update(_cheapest_cycle(grid, hidden, bridges[0]))


def people_margins(people: Sequence[Sequence[int]]) -> list[list[int]]:
    """A LOWER bound on the people behind each margin: the largest cell of the line (one
    person can stand behind several cells, so the cells cannot be added up)."""
    rows = [list(map(int, r)) for r in people]
    width = len(rows[0]) if rows else 0
    grid = [[*r, max(r, default=0)] for r in rows]
    grid.append([max((r[j] for r in grid), default=0) for j in range(width + 1)])
    return grid


def suppress(table: Sequence[Sequence[int]], people=None, threshold: int = THRESHOLD):
    """(augmented grid, hidden cells) for a table of counts. When the cells count events
    (goals, visits), `people` says how many different people stand behind each cell: a cell
    is hidden when either number is 1..threshold."""
    grid = augment(table)
    behind = people_margins(people) if people is not None else None
    return grid, suppress_grid(grid, threshold, behind)


def suppress_single(count: int, threshold: int = THRESHOLD) -> bool:
    """Whether a lone published count must be hidden."""
    return 0 < count <= threshold


def rounded(count: int, base: int = BASE, threshold: int = THRESHOLD) -> int:
    """A shown count, rounded to the nearest multiple of `base` from its true value, but never
    down to the hidden range: with base 5, 11 to 17 show as 15, 18 to 22 as 20; zero stays zero
    (a zero names nobody). A shown "10" would sit oddly beside "fewer than 11", and "10" then
    "10" around a hidden month could only be 11 then 12: one person."""
    if count < 0:
        raise ValueError("counts are never negative")
    nearest = base * ((count + base // 2) // base)
    if count > threshold:
        return max(nearest, base * (threshold // base + 1))
    return nearest
