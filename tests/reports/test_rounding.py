"""What a report shows: every count that is not hidden, rounded to the nearest 5 from its true
value (totals too, each on its own), the chart drawn from those shown numbers, and one sentence
on the page and in the CSV saying so."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest

from survivorapp.reports import services
from survivorapp.reports.forms import Period
from survivorapp.reports.scope import Scope
from survivorapp.reports.suppression import BASE, THRESHOLD, rounded
from survivorapp.reports.tables import Table
from tests.factories import make_goal, make_survivors
from tests.reports.conftest import IN, YEAR

NOTE = (
    "Numbers are rounded to the nearest 5 (11 and 12 show as 15), and numbers from 1 to 10 "
    "are hidden."
)


def test_rounding_to_the_nearest_5():
    assert (BASE, THRESHOLD) == (5, 10)  # the sentence on the page names both numbers
    assert [rounded(n) for n in (0, 11, 12, 13, 17, 18, 22, 23, 100)] == [
        0, 15, 15, 15, 15, 20, 20, 25, 100,
    ]  # fmt: skip
    for n in range(0, 500):
        assert rounded(n) % 5 == 0 and abs(rounded(n) - n) <= (4 if n in (11, 12) else 2)
        assert n <= THRESHOLD or rounded(n) > THRESHOLD  # never shown as if hidden
    with pytest.raises(ValueError):
        rounded(-1)


def test_totals_are_rounded_from_true_values_not_added_up_from_rounded_cells():
    table = Table("t", "T", "", ["a", "b", "c"], ["n"], [[13], [13], [13]], row_totals=True)
    shown = [cells[0].value for _label, cells, _total in table.rows]
    assert shown == [15, 15, 15]
    totals, grand = table.totals
    assert table.grid[-1][0] == 39
    assert totals[0].value == 40 and grand.value == 40  # not 45, the sum of the shown cells
    assert [total.value for _label, _cells, total in table.rows] == [15, 15, 15]


def test_hidden_cells_carry_no_number_at_all():
    table = Table("t", "T", "", ["a", "b"], ["n"], [[3], [20]])
    cells = [cells[0] for _label, cells, _total in table.rows]
    assert cells[0].hidden and cells[0].value is None
    assert cells[1].hidden and cells[1].value is None  # secondary: 20 = total minus 3


def rows_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_page_and_csv_show_rounded_numbers_and_say_so(app, as_role):
    admin, _a = as_role("admin")
    for p in make_survivors(13):
        make_goal(p, area="housing", at=IN)
    for p in make_survivors(12):
        make_goal(p, area="work", at=IN)
    rows = rows_of(admin.get("/reports/report.csv", query_string=YEAR))
    assert rows[0] == [NOTE]
    assert ["Goals by area", "Housing", "Set", "15"] in rows  # 13
    assert ["Goals by area", "Work and training", "Set", "15"] in rows  # 12, never shown as 10
    assert ["Goals by area", "Total", "Set", "25"] in rows  # 25 true, not 15 + 15 added up
    assert ["Active people", "", "Total", "25"] in rows
    assert not any(r[-1] in ("12", "13") for r in rows)

    page = admin.get("/reports/", query_string=YEAR).get_data(as_text=True)
    fragment = admin.get("/reports/", query_string=YEAR, headers={"HX-Request": "true"})
    assert NOTE in page and NOTE in fragment.get_data(as_text=True)
    goals = page[page.index('id="t-goals"') : page.index('id="t-housing"')]
    assert ">13<" not in goals and ">12<" not in goals
    assert goals.count("<td>15</td>") >= 2 and "<td>10</td>" not in goals and "<td>25</td>" in goals


def test_chart_bars_come_from_the_shown_numbers(app, as_role):
    admin, _a = as_role("admin")
    for p in make_survivors(13):
        make_goal(p, area="housing", at=IN)
    for p in make_survivors(12):
        make_goal(p, area="work", at=IN)
    page = admin.get("/reports/", query_string=YEAR).get_data(as_text=True)
    chart = page[page.index('id="t-goals"') : page.index("</svg>", page.index('id="t-goals"'))]
    bars = re.findall(r'<rect class="reports-chart-bar"[^>]*width="([\d.]+)"', chart)
    values = re.findall(r'class="reports-chart-value"[^>]*>([^<]+)<', chart)
    # Housing 13 and work 12 both show as 15: bars of one length, not 120 and 110.8.
    assert bars[:2] == ["120.0", "120.0"]
    assert values[:2] == ["15", "15"]


def test_the_active_count_is_rounded_too(app):
    for p in make_survivors(18):
        make_goal(p, area="money", at=IN)
    report = services.build(Scope(None), Period(date(2025, 1, 1), date(2025, 12, 1)))
    assert (report.active.value, report.active.hidden) == (20, False)
