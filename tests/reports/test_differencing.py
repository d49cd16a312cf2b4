"""Differencing: any month range can be chosen, so January-December minus January-November
would give December's count even where December alone says "fewer than 11". Shown counts are
rounded to the nearest 5 from their true values (reports.suppression.rounded), so the
difference of two shown numbers is not the true one, and different true counts give the same
pages. docs/security.md names this control and what it leaves open."""

from __future__ import annotations

from datetime import UTC, date, datetime

from survivorapp.extensions import db
from survivorapp.people.caseload import assign
from survivorapp.reports import services
from survivorapp.reports.forms import Period
from survivorapp.reports.scope import Scope
from survivorapp.reports.suppression import THRESHOLD, rounded
from tests.factories import make_goal, make_survivors
from tests.reports.conftest import IN
from tests.reports.test_views import rows_of

JAN_NOV = {"from": "2025-01", "to": "2025-11"}
JAN_DEC = {"from": "2025-01", "to": "2025-12"}
DEC = {"from": "2025-12", "to": "2025-12"}
DECEMBER = datetime(2025, 12, 10, 12, 0, tzinfo=UTC)


def team(as_role, december: int):
    """A member of staff with 20 people who each set a housing goal in June; `december` of
    them set another in December."""
    client, staff = as_role("staff")
    people = make_survivors(20)
    for p in people:
        assign(staff, p)
    db.session.commit()
    for p in people:
        make_goal(p, area="housing", at=IN)
    for p in people[:december]:
        make_goal(p, area="housing", at=DECEMBER)
    return client, staff


def housing_set(staff, period: dict) -> int:
    """The TRUE number of housing goals set in the period (never shown as such)."""
    first, last = (date.fromisoformat(period[k] + "-01") for k in ("from", "to"))
    table = next(
        t for t in services.build(Scope(staff.id), Period(first, last)).tables if t.key == "goals"
    )
    return table.grid[0][0]


def shown_housing_set(client, period: dict) -> str:
    """The shown number, or what the CSV says instead of a table with 10 or fewer people."""
    wanted = (["Goals by area", "Housing", "Set"], ["Goals by area", "", ""])
    [row] = [r for r in rows_of(client.get("/reports/report.csv", query_string=period))
             if r[:3] in wanted]  # fmt: skip
    return row[3]


def test_one_or_two_hidden_in_december_give_identical_reports_for_every_period(app, as_role):
    one, staff_one = team(as_role, december=1)
    two, staff_two = team(as_role, december=2)
    # The true counts differ, and the yearly ones differ by exactly December's hidden count.
    assert [housing_set(staff_one, p) for p in (JAN_NOV, JAN_DEC, DEC)] == [20, 21, 1]
    assert [housing_set(staff_two, p) for p in (JAN_NOV, JAN_DEC, DEC)] == [20, 22, 2]

    for period in (JAN_NOV, JAN_DEC, DEC):
        csv_one = one.get("/reports/report.csv", query_string=period)
        csv_two = two.get("/reports/report.csv", query_string=period)
        assert csv_one.status_code == csv_two.status_code == 200
        assert csv_one.get_data() == csv_two.get_data(), period
        htmx = {"HX-Request": "true"}
        page_one = one.get("/reports/", query_string=period, headers=htmx).get_data()
        page_two = two.get("/reports/", query_string=period, headers=htmx).get_data()
        assert page_one == page_two, period

    # December alone shows no goals table (one or two people behind it); the two longer
    # periods show 20 and 20: their difference, 0, is neither 1 nor 2. (Shown exactly, they
    # would say 20 and 21, and 20 and 22.)
    for client in (one, two):
        assert shown_housing_set(client, DEC) == "Too few people to show."
        assert shown_housing_set(client, JAN_NOV) == shown_housing_set(client, JAN_DEC) == "20"


def shown(count: int, round_to=rounded) -> int | None:
    """A lone count as a report shows it: None for "fewer than 11", else rounded."""
    return None if 0 < count <= THRESHOLD else round_to(count)


def explanations(earlier: int, later: int, round_to=rounded) -> set[int]:
    """Every hidden difference (1..10) that could give the same two shown totals as the true
    pair `earlier` -> `later`: someone who sees only the shown numbers cannot tell these
    apart. (Only true totals within 4 of `earlier` can show as it does.)"""
    seen = (shown(earlier, round_to), shown(later, round_to))
    return {
        d
        for a in range(max(0, earlier - 2 * THRESHOLD), earlier + 2 * THRESHOLD)
        if shown(a, round_to) == seen[0]
        for d in range(1, THRESHOLD + 1)
        if shown(a + d, round_to) == seen[1]
    }


def test_a_pair_of_shown_totals_does_not_pin_the_hidden_difference():
    pinned_exact, pinned = set(), set()
    for earlier in range(THRESHOLD + 1, 1000):
        for hidden in range(1, THRESHOLD + 1):
            later = earlier + hidden
            if explanations(earlier, later, round_to=lambda n: n) == {hidden}:
                pinned_exact.add((earlier, hidden))
            found = explanations(earlier, later)
            assert hidden in found
            if len(found) < 3:
                pinned.add((earlier, hidden))
    # Without rounding, every pair gives the hidden count away.
    assert len(pinned_exact) == (1000 - THRESHOLD - 1) * THRESHOLD
    # With it, at least three different hidden counts explain what is shown, every time: 11
    # and 12 show as 15, so no "10" then "10" around a hidden month can pin one person.
    assert pinned == set()
