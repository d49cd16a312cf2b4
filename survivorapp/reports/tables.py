"""A report's tables: true counts and the people behind them, suppressed (suppression.py),
and read only through Table.cell, which shows a count rounded to the nearest 5 or hidden.

Small groups (suppression.py, step 0): a table with 1..THRESHOLD different people behind it
shows "Too few people to show" instead of its numbers (Table.withheld).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import suppression


@dataclass
class Cell:
    """What a page or the CSV shows for one count: hidden (no value at all), or the count
    rounded to the nearest 5 from its true value (suppression.rounded)."""

    value: int | None
    hidden: bool


def shown_cell(true_value: int, hidden: bool) -> Cell:
    return Cell(None, True) if hidden else Cell(suppression.rounded(true_value), False)


@dataclass
class Table:
    key: str
    title: object
    how: object  # how the numbers are derived, shown under the table
    row_labels: list
    col_labels: list
    counts: list[list[int]]
    people: list[list[int]] | None = None  # people behind each cell, when cells count events
    row_totals: bool = False
    col_totals: bool = True
    # Different people behind the whole table (exact, from the database). None: the most
    # behind one cell, a lower bound (tables built by hand in tests).
    persons: int | None = None
    grid: list[list[int]] = field(init=False)  # TRUE counts with their margins: never shown
    hidden: set = field(init=False)
    withheld: bool = field(init=False)  # too few people: the table shows nothing

    def __post_init__(self) -> None:
        self.grid, self.hidden = suppression.suppress(self.counts, self.people)
        if self.persons is None:
            self.persons = max((max(r, default=0) for r in self.people or self.counts), default=0)
        self.withheld = suppression.too_few_people(self.persons)
        if self.withheld:
            self.hidden = {(i, j) for i, r in enumerate(self.grid) for j in range(len(r))}

    def cell(self, i: int, j: int) -> Cell:
        """What is shown: every page, chart and CSV reads counts through here."""
        return shown_cell(self.grid[i][j], (i, j) in self.hidden)

    @property
    def rows(self) -> list[tuple[object, list[Cell], Cell]]:
        width = len(self.col_labels)
        return [
            (label, [self.cell(i, j) for j in range(width)], self.cell(i, width))
            for i, label in enumerate(self.row_labels)
        ]

    @property
    def totals(self) -> tuple[list[Cell], Cell]:
        n, width = len(self.row_labels), len(self.col_labels)
        return [self.cell(n, j) for j in range(width)], self.cell(n, width)

    @property
    def chart(self) -> list[tuple[object, Cell]]:
        """The first column, for the bar chart."""
        return [(label, cells[0]) for label, cells, _total in self.rows]

    @property
    def chart_max(self) -> int:
        """The longest bar, from the shown (rounded) values, like every bar."""
        shown = [c.value for _label, c in self.chart if not c.hidden]
        return max(shown, default=0) or 1


def grid_of(keys: list, cols: list, results) -> tuple[list[list[int]], list[list[int]]]:
    """counts and people grids from (row key, column key, count, people) results."""
    index = {k: i for i, k in enumerate(keys)}
    counts = [[0] * len(cols) for _ in keys]
    people = [[0] * len(cols) for _ in keys]
    for row_key, col_key, count, persons in results:
        i = index.get(row_key, index.get("other"))
        if i is None or col_key not in cols:
            continue
        j = cols.index(col_key)
        counts[i][j] += int(count or 0)
        people[i][j] = max(people[i][j], int(persons or 0))  # a lower bound when merged
    return counts, people
