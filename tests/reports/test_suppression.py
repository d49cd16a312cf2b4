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


def check(table, people=None):
    grid, hidden = suppress(table, people)
    for i, row in enumerate(grid):
        for j, v in enumerate(row):
            if 1 <= v <= 10:
                assert (i, j) in hidden, f"small count {v} at {(i, j)} is shown"
    assert not determined(grid, hidden), (table, sorted(hidden))
    # Every hidden cell is positive where the table allows: a +1/-1 move around a cycle of
    # hidden cells then stays non-negative, so bounds cannot pin a value either.
    return grid, hidden


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
    positives = [grid[i][j] for i, j in hidden]
    assert all(v > 0 for v in positives) or not any(v for r in grid for v in r if v > 10)


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


def test_negative_or_ragged_tables_are_refused():
    with pytest.raises(ValueError):
        suppress([[1, 2], [3]])
    with pytest.raises(ValueError):
        suppress([[-1]])
