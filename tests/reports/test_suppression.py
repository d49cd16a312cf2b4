"""Small-cell suppression as a pure function: primary, secondary, and property checks that no
hidden value can be worked out from what is shown."""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

import pytest

from survivorapp.reports.suppression import augment, suppress, suppress_single


def determined(grid, hidden) -> set:
    """Hidden cells whose value follows from the shown cells and the row/column equations
    (exact linear algebra over the rationals, independent of the implementation)."""
    cells = sorted(hidden)
    if not cells:
        return set()
    n_rows, n_cols = len(grid), len(grid[0])
    col = {c: k for k, c in enumerate(cells)}
    equations = []
    for i in range(n_rows):  # sum of row i's cells minus its total = 0
        eq = [Fraction(0)] * len(cells)
        for j in range(n_cols):
            if (i, j) in col:
                eq[col[(i, j)]] += 1 if j < n_cols - 1 else -1
        equations.append(eq)
    for j in range(n_cols):
        eq = [Fraction(0)] * len(cells)
        for i in range(n_rows):
            if (i, j) in col:
                eq[col[(i, j)]] += 1 if i < n_rows - 1 else -1
        equations.append(eq)
    # Row-reduce; a variable is determined iff its unit vector is in the row space.
    rows = [r[:] for r in equations if any(r)]
    pivots = []
    r = 0
    for c in range(len(cells)):
        pivot = next((k for k in range(r, len(rows)) if rows[k][c] != 0), None)
        if pivot is None:
            continue
        rows[r], rows[pivot] = rows[pivot], rows[r]
        rows[r] = [v / rows[r][c] for v in rows[r]]
        for k in range(len(rows)):
            if k != r and rows[k][c] != 0:
                factor = rows[k][c]
                rows[k] = [a - factor * b for a, b in zip(rows[k], rows[r], strict=True)]
        pivots.append(c)
        r += 1
    found = set()
    for k, c in enumerate(pivots):
        if all(v == 0 for idx, v in enumerate(rows[k]) if idx != c):
            found.add(cells[c])
    return found


def brute_force_pinned(grid, hidden, limit: int) -> set:
    """Hidden interior cells that take one value only across every non-negative integer table
    (values up to `limit`) agreeing with everything shown. Small tables only."""
    n_rows, n_cols = len(grid) - 1, len(grid[0]) - 1
    interior = [(i, j) for (i, j) in sorted(hidden) if i < n_rows and j < n_cols]
    seen: dict = {c: set() for c in interior}
    for values in itertools.product(range(limit + 1), repeat=len(interior)):
        table = [row[:n_cols] for row in grid[:n_rows]]
        for (i, j), v in zip(interior, values, strict=True):
            table[i][j] = v
        candidate = augment(table)
        if all(
            candidate[i][j] == grid[i][j]
            for i in range(n_rows + 1)
            for j in range(n_cols + 1)
            if (i, j) not in hidden
        ):
            for c, v in zip(interior, values, strict=True):
                seen[c].add(v)
    return {c for c, vs in seen.items() if len(vs) == 1}


def search_pinned(grid, hidden, limit: int) -> set:
    """Like brute_force_pinned, margins included, for larger tables. What is shown says: each
    shown total is the sum of its line (the grand total: of every cell), and the shown cells
    are known, so the hidden cells of each line add up to a known rest. A hidden cell is
    pinned when no non-negative table (values up to `limit`) with those rests gives it another
    value: for each hidden cell and each other value (nearest first), look for one, filling
    the hidden cells one by one (the last cell of a line takes what is left of its rest)."""
    n_rows, n_cols = len(grid) - 1, len(grid[0]) - 1
    cells = [(i, j) for (i, j) in sorted(hidden) if i < n_rows and j < n_cols]

    def members(a, b) -> list:
        """The hidden inside cells that (a, b) adds up (itself, for an inside cell)."""
        if (a, b) in cells:
            return [(a, b)]
        return [(i, j) for i, j in cells if (a == n_rows or i == a) and (b == n_cols or j == b)]

    def rest(a, b, value) -> int:
        inside = [
            (i, j)
            for i in range(n_rows)
            for j in range(n_cols)
            if (a == n_rows or i == a) and (b == n_cols or j == b)
        ]
        return value - sum(grid[i][j] for i, j in inside if (i, j) not in hidden)

    shown_totals = [
        (a, b)
        for a in range(n_rows + 1)
        for b in range(n_cols + 1)
        if (a == n_rows or b == n_cols) and (a, b) not in hidden
    ]

    def feasible(lines: list) -> bool:
        """Whether the hidden cells can be filled so that each line's cells add up to its
        rest. `lines`: (cells, rest)."""
        rests = [r for _c, r in lines]
        if any(r < 0 for r in rests):
            return False
        of_cell = {c: [k for k, (m, _r) in enumerate(lines) if c in m] for c in cells}
        last = {}  # the position after which a line has no cell left to fill
        for k, (m, _r) in enumerate(lines):
            last[k] = max((cells.index(c) for c in m), default=-1)
        if any(last[k] == -1 and rests[k] for k in last):
            return False

        def fill(n: int) -> bool:
            if n == len(cells):
                return not any(rests)
            mine = of_cell[cells[n]]
            forced = {rests[k] for k in mine if last[k] == n}
            if len(forced) > 1:
                return False
            top = min((rests[k] for k in mine), default=limit)
            values = sorted(forced) if forced else range(min(top, limit) + 1)
            for v in values:
                if v > top or v > limit:
                    continue
                for k in mine:
                    rests[k] -= v
                ok = fill(n + 1)
                for k in mine:
                    rests[k] += v
                if ok:
                    return True
            return False

        return fill(0)

    base = [(members(a, b), rest(a, b, grid[a][b])) for a, b in shown_totals]
    pinned = set()
    for a, b in sorted(hidden):
        true = grid[a][b]
        others = sorted((v for v in range(limit * max(1, len(cells)) + 1) if v != true),
                        key=lambda v: abs(v - true))  # fmt: skip
        line = (members(a, b), rest(a, b, 0) if (a, b) not in cells else 0)
        if not any(feasible([*base, (line[0], line[1] + v)]) for v in others[: 4 * limit]):
            pinned.add((a, b))
    return pinned


def check(table, people=None):
    grid, hidden = suppress(table, people)
    for i, row in enumerate(grid):
        for j, v in enumerate(row):
            if 1 <= v <= 10:
                assert (i, j) in hidden, f"small count {v} at {(i, j)} is shown"
    assert not determined(grid, hidden), (table, sorted(hidden))
    assert not zeros_shown_beside_a_hidden_total(grid, hidden), (table, sorted(hidden))
    # Every hidden cell is positive where the table allows: a +1/-1 move around a cycle of
    # hidden cells then stays non-negative, so bounds cannot pin a value either.
    return grid, hidden


def zeros_shown_beside_a_hidden_total(grid, hidden) -> list:
    """Shown zeros whose row or column total is hidden, where the other total is not a shown
    zero (a zero total already says the whole line is zero: its zeros tell nothing more)."""
    last_row, last_col = len(grid) - 1, len(grid[0]) - 1
    found = []
    for i, row in enumerate(grid):
        for j, v in enumerate(row):
            if v or (i, j) in hidden:
                continue
            if i == last_row or j == last_col:  # a total: the grand total is its total
                if (last_row, last_col) in hidden:
                    found.append((i, j))
                continue
            totals = [(i, last_col), (last_row, j)]
            shown_zero = any(t not in hidden and grid[t[0]][t[1]] == 0 for t in totals)
            if any(t in hidden for t in totals) and not shown_zero:
                found.append((i, j))
    return found


def test_a_lone_small_count_is_hidden_and_zero_is_shown():
    assert suppress_single(1) and suppress_single(10)
    assert not suppress_single(0) and not suppress_single(11)


def test_one_small_cell_takes_the_next_smallest_cells_with_it():
    grid, hidden = check([[5, 20, 30], [40, 50, 60]])
    # 5 is hidden; the cheapest rectangle closing it hides 20 (its row) and 40 (its column)
    # and 50, and nothing else: the totals stay visible.
    assert hidden == {(0, 0), (0, 1), (1, 0), (1, 1)}
    assert grid[2][3] == 205


def test_hidden_value_cannot_be_worked_out_from_a_row_total():
    table = [[3, 40, 50], [30, 25, 60], [70, 80, 90]]
    _grid, hidden = check(table)
    row_hidden = [j for j in range(4) if (0, j) in hidden]
    col_hidden = [i for i in range(4) if (i, 0) in hidden]
    assert len(row_hidden) >= 2 and len(col_hidden) >= 2


def test_small_total_is_hidden_and_protected():
    _grid, hidden = check([[2, 3], [40, 50]])
    assert (0, 2) in hidden  # the row total 5
    assert (0, 0) in hidden and (0, 1) in hidden


def test_single_column_and_single_row_tables():
    check([[12], [3], [40]])
    check([[3, 50, 60]])
    check([[7]])
    grid, hidden = suppress([])
    assert grid == [[0]] and hidden == set()


def test_zero_table_shows_everything():
    _grid, hidden = suppress([[0, 0], [0, 0]])
    assert hidden == set()


def test_zeros_beside_a_hidden_total_are_hidden():
    """Row 0 adds up to 5 (hidden): shown zeros beside it would say the 5 is all in column 0."""
    _grid, hidden = suppress([[5, 0, 0], [30, 40, 50], [20, 25, 35]])
    assert (0, 1) in hidden and (0, 2) in hidden, f"zeros beside a hidden 5 shown: {hidden}"
    check([[5, 0, 0], [30, 40, 50], [20, 25, 35]])


@pytest.mark.parametrize("shape", [(5, 1), (3, 3), (6, 4)])
def test_one_count_among_zeros_hides_the_whole_table(shape):
    """The issue's case: one person, one answer. Wherever their 1 is, every cell is hidden,
    so the page is the same whatever they answered."""
    n_rows, n_cols = shape
    for i in range(n_rows):
        for j in range(n_cols):
            table = [[0] * n_cols for _ in range(n_rows)]
            table[i][j] = 1
            _grid, hidden = check(table)
            everything = {(a, b) for a in range(n_rows + 1) for b in range(n_cols + 1)}
            assert hidden == everything, f"a lone 1 at {(i, j)}: shown {everything - hidden}"


def test_zeros_in_a_line_whose_total_is_a_shown_zero_stay_shown():
    # Column 1 adds up to 0 (shown): its zeros say nothing the total does not.
    _grid, hidden = check([[3, 0], [40, 0], [50, 0]])
    assert (3, 1) not in hidden and (0, 1) not in hidden


def test_people_rule_hides_big_counts_from_few_people():
    # 14 goals from 2 people: the number looks safe but points at two people.
    _grid, hidden = check([[14, 20], [30, 40]], people=[[2, 15], [20, 25]])
    assert (0, 0) in hidden


def test_dumbbell_pattern_has_no_bridge_left():
    # Two separate groups of small cells: each group alone would be closed, but the
    # algorithm must not leave one hidden cell that only links them.
    table = [[5, 6, 40, 50], [7, 8, 60, 70], [90, 80, 3, 4], [70, 60, 5, 9]]
    check(table)


@pytest.mark.parametrize("seed", range(150))
def test_random_tables_never_give_a_hidden_value_away(seed):
    rnd = random.Random(seed)
    rows, cols = rnd.randint(1, 6), rnd.randint(1, 5)
    table = [
        [rnd.choice([0, 0, rnd.randint(1, 10), rnd.randint(11, 60)]) for _ in range(cols)]
        for _ in range(rows)
    ]
    grid, hidden = check(table)
    # A hidden zero is one beside a hidden total, or one that was needed to close a cycle
    # because nothing else could (the table has no count above 10).
    last_row, last_col = len(grid) - 1, len(grid[0]) - 1
    for i, j in hidden:
        beside = (i, last_col) in hidden or (last_row, j) in hidden
        assert grid[i][j] > 0 or beside or not any(v for r in grid for v in r if v > 10)


@pytest.mark.parametrize("seed", range(12))
def test_small_tables_brute_force(seed):
    """Enumerate every table consistent with what is shown: no hidden cell has one value."""
    rnd = random.Random(1000 + seed)
    table = [
        [rnd.choice([0, rnd.randint(1, 10), rnd.randint(11, 12)]) for _ in range(2)]
        for _ in range(2)
    ]
    grid, hidden = suppress(table)
    assert not brute_force_pinned(grid, hidden, limit=14)


@pytest.mark.parametrize(
    "table",
    [
        [[11, 0, 0], [12, 9, 5]],  # row 0 adds up to its shown 11: hidden zeros there were 0
        [[0, 12], [11, 0], [0, 8]],
        [[11, 6, 12], [0, 0, 11]],
        [[0, 11, 0], [6, 12, 9]],
        [[5, 0, 0], [30, 40, 50], [20, 25, 35]],
    ],
)
def test_hidden_zeros_are_not_pinned_by_the_bounds(table):
    """A hidden zero that every agreeing table has as 0 would read as a shown zero."""
    grid, hidden = check(table)
    assert not search_pinned(grid, hidden, limit=max(map(max, grid)) + 2), sorted(hidden)


@pytest.mark.parametrize("seed", range(60))
def test_tables_with_many_zeros_brute_force(seed):
    """Every table agreeing with what is shown, margins included: no hidden cell, zero or
    not, has one value only."""
    rnd = random.Random(5000 + seed)
    n_rows, n_cols = rnd.choice([(2, 2), (2, 3), (3, 2), (3, 3)])
    table = [
        [rnd.choice([0, 0, rnd.randint(1, 10), rnd.randint(11, 13)]) for _ in range(n_cols)]
        for _ in range(n_rows)
    ]
    grid, hidden = check(table)
    assert not search_pinned(grid, hidden, limit=15), (table, sorted(hidden))


def test_negative_or_ragged_tables_are_refused():
    with pytest.raises(ValueError):
        suppress([[1, 2], [3]])
    with pytest.raises(ValueError):
        suppress([[-1]])
