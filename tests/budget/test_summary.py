"""Arithmetic in minor units, month boundaries and time zones."""

from datetime import UTC, date, datetime

import pytest

from survivorapp import localtime
from survivorapp.budget import entries, months, savings, summary
from survivorapp.budget.summary import TrendMonth
from tests.factories import make_entry, make_plan, make_savings_goal, make_user


@pytest.fixture(autouse=True)
def _request(request):
    """Category labels are translated, which needs a request (for the locale)."""
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    with app.test_request_context():
        yield


def test_left_to_spend_is_plan_minus_spending_in_minor_units(app):
    user = make_user("survivor")
    make_plan(user, "food", 20000)
    make_plan(user, "rent", 45000)
    make_entry(user, 1999, category="food", on=date(2026, 3, 2))
    make_entry(user, 1, category="food", on=date(2026, 3, 31))
    make_entry(user, 45000, category="rent", on=date(2026, 3, 1))
    make_entry(user, 120000, category="pay", kind="income", on=date(2026, 3, 1))
    make_entry(user, 5000, category="food", on=date(2026, 4, 1))  # next month
    make_entry(user, 700, category="food", on=date(2026, 3, 5), currency="USD")  # not counted

    s = summary.summary(user, date(2026, 3, 1))
    lines = {line.key: line for line in s.lines}
    assert lines["food"].spent == 2000
    assert lines["food"].left == 18000
    assert lines["rent"].left == 0
    assert s.planned == 65000
    assert s.spent == 47000
    assert s.left == 18000
    assert s.income == 120000
    assert s.other_currencies == 1
    assert all(isinstance(v, int) for v in (s.planned, s.spent, s.left, s.income))


def test_overspending_gives_a_negative_left(app):
    user = make_user("survivor")
    make_plan(user, "transport", 3000)
    make_entry(user, 3001, category="transport", on=date(2026, 3, 9))
    assert summary.summary(user, date(2026, 3, 1)).left == -1


def test_sums_stay_exact_where_floats_would_drift(app):
    user = make_user("survivor")
    for _ in range(10):
        make_entry(user, 10, on=date(2026, 3, 9))  # 0.10 ten times
    assert summary.summary(user, date(2026, 3, 1)).spent == 100


def test_another_persons_entries_never_count(app):
    me, other = make_user("survivor"), make_user("survivor")
    make_entry(other, 9999, on=date(2026, 3, 9))
    assert summary.summary(me, date(2026, 3, 1)).spent == 0
    assert entries.entries_in_month(me, date(2026, 3, 1)) == []


def test_progress_is_whole_per_cent_and_bounded():
    assert savings.progress_percent(0, 1000) == 0
    assert savings.progress_percent(333, 1000) == 33
    assert savings.progress_percent(999, 1000) == 99
    assert savings.progress_percent(1000, 1000) == 100
    assert savings.progress_percent(5000, 1000) == 100
    assert savings.progress_percent(-5, 1000) == 0
    assert savings.progress_percent(5, 0) == 0


def test_goal_progress_sums_contributions(app):
    user = make_user("survivor")
    goal = make_savings_goal(user, 50000, saved=12345)
    savings.contribute(goal, 55, date(2026, 3, 1))
    savings.contribute(goal, -400, date(2026, 3, 2))
    assert goal.saved_minor == 12000
    assert savings.progress_percent(goal.saved_minor, goal.target_minor) == 24


def test_money_put_aside_for_a_bill_is_spread_over_the_months_left(app):
    user = make_user("survivor")
    bill = make_savings_goal(user, 10000, kind="bills", target_date=date(2026, 6, 15), saved=1000)
    # 90.00 still to put aside over 3 months (March->June), rounded up so it is never short.
    assert savings.monthly_to_put_aside(bill, date(2026, 3, 20)) == 3000
    odd = make_savings_goal(user, 1000, kind="bills", target_date=date(2026, 6, 1))
    assert savings.monthly_to_put_aside(odd, date(2026, 3, 1)) == 334
    assert savings.monthly_to_put_aside(odd, date(2026, 6, 1)) == 1000  # due this month
    assert (
        savings.monthly_to_put_aside(make_savings_goal(user, 10, saved=10), date(2026, 3, 1))
        is None
    )


def test_an_entry_late_on_the_last_evening_belongs_to_that_month_locally(app):
    """23:30 on 31 January in Lima is 04:30 on 1 February in UTC: still January for them."""
    user = make_user("survivor", timezone="America/Lima")
    now = datetime(2026, 2, 1, 4, 30, tzinfo=UTC)
    assert localtime.today_for(user, now) == date(2026, 1, 31)
    tokyo = make_user("survivor", timezone="Asia/Tokyo")
    # 00:30 on 1 March in Tokyo is still February in UTC: March for them.
    assert localtime.today_for(tokyo, datetime(2026, 2, 28, 15, 30, tzinfo=UTC)) == date(2026, 3, 1)


def test_month_boundaries_are_calendar_dates(app):
    user = make_user("survivor")
    make_entry(user, 100, on=date(2026, 1, 31))
    make_entry(user, 200, on=date(2026, 2, 1))
    make_entry(user, 400, on=date(2026, 2, 28))
    make_entry(user, 800, on=date(2026, 3, 1))
    assert summary.summary(user, date(2026, 1, 1)).spent == 100
    assert summary.summary(user, date(2026, 2, 1)).spent == 600
    assert summary.summary(user, date(2026, 3, 1)).spent == 800


def test_months_add_across_years_and_unknown_months_fall_back():
    assert months.add_months(date(2026, 11, 1), 3) == date(2027, 2, 1)
    assert months.add_months(date(2026, 2, 1), -5) == date(2025, 9, 1)
    today = date(2026, 5, 17)
    assert months.parse_month("2026-02", today) == date(2026, 2, 1)
    for bad in ("9999-12", "2026-13", "abc", "", None, "1999-12", "2026-1-1"):
        assert months.parse_month(bad, today) == date(2026, 5, 1), bad


def test_six_month_trend_in_order(app):
    user = make_user("survivor")
    make_entry(user, 100, on=date(2025, 10, 31))  # outside the window
    make_entry(user, 300, on=date(2025, 11, 1))
    make_entry(user, 500, on=date(2026, 4, 30))
    make_entry(user, 900, kind="income", category="pay", on=date(2026, 4, 2))
    points = summary.trend(user, date(2026, 4, 1), "EUR")
    assert [p.month for p in points] == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
        date(2026, 3, 1),
        date(2026, 4, 1),
    ]
    assert [p.spent for p in points] == [300, 0, 0, 0, 0, 500]
    assert points[-1].income == 900


def test_the_chart_mirrors_time_for_right_to_left():
    points = [TrendMonth(date(2026, m, 1), m * 100, 0) for m in range(1, 7)]
    ltr = summary.chart(points, 300, rtl=False)
    rtl = summary.chart(points, 300, rtl=True)
    assert [b.x for b in ltr["bars"]] == sorted(b.x for b in ltr["bars"])  # oldest on the left
    assert [b.x for b in rtl["bars"]] == sorted((b.x for b in rtl["bars"]), reverse=True)
    tallest = max(ltr["bars"], key=lambda b: b.height)
    assert tallest.month == date(2026, 6, 1)
    assert [b.over for b in ltr["bars"]] == [False, False, False, True, True, True]
    assert all(isinstance(b.height, int) for b in ltr["bars"])
