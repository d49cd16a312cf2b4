"""RFC 5545 recurrence for circles: daylight saving, n-th weekdays, intervals, endings."""

from datetime import UTC, date, datetime, time

import pytest

from survivorapp.circles import schedule
from survivorapp.circles.schedule import RuleError

MADRID = "Europe/Madrid"


def expand(rule, first, at=time(18), tzid=MADRID, after=None, before=None):
    start = schedule.local_start(first, at, tzid)
    after = after or datetime(2000, 1, 1, tzinfo=UTC)
    before = before or datetime(2100, 1, 1, tzinfo=UTC)
    return schedule.occurrences(rule, start, after, before)


def test_weekly_18h_madrid_stays_18h_local_across_both_dst_changes():
    first = date(2026, 3, 17)  # a Tuesday, before the last Sunday of March (29th)
    rule = schedule.build_rule("weekly", first, until=date(2026, 11, 3), at=time(18), tzid=MADRID)
    assert rule == "FREQ=WEEKLY;BYDAY=TU;UNTIL=20261103T225959Z"  # UNTIL in UTC (RFC 5545)
    found = expand(rule, first)
    local = [o.astimezone(schedule.zone(MADRID)) for o in found]
    assert all(o.hour == 18 and o.minute == 0 for o in local)
    by_day = {o.date(): o for o in found}
    # Winter time (UTC+1): 17:00Z. Summer time (UTC+2) from 29 March: 16:00Z.
    assert by_day[date(2026, 3, 24)] == datetime(2026, 3, 24, 17, tzinfo=UTC)
    assert by_day[date(2026, 3, 31)] == datetime(2026, 3, 31, 16, tzinfo=UTC)
    # Back to winter time after the last Sunday of October (25th).
    assert by_day[date(2026, 10, 20)] == datetime(2026, 10, 20, 16, tzinfo=UTC)
    assert by_day[date(2026, 10, 27)] == datetime(2026, 10, 27, 17, tzinfo=UTC)
    assert by_day[date(2026, 11, 3)] == datetime(2026, 11, 3, 17, tzinfo=UTC)  # UNTIL day included
    assert found[0].date() == date(2026, 3, 17) and len(found) == 34


def test_monthly_second_tuesday():
    first = date(2026, 1, 13)  # the 2nd Tuesday of January
    rule = schedule.build_rule("monthly", first, nth=2, count=4, at=time(10), tzid=MADRID)
    assert rule == "FREQ=MONTHLY;BYDAY=2TU;COUNT=4"
    days = [o.astimezone(schedule.zone(MADRID)).date() for o in expand(rule, first, time(10))]
    assert days == [date(2026, 1, 13), date(2026, 2, 10), date(2026, 3, 10), date(2026, 4, 14)]


def test_monthly_last_friday_starts_on_the_first_real_session():
    first = date(2026, 1, 2)  # a Friday, but not the last one of January
    rule = schedule.build_rule("monthly", first, nth=-1, count=3, at=time(18), tzid=MADRID)
    assert rule == "FREQ=MONTHLY;BYDAY=-1FR;COUNT=3"
    start = schedule.first_session(rule, schedule.local_start(first, time(18), MADRID))
    assert start.date() == date(2026, 1, 30)
    days = [o.date() for o in expand(rule, start.date())]
    assert days == [date(2026, 1, 30), date(2026, 2, 27), date(2026, 3, 27)]


def test_every_other_week():
    first = date(2026, 3, 24)
    rule = schedule.build_rule("fortnightly", first, count=4, at=time(18), tzid=MADRID)
    assert rule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=4"
    local = [o.astimezone(schedule.zone(MADRID)) for o in expand(rule, first)]
    assert [o.date() for o in local] == [
        date(2026, 3, 24),
        date(2026, 4, 7),
        date(2026, 4, 21),
        date(2026, 5, 5),
    ]
    assert {o.hour for o in local} == {18}


def test_one_off():
    first = date(2026, 5, 5)
    assert schedule.build_rule("once", first, at=time(9, 30), tzid=MADRID) is None
    assert expand(None, first, time(9, 30)) == [datetime(2026, 5, 5, 7, 30, tzinfo=UTC)]


@pytest.mark.parametrize(
    ("rule", "code"),
    [
        ("FREQ=WEEKLY;BYDAY=TU", "endless"),  # a rule that never ends
        ("FREQ=WEEKLY;BYDAY=TU;COUNT=61", "count"),
        ("FREQ=WEEKLY;BYDAY=TU;COUNT=0", "count"),
        ("FREQ=DAILY;UNTIL=20270601T000000Z", "until"),  # more than a year
        ("FREQ=DAILY;UNTIL=20261231T000000Z", "count"),  # under a year, but too many sessions
        ("FREQ=WEEKLY;UNTIL=20260101T000000Z", "empty"),  # ends before it starts
        ("FREQ=SOMETIMES;COUNT=3", "rule"),
        ("nonsense", "rule"),
    ],
)
def test_rules_we_refuse(rule, code):
    with pytest.raises(RuleError) as info:
        schedule.check_rule(rule, schedule.local_start(date(2026, 3, 17), time(18), MADRID))
    assert info.value.code == code


@pytest.mark.parametrize("name", ["Mars/Olympus", "", "../../etc/passwd", "x" * 500, "utc "])
def test_unknown_time_zones_are_refused(name):
    with pytest.raises(RuleError):
        schedule.zone(name)


def test_tokens_round_trip_and_refuse_garbage():
    moment = datetime(2026, 3, 24, 17, tzinfo=UTC)
    assert schedule.Token.load(schedule.Token.dump(moment)) == moment
    for bad in ("", "2026", "20261324T170000Z", "x" * 16, "20260324T170000X", "99991231T235959Z"):
        assert schedule.Token.load(bad) is None
