"""Small-cell suppression for tables of counts: a pure function, no Flask, no database.

A table is a list of rows of non-negative integer counts. It is published with its margins:
row totals, column totals and the grand total. We look at the "augmented" grid of
(rows + 1) x (columns + 1) cells, whose last row and last column are the totals.

0. A whole table with 1..THRESHOLD different people behind it shows nothing at all
   (too_few_people; the report says "Too few people to show"), and a report whose scope has
   fewer than MIN_COUNTED counted people shows no table (report_withheld). With one person
   counted, any pattern of hidden and shown cells is that person's answer; a member of staff
   knows who is on a small caseload, and which tables are empty would say what they did.
   MIN_COUNTED is THRESHOLD + 1: below it every table would be withheld anyway, so the report
   says so once, and no empty table can tell "nobody" from "one of your ten".
1. Primary suppression: every cell (margins included) whose count is 1..THRESHOLD is hidden,
   and so is every cell whose count of different PEOPLE behind it is 1..THRESHOLD (one person
   with twelve goals must not show as "12"). Zero is shown only where it names nobody:
1b. Zeros beside a hidden total are hidden too. A zero in a row whose total is hidden says
   where the hidden count is NOT, so zeros around the one hidden cell would say where it is
   (one person: "1: hidden, 2: 0, 3: 0, 4: 0, 5: 0" is their answer). So a zero cell is hidden
   when its row total or its column total is hidden, unless the other total is a shown zero
   (then the whole line is visibly zero and its zeros say nothing more); a zero total is hidden
   when the grand total is. This is repeated, with step 2, until nothing changes: with a
   hidden grand total every cell ends up hidden.
2. Secondary (complementary) suppression. In the augmented grid every row and every column is
   a linear relation (its cells add up to its total). Think of a bipartite graph with one
   vertex per grid row and one per grid column, and one edge per hidden cell. A hidden value
   can be worked out from the shown ones exactly when its edge lies on no cycle (it is a
   bridge): then some combination of row and column equations isolates it. So while a hidden
   cell is a bridge, we hide the cells of the cheapest path that closes a cycle through it
   (a shown count costs its value, so the smallest counts go first, as in "suppress the next
   smallest cell of that row"; a zero is used only when nothing else closes the cycle).
   Because every hidden cell we pick is positive where possible, moving +1/-1 around a cycle
   of hidden cells keeps every value >= 0. Zeros hidden by 1b break that argument (a zero
   can only go up), so a second check follows: every hidden cell must lie on a cycle of
   hidden cells along which it can change without any count going below 0 (for a zero: a
   cycle that raises it); where none exists, the cheapest cells that make one are hidden
   too. Without it, "11, hidden, hidden" with a row total of 11 would say both are 0.
   tests/reports/test_suppression.py checks both by exact algebra and by enumerating every
   table that agrees with what is shown.

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
MIN_COUNTED = THRESHOLD + 1  # a report needs this many counted people in its scope (step 0)


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


def _hiding_cost(grid, hidden: set):
    """What hiding one more cell costs: nothing if hidden already, a shown count its value
    (least information lost), a zero more than everything else together."""
    zero_cost = 1 + sum(v for r in grid for v in r)

    def cost(cell) -> int:
        if cell in hidden:
            return 0
        v = grid[cell[0]][cell[1]]
        return v if v > 0 else zero_cost

    return cost


def _cheapest_cycle(grid, hidden: set, bridge: tuple[int, int]) -> list[tuple[int, int]]:
    """The shown cells to hide so that `bridge` lies on a cycle: the cheapest path from its
    column back to its row through the complete row/column graph, where a hidden cell costs
    nothing, a shown count costs its value (least information lost) and a zero costs most."""
    n_rows, n_cols = len(grid), len(grid[0])
    cost = _hiding_cost(grid, hidden)
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
    stuck: set = set()  # cells no cycle at all can move (never, in a grid of 2 x 2 or more)
    while True:
        bridges = _bridges(hidden, n_rows)
        if bridges:
            hidden.update(_cheapest_cycle(grid, hidden, bridges[0]))
            continue
        pinned = next(
            (c for c in sorted(hidden - stuck) if _pinned(grid, hidden, c)),
            None,
        )
        if pinned is not None:
            more = _cheapest_free_cycle(grid, hidden, pinned)
            if not more:
                stuck.add(pinned)
            hidden.update(more)
            continue
        zeros = _zeros_beside_hidden_totals(grid, hidden)
        if not zeros:
            return hidden
        hidden.update(zeros)


# -- bounds: every hidden cell can take another value in some table that agrees with the page --
#
# Write the grid with its margins negated (the grand total not): then every row and every
# column adds up to zero, and adding +1 and -1 alternately around a cycle of cells keeps it
# so. Walking the row/column graph, a step from a row to a column adds +1 to that cell, a step
# from a column to a row adds -1. In true values a margin moves the other way. A step is
# possible when its cell's true value goes up, or is at least 1 (a count is never negative).
# A hidden cell can take another value exactly when some such cycle of hidden cells passes
# through it (a feasible change splits into cycles of this kind): for a zero, a cycle that
# raises it. Without one, a hidden zero would read as a shown zero.


def _step_allowed(grid, cell, row_to_col: bool) -> bool:
    i, j = cell
    last_row, last_col = len(grid) - 1, len(grid[0]) - 1
    margin = (i == last_row) != (j == last_col)
    goes_up = row_to_col != margin
    return goes_up or grid[i][j] >= 1


def _steps(grid, node):
    """(next node, cell, row_to_col) from a vertex of the row/column graph."""
    kind, n = node
    if kind == "r":
        return [(("c", k), (n, k), True) for k in range(len(grid[0]))]
    return [(("r", m), (m, n), False) for m in range(len(grid))]


def _cycle_starts(grid, cell):
    """(from, to) for each way round a cycle that `cell` can take (raising it, if zero)."""
    i, j = cell
    out = []
    if _step_allowed(grid, cell, True):
        out.append((("r", i), ("c", j)))
    if _step_allowed(grid, cell, False):
        out.append((("c", j), ("r", i)))
    return out


def _pinned(grid, hidden: set, cell) -> bool:
    """Whether no cycle of hidden cells lets `cell` change (see above)."""
    for start, after in _cycle_starts(grid, cell):
        seen, todo = {after}, [after]
        while todo:
            node = todo.pop()
            if node == start:
                return False
            for nxt, c, row_to_col in _steps(grid, node):
                free = c in hidden and c != cell and nxt not in seen
                if free and _step_allowed(grid, c, row_to_col):
                    seen.add(nxt)
                    todo.append(nxt)
    return True


def _cheapest_free_cycle(grid, hidden: set, cell) -> list[tuple[int, int]]:
    """The shown cells to hide so that a cycle lets `cell` change: the cheapest one, costed
    as in _cheapest_cycle (a hidden cell nothing, a shown count its value, a zero most)."""
    cost = _hiding_cost(grid, hidden)
    best_path, best_cost = None, None
    for start, after in _cycle_starts(grid, cell):
        dist = {after: 0}
        back: dict = {}
        todo = [(0, after)]
        while todo:
            d, node = heapq.heappop(todo)
            if node == start or d > dist.get(node, d):
                continue
            for nxt, c, row_to_col in _steps(grid, node):
                if c == cell or not _step_allowed(grid, c, row_to_col):
                    continue
                nd = d + cost(c)
                if nd < dist.get(nxt, nd + 1):
                    dist[nxt] = nd
                    back[nxt] = (node, c)
                    heapq.heappush(todo, (nd, nxt))
        if start in dist and (best_cost is None or dist[start] < best_cost):
            path, node = [], start
            while node != after:
                node, c = back[node]
                path.append(c)
            best_path, best_cost = path, dist[start]
    if best_path is None:  # no cycle at all can move it: hiding more would not help
        return []
    return [c for c in best_path if c not in hidden]


def _zeros_beside_hidden_totals(grid, hidden: set) -> set:
    """Shown zeros that would say where a hidden count is not (step 1b of the docstring)."""
    last_row, last_col = len(grid) - 1, len(grid[0]) - 1
    grand_hidden = (last_row, last_col) in hidden

    def shown_zero(cell) -> bool:
        return cell not in hidden and grid[cell[0]][cell[1]] == 0

    found = set()
    for i, row in enumerate(grid):
        for j, value in enumerate(row):
            if value or (i, j) in hidden:
                continue
            if i == last_row or j == last_col:  # a total: its own total is the grand total
                if grand_hidden:
                    found.add((i, j))
                continue
            totals = ((i, last_col), (last_row, j))
            if any(t in hidden for t in totals) and not any(shown_zero(t) for t in totals):
                found.add((i, j))
    return found


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


def too_few_people(people: int, threshold: int = THRESHOLD) -> bool:
    """Whether a whole table, with this many different people behind it, shows nothing. No
    one behind it: its zeros are shown (a zero names nobody, and the scope is big enough)."""
    return 0 < people <= threshold


def report_withheld(counted: int, minimum: int = MIN_COUNTED) -> bool:
    """Whether a report of a scope with this many counted people shows nothing at all."""
    return counted < minimum


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
