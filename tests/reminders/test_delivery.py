"""A real round trip: the runner signs with VAPID and encrypts for each device; a local push
service checks the token, decrypts with the device's keys, and keeps what a phone would show."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from survivorapp.accounts.lockout import lock_account
from survivorapp.accounts.models import User
from survivorapp.extensions import db
from survivorapp.reminders import deliver
from survivorapp.reminders.models import PushSubscription, Reminder, ReminderSettings
from survivorapp.safety.words import giveaways
from tests.factories import make_appointment


def at_noon_in(days: int) -> datetime:
    """Noon UTC some days on: away from the default quiet hours in UTC."""
    day = (datetime.now(UTC) + timedelta(days=days)).date()
    return datetime.combine(day, time(12), tzinfo=UTC)


def survivor_with_phone(as_role, subscribe, name="phone", **fields):
    client, user = as_role("survivor", timezone="UTC", **fields)
    subscribe(client, name)
    return client, user


def test_a_due_reminder_arrives_once_neutral_and_readable_only_by_the_device(
    app, as_role, subscribe, push
):
    _client, user = survivor_with_phone(as_role, subscribe)
    start = at_noon_in(3)
    make_appointment(user, start=start, place="Calle Mayor 1", note="Counselling with Ana")
    report = deliver.run(start - timedelta(minutes=59))  # the 1-hour reminder is due
    assert report.sent == 1
    [shown] = push.received
    assert shown["title"] == app.config["BRAND_NAME"]
    assert shown["body"].replace("\u202f", " ") == "You have something at 12:00 PM."
    assert shown["url"] == "/"
    assert 3500 <= shown["ttl"] <= 3600  # it lapses when the appointment starts
    text = (shown["title"] + shown["body"]).lower()
    assert giveaways(text) == []
    assert "mayor" not in text and "ana" not in text
    assert deliver.run(start - timedelta(minutes=58)).sent == 0  # never twice
    assert len(push.received) == 1


def test_the_line_is_in_the_persons_language(app, as_role, subscribe, push):
    survivor_with_phone(as_role, subscribe, locale="es")
    user = db.session.scalars(select(PushSubscription)).one().user_id
    start = at_noon_in(3)
    make_appointment(db.session.get(User, user), start=start)
    deliver.run(start - timedelta(days=1) + timedelta(minutes=1))
    assert push.received[0]["body"] == "Tienes algo mañana a las 12:00."


def test_quiet_hours_hold_a_reminder_and_drop_one_held_past_its_time(app, as_role, subscribe, push):
    _client, user = survivor_with_phone(as_role, subscribe)
    start = at_noon_in(3).replace(hour=7, minute=30)  # 07:30; quiet until 08:00
    make_appointment(user, start=start)
    assert deliver.run(start - timedelta(days=1, minutes=-1)).sent == 0  # 07:31 the day before
    assert deliver.run(start - timedelta(hours=23, minutes=29)).sent == 1  # 08:01: held, sent
    assert deliver.run(start - timedelta(minutes=59)).sent == 0  # 06:31: held past 07:30
    assert len(push.received) == 1


def test_quick_exit_and_a_lock_end_the_devices_reminders(app, as_role, subscribe, push):
    client, user = survivor_with_phone(as_role, subscribe)
    client.get("/exit")
    assert db.session.scalars(select(PushSubscription)).all() == []
    _other, person = survivor_with_phone(as_role, subscribe, "other")
    lock_account(person, actor=None, reason="staff")
    db.session.commit()
    assert db.session.scalars(select(PushSubscription)).all() == []
    start = at_noon_in(3)
    make_appointment(user, start=start)
    make_appointment(person, start=start)
    assert deliver.run(start - timedelta(minutes=59)).sent == 0
    assert push.received == []


def test_a_gone_subscription_is_dropped_and_a_failing_service_is_retried(
    app, as_role, subscribe, push
):
    client, user = survivor_with_phone(as_role, subscribe)
    subscribe(client, "tablet")
    start = at_noon_in(3)
    make_appointment(user, start=start)
    push.answer = {"phone": 410, "tablet": 500}
    now = start - timedelta(minutes=59)
    report = deliver.run(now)
    assert (report.dropped, report.retrying, report.sent) == (1, 1, 0)
    assert [s.device for s in db.session.scalars(select(PushSubscription))] == [""]
    assert deliver.run(now + timedelta(seconds=30)).sent == 0  # backing off
    push.answer = {}
    assert deliver.run(now + timedelta(minutes=2)).sent == 1
    assert [r["device"] for r in push.received] == ["tablet"]


def test_a_429_waits_as_long_as_the_service_asks(app, as_role, subscribe, push):
    survivor_with_phone(as_role, subscribe)
    user_id = db.session.scalars(select(PushSubscription)).one().user_id
    start = at_noon_in(3)
    make_appointment(db.session.get(User, user_id), start=start)
    push.answer = {"phone": 429}
    now = start - timedelta(minutes=59)
    deliver.run(now)
    row = db.session.scalars(select(Reminder)).one()
    assert row.state == "retry" and row.next_attempt_at == now + timedelta(seconds=120)


def test_two_runners_at_once_send_each_reminder_once(app, as_role, subscribe, push):
    people = [survivor_with_phone(as_role, subscribe, f"phone{n}")[1] for n in range(3)]
    start = at_noon_in(3)
    for person in people:
        make_appointment(person, start=start)
        make_appointment(person, start=start + timedelta(hours=2))
    now = start - timedelta(minutes=59)
    barrier, reports = threading.Barrier(2), []

    def runner():
        with app.app_context():
            barrier.wait()
            reports.append(deliver.run(now))
            db.session.remove()

    threads = [threading.Thread(target=runner) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r.sent for r in reports) == 3
    assert len(push.received) == 3
    assert len(db.session.scalars(select(Reminder)).all()) == 3


def test_no_device_no_reminder_and_choices_are_kept(app, as_role, subscribe, push):
    _client, user = survivor_with_phone(as_role, subscribe)
    db.session.add(ReminderSettings(user_id=user.id, appointments=False))
    db.session.commit()
    start = at_noon_in(3)
    make_appointment(user, start=start)
    assert deliver.run(start - timedelta(minutes=59)).sent == 0


def test_the_staff_digest_counts_goals_waiting_and_says_nothing_when_none_wait(
    app, as_role, subscribe, push
):
    client, staff = as_role("staff", timezone="UTC")
    subscribe(client, "desk")
    db.session.add(ReminderSettings(user_id=staff.id, quiet_start=None, quiet_end=None))
    db.session.commit()
    nine = datetime.combine(datetime.now(UTC).date() + timedelta(days=1), time(9), tzinfo=UTC)
    report = deliver.run(nine + timedelta(minutes=1))
    assert (report.sent, report.failed) == (0, 0) and push.received == []
