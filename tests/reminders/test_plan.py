"""The due-time rules: leads across clock changes, quiet hours, nothing before booking."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from survivorapp.extensions import db
from survivorapp.reminders import plan
from survivorapp.reminders.models import ReminderSettings
from tests.factories import make_appointment, make_user

MADRID = ZoneInfo("Europe/Madrid")


def quiet(start=time(21), end=time(8)) -> ReminderSettings:
    return ReminderSettings(quiet_start=start, quiet_end=end)


def local(*args) -> datetime:
    return datetime(*args, tzinfo=MADRID).astimezone(UTC)


def test_a_day_before_is_the_same_wall_clock_time_across_a_clock_change():
    # Clocks go forward in Madrid on 28 March 2027: 10:00 that day is 23 hours after 10:00
    # the day before, and the reminder is at 10:00 the day before all the same.
    event = local(2027, 3, 28, 10, 0)
    assert plan.before(event, 1440, MADRID) == local(2027, 3, 27, 10, 0)
    assert event - plan.before(event, 1440, MADRID) == timedelta(hours=23)
    # Clocks go back on 31 October 2027: that day has 25 hours.
    event = local(2027, 10, 31, 10, 0)
    assert event - plan.before(event, 1440, MADRID) == timedelta(hours=25)


def test_a_lead_of_hours_is_a_plain_duration_even_across_the_change():
    event = local(2027, 3, 28, 3, 30)  # 03:30 CEST, an hour after the clocks jumped
    assert plan.before(event, 120, MADRID) == event - timedelta(hours=2)


def test_a_wall_clock_time_the_clocks_skip_moves_on_by_the_gap():
    # 02:30 does not exist on 28 March 2027 in Madrid; 02:30 on the 29th, a day before is it.
    event = local(2027, 3, 29, 2, 30)
    due = plan.before(event, 1440, MADRID)
    assert due.astimezone(MADRID).replace(tzinfo=None) == datetime(2027, 3, 28, 3, 30)


def test_quiet_hours_hold_until_they_end():
    s = quiet()
    assert plan.after_quiet(local(2027, 1, 5, 22, 30), s, MADRID) == local(2027, 1, 6, 8, 0)
    assert plan.after_quiet(local(2027, 1, 6, 6, 0), s, MADRID) == local(2027, 1, 6, 8, 0)
    assert plan.after_quiet(local(2027, 1, 6, 12, 0), s, MADRID) == local(2027, 1, 6, 12, 0)
    assert plan.after_quiet(local(2027, 1, 6, 21, 0), s, MADRID) == local(2027, 1, 7, 8, 0)
    assert plan.after_quiet(local(2027, 1, 6, 8, 0), s, MADRID) == local(2027, 1, 6, 8, 0)


def test_quiet_hours_within_one_day_and_none_at_all():
    s = quiet(time(13), time(15))
    assert plan.after_quiet(local(2027, 1, 6, 14, 0), s, MADRID) == local(2027, 1, 6, 15, 0)
    assert plan.after_quiet(local(2027, 1, 6, 16, 0), s, MADRID) == local(2027, 1, 6, 16, 0)
    none = quiet(None, None)
    assert plan.after_quiet(local(2027, 1, 6, 23, 0), none, MADRID) == local(2027, 1, 6, 23, 0)


def test_quiet_hours_in_the_persons_own_zone(app):
    bangkok = make_user("survivor", timezone="Asia/Bangkok")
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)
    # 22:30 in Bangkok, two days on. The day-before reminder falls at 22:30, in the quiet
    # hours: held until 08:00 on the day. The 1-hour one falls at 21:30 and would be held past
    # the appointment itself: it is not sent at all.
    day = start.astimezone(ZoneInfo("Asia/Bangkok")).date()
    at = datetime.combine(day, time(22, 30), tzinfo=ZoneInfo("Asia/Bangkok")).astimezone(UTC)
    make_appointment(bangkok, start=at)
    found = plan.due(bangkok, at - timedelta(days=3), at)
    assert [d.key.split(":")[2] for d in found] == ["1440"]
    morning = datetime.combine(day, time(8), tzinfo=ZoneInfo("Asia/Bangkok"))
    assert found[0].due_at == morning.astimezone(UTC)


def no_quiet_hours(user):
    db.session.add(ReminderSettings(user_id=user.id, quiet_start=None, quiet_end=None))
    db.session.commit()
    return user


def test_nothing_is_due_before_it_was_booked(app):
    person = no_quiet_hours(make_user("survivor", timezone="Europe/Madrid"))
    now = datetime.now(UTC).replace(microsecond=0)
    soon = now + timedelta(hours=5)  # booked now: its "1 day before" has passed already
    make_appointment(person, start=soon)
    found = plan.due(person, now - timedelta(days=2), soon)
    assert [d.key.split(":")[2] for d in found] == ["60"]


def test_a_moved_appointment_has_new_reminders_and_a_cancelled_one_none(app):
    person = no_quiet_hours(make_user("survivor", timezone="UTC"))
    now = datetime.now(UTC).replace(microsecond=0)
    appointment = make_appointment(person, start=now + timedelta(days=3, hours=12))
    keys = {d.key for d in plan.due(person, now, now + timedelta(days=5))}
    appointment.starts_at += timedelta(hours=1)
    appointment.ends_at += timedelta(hours=1)
    moved = {d.key for d in plan.due(person, now, now + timedelta(days=5))}
    assert len(moved) == 2 and not keys & moved
    appointment.status = "cancelled"
    assert plan.due(person, now, now + timedelta(days=5)) == []
