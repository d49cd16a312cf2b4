"""The report: who is counted (scope.py), the indicators (indicators.py), the suppression of
small numbers (tables.py, suppression.py), and the CSV export.

Every count is suppressed on its true value, then shown rounded to the nearest 5 (Cell, through
Table.cell; see suppression.py for why: differencing overlapping periods).

Small groups (suppression.py, step 0): a report whose scope has fewer than MIN_COUNTED counted
people shows nothing at all (Report.withheld), and a table with 1..THRESHOLD different people
behind it shows "Too few people to show" instead of its numbers (Table.withheld). The page and
the CSV both read through Report and Table, so they obey the same rules.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from flask_babel import _

from ..csvsafe import csv_cell
from ..database import utcnow
from . import check_ins, indicators, suppression
from .forms import Period
from .scope import Scope, bounds, count_of, counted_ids
from .tables import Cell, Table, shown_cell


@dataclass
class Report:
    period: Period
    scope: Scope
    active: Cell
    tables: list[Table]
    withheld: bool = False  # fewer than MIN_COUNTED counted people: nothing is shown


def build(scope: Scope, period: Period) -> Report:
    """The report. Every query runs whatever the numbers, withheld or not: the page costs the
    same for every scope (tests/test_query_counts.py)."""
    start, end = bounds(period)
    now = utcnow()
    ids = counted_ids(scope)
    withheld = suppression.report_withheld(count_of(ids))
    active = indicators.active_people(ids, start, end, now)
    tables = [
        indicators.goals_table(ids, start, end),
        indicators.housing_table(ids, start, end),
        indicators.work_table(ids, start, end),
        indicators.appointments_table(ids, start, end, now),
        indicators.circles_table(ids, start, end),
        *check_ins.checkin_tables(ids, start, end),
    ]
    if withheld:
        return Report(period, scope, Cell(None, True), [], withheld=True)
    return Report(period, scope, shown_cell(active, suppression.suppress_single(active)), tables)


def hidden_text() -> str:
    return _("fewer than 11, or hidden")


def too_few_text() -> str:
    """Instead of a table with 1 to 10 people behind it (suppression.THRESHOLD)."""
    return _("Too few people to show.")


def withheld_text() -> str:
    """Instead of a report of fewer than suppression.MIN_COUNTED counted people."""
    return _(
        "Too few people are counted here to show a report: it needs at least %(n)s people "
        "who chose to be counted.",
        n=suppression.MIN_COUNTED,
    )


def rounding_note() -> str:
    """Said on the page and in the CSV: how to read every number (suppression.BASE, THRESHOLD)."""
    return _(
        "Numbers are rounded to the nearest 5 (11 and 12 show as 15), and numbers from 1 to 10 "
        "are hidden."
    )


def export_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    if report.withheld:
        writer.writerow([csv_cell(withheld_text())])
        return out.getvalue()
    writer.writerow([csv_cell(rounding_note())])  # first, where anyone opening the file reads
    writer.writerow([csv_cell(h) for h in (_("Table"), _("Row"), _("Column"), _("Number"))])
    hidden = hidden_text()

    def shown(cell: Cell) -> str:
        return hidden if cell.hidden else str(cell.value)

    writer.writerow(
        [csv_cell(v) for v in (_("Active people"), "", _("Total"), shown(report.active))]
    )
    for table in report.tables:
        if table.withheld:
            writer.writerow([csv_cell(v) for v in (table.title, "", "", too_few_text())])
            continue
        for label, cells, total in table.rows:
            for col, cell in zip(table.col_labels, cells, strict=True):
                writer.writerow([csv_cell(v) for v in (table.title, label, col, shown(cell))])
            if table.row_totals:
                writer.writerow(
                    [csv_cell(v) for v in (table.title, label, _("Total"), shown(total))]
                )
        if table.col_totals:
            cells, grand = table.totals
            for col, cell in zip(table.col_labels, cells, strict=True):
                writer.writerow([csv_cell(v) for v in (table.title, _("Total"), col, shown(cell))])
            if table.row_totals:
                writer.writerow(
                    [csv_cell(v) for v in (table.title, _("Total"), _("Total"), shown(grand))]
                )
    return out.getvalue()
