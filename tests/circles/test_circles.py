"""Circles end to end through HTTP: posting, browsing, joining, waiting, sessions, calendar."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select

from survivorapp.accounts.models import User
from survivorapp.circles import browse, membership, occurrences, schedule
from survivorapp.circles.models import Attendance, Circle, CircleMember, SessionChange
from survivorapp.extensions import db
from tests.factories import CIRCLE_PLACE, make_circle, make_user
from tests.helpers import soon

NEW = "/circles/run/new"


def valid_form(**overrides) -> dict:
    data = {
        "name": "Tardes de charla",
        "topic": "friendship",
        "languages": ["es"],
        "format": "in_person",
        "place": "Sala 2, Centro Cívico",
        "capacity": "6",
        "duration": "90",
        "repeat": "fortnightly",
        "nth": "1",
        "first_date": soon(3).isoformat(),
        "start_time": "18:00",
        "timezone": "Europe/Madrid",
        "ends": "count",
        "count": "6",
        "until": "",
    }
    data.update(overrides)
    return data


def first_token(circle) -> str:
    return occurrences.upcoming(circle)[0].token


# --- posting ----------------------------------------------------------------------------------


def test_a_mentor_posts_a_fortnightly_circle(as_role):
    client, mentor = as_role("mentor", timezone="Europe/Madrid")
    response = client.post_form(NEW, valid_form(), page=NEW)
    assert response.status_code == 303
    circle = db.session.scalar(select(Circle))
    assert response.headers["Location"] == f"/circles/run/{circle.public_id}"
    assert circle.mentor_id == mentor.id
    assert circle.rrule.startswith("FREQ=WEEKLY;INTERVAL=2;BYDAY=")
    assert circle.rrule.endswith(";COUNT=6")
    assert (circle.tzid, circle.start_time, circle.languages) == ("Europe/Madrid", time(18), ["es"])
    assert circle.place == "Sala 2, Centro Cívico"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Tardes de charla" in page and "Sala 2, Centro Cívico" in page


def test_until_is_stored_in_utc(as_role):
    client, _ = as_role("mentor")
    first = soon(3)
    until = first + timedelta(weeks=10)
    form = valid_form(repeat="weekly", ends="until", until=until.isoformat(), count="")
    assert client.post_form(NEW, form, page=NEW).status_code == 303
    circle = db.session.scalar(select(Circle))
    # The end of the last day in Madrid, written in UTC (22:59:59Z in winter, 21:59:59Z in summer)
    assert circle.rrule.split("UNTIL=")[1] in (f"{until:%Y%m%d}T225959Z", f"{until:%Y%m%d}T215959Z")
    assert (
        len(
            occurrences.sessions(
                circle, datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)
            )
        )
        == 11
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ends": "", "count": ""}, "A repeating circle needs an end"),
        ({"capacity": "0"}, "Choose a number of places from 1 to 50"),
        ({"capacity": "abc"}, "Choose a number of places from 1 to 50"),
        ({"capacity": "9" * 40}, "Choose a number of places from 1 to 50"),
        ({"timezone": "Mars/Olympus"}, "Choose a time zone from the list"),
        ({"first_date": "2026-02-30"}, "Enter the first date"),
        ({"first_date": "yesterday"}, "Enter the first date"),
        ({"first_date": "0001-01-01"}, "Enter the first date"),
        ({"ends": "until", "until": "9999-12-31"}, "Enter the last date"),
        ({"first_date": "2001-01-02"}, "Choose a first date from today to one year ahead"),
        ({"start_time": "25:00"}, "Enter a start time"),
        ({"topic": "secret"}, "Choose a topic from the list"),
        ({"format": "carrier-pigeon"}, "Choose how the circle meets"),
        ({"languages": ["xx"]}, "Choose languages from the list"),
        ({"languages": []}, "Choose at least one language"),
        ({"repeat": "hourly"}, "Choose how often the circle meets"),
        ({"repeat": "monthly", "nth": "9"}, "Choose which week of the month"),
        ({"count": "61"}, "Choose between 1 and 60 sessions"),
        ({"ends": "until", "until": "not a date"}, "Enter the last date"),
        ({"ends": "until", "until": "2001-01-01"}, "The end date must be after the first date"),
        ({"ends": "until", "until": (soon(3) + timedelta(days=800)).isoformat()}, "at most one"),
        ({"name": "x" * 100_000}, "Keep the name under 80 characters"),
        ({"name": "   "}, "Give the circle a name"),
        ({"place": "p" * 5000}, "Keep this under 300 characters"),
    ],
)
def test_bad_input_is_a_clear_error_and_keeps_what_was_typed(as_role, overrides, message):
    client, _ = as_role("mentor")
    form = valid_form(**overrides)
    response = client.post_form(NEW, form, page=NEW)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    if "name" not in overrides:
        assert 'value="Tardes de charla"' in html
    if "place" not in overrides:
        assert "Sala 2, Centro Cívico" in html
    assert db.session.scalar(select(Circle)) is None


def test_missing_fields_never_crash(as_role):
    client, _ = as_role("mentor")
    response = client.post_form(NEW, {}, page=NEW)
    assert response.status_code == 422
    assert "Give the circle a name" in response.get_data(as_text=True)


def test_only_mentors_post_circles(as_role):
    client, _ = as_role("survivor", "staff", "admin")
    assert client.get(NEW).status_code == 403
    assert client.get("/circles/run").status_code == 403


# --- browsing and the place -------------------------------------------------------------------


def test_browse_pages_twenty_at_a_time_with_a_plain_link_keeping_the_filters(as_role):
    import re

    from tests.helpers import queries_for

    mentor = make_user("mentor")
    for i in range(25):
        make_circle(mentor, name=f"Talk {i:02d}", languages=["es"])
    make_circle(mentor, name="Other", languages=["en"])
    client, _ = as_role("survivor")
    first = client.get("/circles?language=es").get_data(as_text=True)
    assert first.count('class="card circle-card"') == 20 and "Other" not in first
    more = re.search(r'href="([^"]*after=[^"]*)">More circles', first).group(1)
    more = more.replace("&amp;", "&")
    assert "language=es" in more
    second = client.get(more).get_data(as_text=True)
    assert second.count('class="card circle-card"') == 5 and "Other" not in second
    shown = set(re.findall(r"Talk \d\d", first)) | set(re.findall(r"Talk \d\d", second))
    assert len(shown) == 25 and "More circles" not in second
    # the work does not grow with the number of circles
    assert queries_for(client, more) <= queries_for(client, "/circles?language=es") + 1  # cursor
    assert client.get("/circles?after=" + "x" * 500).status_code == 200


def test_survivors_filter_by_language_format_and_topic(as_role):
    mentor = make_user("mentor")
    make_circle(mentor, name="Círculo", languages=["es"], format="online", topic="work")
    make_circle(mentor, name="Circle", languages=["en"], format="phone", topic="money")
    client, _ = as_role("survivor")
    html = client.get("/circles?language=es").get_data(as_text=True)
    assert "Círculo" in html and "Circle<" not in html
    html = client.get("/circles?format=phone").get_data(as_text=True)
    assert "Circle<" in html and "Círculo" not in html
    html = client.get("/circles?topic=work&language=es&format=online").get_data(as_text=True)
    assert "Círculo" in html
    assert "Círculo" not in client.get("/circles?topic=money").get_data(as_text=True)
    # htmx asks for the list only
    fragment = client.get("/circles?language=en", headers={"HX-Request": "true"})
    assert fragment.get_data(as_text=True).startswith('<section id="circle-list"')
    bad = client.get("/circles?language=zz&format=" + "f" * 5000)
    assert bad.status_code == 400
    assert "Choose a language from the list." in bad.get_data(as_text=True)


def test_place_is_hidden_from_non_members(as_role):
    circle = make_circle(make_user("mentor"))
    client, _ = as_role("survivor")
    page = client.get(f"/circles/{circle.public_id}").get_data(as_text=True)
    assert CIRCLE_PLACE not in page and "Members see where the circle meets." in page
    assert client.get(f"/circles/{circle.public_id}/event.ics").status_code == 404
    listing = client.get("/circles").get_data(as_text=True)
    assert CIRCLE_PLACE not in listing
    response = client.post_form(f"/circles/{circle.public_id}/join", page="/circles")
    assert response.status_code == 303
    page = client.get(f"/circles/{circle.public_id}").get_data(as_text=True)
    assert CIRCLE_PLACE in page
    staff, _ = as_role("staff", "admin")
    assert staff.get(f"/circles/{circle.public_id}").status_code == 403
    assert staff.get(f"/circles/{circle.public_id}/event.ics").status_code == 403


def test_unknown_circles_and_sessions_are_404(as_role):
    circle = make_circle(make_user("mentor"))
    client, _ = as_role("survivor")
    assert client.get("/circles/nope").status_code == 404
    assert client.get("/circles/" + "x" * 300).status_code == 404
    base = f"/circles/{circle.public_id}/sessions"
    for token in ("garbage", "20260101T000000Z", first_token(circle).replace("T", "X")):
        assert client.post_form(f"{base}/{token}/place", page="/circles").status_code == 404


# --- mentors own their circles ----------------------------------------------------------------


def test_mentors_manage_only_their_own_circles(as_role):
    others = make_circle(make_user("mentor"))
    client, mentor = as_role("mentor")
    mine = make_circle(mentor, name="Mine")
    assert client.get(f"/circles/run/{mine.public_id}").status_code == 200
    token = first_token(others)
    assert client.get(f"/circles/run/{others.public_id}").status_code == 404
    assert client.get(f"/circles/run/{others.public_id}/sessions/{token}").status_code == 404
    for action in ("cancel", "move", "restore", "attendance"):
        url = f"/circles/run/{others.public_id}/sessions/{token}/{action}"
        assert client.post_form(url, {"note": "x"}, page="/circles/run").status_code == 404
    assert db.session.scalar(select(SessionChange)) is None
    listing = client.get("/circles/run").get_data(as_text=True)
    assert "Mine" in listing and "Tuesday talk" not in listing


def test_mentor_sees_members_by_pseudonym_and_numbers(as_role):
    client, mentor = as_role("mentor")
    circle = make_circle(mentor, capacity=3)
    for name in ("Mai", "Olena"):
        membership.join(circle, make_user("survivor", pseudonym=name))
    html = client.get(f"/circles/run/{circle.public_id}").get_data(as_text=True)
    assert "Mai" in html and "Olena" in html and "2 coming" in html
    home = client.get("/mentor").get_data(as_text=True)
    assert "Tuesday talk" in home and "2 coming" in home


# --- capacity, waiting list, single-session places ------------------------------------------


def test_full_circle_offers_the_waiting_list_and_promotes_first_come(as_role):
    circle = make_circle(make_user("mentor"), capacity=2)
    people = [as_role("survivor") for _ in range(4)]
    url = f"/circles/{circle.public_id}"
    for client, _ in people[:2]:
        client.post_form(f"{url}/join", page="/circles")
    third, fourth = people[2][0], people[3][0]
    page = third.get(url).get_data(as_text=True)
    assert "This circle is full" in page and "Join the waiting list" in page
    third.post_form(f"{url}/join", page="/circles")
    fourth.post_form(f"{url}/join", page="/circles")
    assert "You are on the waiting list" in third.get(url).get_data(as_text=True)
    assert CIRCLE_PLACE not in third.get(url).get_data(as_text=True)
    assert membership.member_count(circle) == 2 and membership.waiting_count(circle) == 2

    people[0][0].post_form(f"{url}/leave", page="/circles")  # a place opens
    rows = {r.user_id: r.waiting for r in db.session.scalars(select(CircleMember))}
    assert rows == {people[1][1].id: False, people[2][1].id: False, people[3][1].id: True}
    assert CIRCLE_PLACE in third.get(url).get_data(as_text=True)


def test_joining_is_race_safe(app):
    circle = make_circle(make_user("mentor"), capacity=2)
    users = [make_user("survivor") for _ in range(6)]
    circle_id, user_ids = circle.id, [u.id for u in users]
    db.session.commit()  # end this thread's transaction: SQLite takes the write lock at BEGIN
    barrier = threading.Barrier(len(users))
    errors = []

    def go(user_id):
        with app.app_context():
            try:
                me = db.session.get(User, user_id)
                found = db.session.get(Circle, circle_id)
                db.session.commit()  # hold no lock while waiting for the others
                barrier.wait(10)
                membership.join(found, me)
                db.session.commit()  # what the request would do after the view answered
            except Exception as e:  # pragma: no cover - reported below
                errors.append(repr(e))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=go, args=(uid,)) for uid in user_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    db.session.expire_all()
    assert membership.member_count(circle) == 2
    assert membership.waiting_count(circle) == 4


def test_a_single_session_place_counts_against_capacity(as_role):
    circle = make_circle(make_user("mentor"), capacity=2)
    membership.join(circle, make_user("survivor"))
    token = first_token(circle)
    url = f"/circles/{circle.public_id}/sessions/{token}"
    guest, _ = as_role("survivor")
    guest.post_form(f"{url}/place", page="/circles")
    page = guest.get(f"/circles/{circle.public_id}").get_data(as_text=True)
    assert "You have a place at this session." in page
    assert CIRCLE_PLACE in page  # people coming to a session need to know where
    other, _ = as_role("survivor")
    other.post_form(f"{url}/place", page="/circles")
    assert membership.numbers(circle, occurrences.upcoming(circle))[schedule.Token.load(token)] == 2
    assert "This session is full." in other.get(f"/circles/{circle.public_id}").get_data(
        as_text=True
    )
    # The circle is full too while that session is: joining puts you on the waiting list.
    assert membership.join(circle, make_user("survivor")) == "waiting"
    guest.post_form(f"{url}/give-up", page="/circles")
    assert membership.waiting_count(circle) == 0 and membership.member_count(circle) == 2


# --- cancelling and moving one session ------------------------------------------------------


def test_cancel_one_session_shows_on_home_and_in_the_calendar(as_role):
    mentor_client, mentor = as_role("mentor")
    circle = make_circle(mentor)
    survivor, _ = as_role("survivor", timezone="Europe/Madrid")
    survivor.post_form(f"/circles/{circle.public_id}/join", page="/circles")
    session = occurrences.upcoming(circle)[1]
    url = f"/circles/run/{circle.public_id}/sessions/{session.token}"
    response = mentor_client.post_form(f"{url}/cancel", {"note": "Sala cerrada"}, page=url)
    assert response.status_code == 303
    home = survivor.get("/home").get_data(as_text=True)
    assert "Cancelled" in home and "Sala cerrada" in home
    ics = survivor.get(f"/circles/{circle.public_id}/event.ics")
    assert ics.status_code == 200
    assert ics.headers["Content-Disposition"] == 'attachment; filename="event.ics"'
    text = ics.get_data(as_text=True)
    local = session.key.astimezone(schedule.zone("Europe/Madrid"))
    assert f"EXDATE;TZID=Europe/Madrid:{local:%Y%m%dT%H%M%S}\r\n" in text
    assert text.count("BEGIN:VEVENT") == 1
    assert "SUMMARY:Meeting\r\n" in text
    assert "Tuesday talk" not in text and "wellbeing" not in text.lower()
    assert CIRCLE_PLACE.split(",")[0] not in text  # the place only when asked for
    with_place = survivor.get(f"/circles/{circle.public_id}/event.ics?place=1&title=Tea")
    assert "LOCATION:Room 4\\, Calle Mayor 1" in with_place.get_data(as_text=True)
    assert "SUMMARY:Tea\r\n" in with_place.get_data(as_text=True)
    # and undo
    mentor_client.post_form(f"{url}/restore", page=url)
    assert "Cancelled" not in survivor.get("/home").get_data(as_text=True)


def test_move_one_session(as_role):
    mentor_client, mentor = as_role("mentor")
    circle = make_circle(mentor)
    survivor, _ = as_role("survivor", timezone="Europe/Madrid")
    survivor.post_form(f"/circles/{circle.public_id}/join", page="/circles")
    session = occurrences.upcoming(circle)[0]
    url = f"/circles/run/{circle.public_id}/sessions/{session.token}"
    new_day = session.key.astimezone(schedule.zone("Europe/Madrid")).date() + timedelta(days=1)
    form = {"new_date": new_day.isoformat(), "new_time": "19:30", "note": "Un día más tarde"}
    assert mentor_client.post_form(f"{url}/move", form, page=url).status_code == 303
    row = db.session.scalar(select(SessionChange))
    assert row.occurrence == session.key and not row.cancelled
    assert row.new_start.astimezone(schedule.zone("Europe/Madrid")).time() == time(19, 30)
    home = survivor.get("/home").get_data(as_text=True)
    assert "Moved from" in home and "Un día más tarde" in home and "7:30\u202fPM" in home
    text = survivor.get(f"/circles/{circle.public_id}/event.ics").get_data(as_text=True)
    original = session.key.astimezone(schedule.zone("Europe/Madrid"))
    assert text.count("BEGIN:VEVENT") == 2
    assert f"RECURRENCE-ID;TZID=Europe/Madrid:{original:%Y%m%dT%H%M%S}\r\n" in text
    assert f"DTSTART;TZID=Europe/Madrid:{new_day:%Y%m%d}T193000\r\n" in text
    assert text.count("RRULE:") == 1


def test_every_change_is_a_newer_calendar_event(as_role):
    """A calendar app replaces an event it already has only when SEQUENCE has grown."""
    mentor_client, mentor = as_role("mentor")
    circle = make_circle(mentor)
    ics = f"/circles/{circle.public_id}/event.ics"

    def sequences() -> list[str]:
        text = mentor_client.get(ics).get_data(as_text=True)
        return [line for line in text.split("\r\n") if line.startswith("SEQUENCE:")]

    assert sequences() == []  # as first handed out
    first, second = occurrences.upcoming(circle)[:2]
    url = f"/circles/run/{circle.public_id}/sessions/{first.token}"
    mentor_client.post_form(f"{url}/cancel", page=url)
    assert sequences() == ["SEQUENCE:1"]
    mentor_client.post_form(f"{url}/restore", page=url)
    assert sequences() == ["SEQUENCE:2"]  # the EXDATE is gone: newer again
    url = f"/circles/run/{circle.public_id}/sessions/{second.token}"
    new_day = second.key.astimezone(schedule.zone("Europe/Madrid")).date() + timedelta(days=1)
    form = {"new_date": new_day.isoformat(), "new_time": "19:30"}
    assert mentor_client.post_form(f"{url}/move", form, page=url).status_code == 303
    assert sequences() == ["SEQUENCE:3", "SEQUENCE:3"]  # the series and the moved session


@pytest.mark.parametrize(
    "form",
    [
        {"new_date": "2026-13-01", "new_time": "18:00"},
        {"new_date": "", "new_time": ""},
        {"new_date": "2001-01-01", "new_time": "18:00"},
        {"new_date": "0001-01-01", "new_time": "00:00"},
        {"new_date": "9999-12-31", "new_time": "23:59"},
        {"new_date": "2030-01-01", "new_time": "18:00", "note": "n" * 10_000},
    ],
)
def test_bad_moves_are_refused(as_role, form):
    client, mentor = as_role("mentor")
    circle = make_circle(mentor)
    url = f"/circles/run/{circle.public_id}/sessions/{first_token(circle)}"
    response = client.post_form(f"{url}/move", form, page=url)
    assert response.status_code == 422
    assert 'class="error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(SessionChange)) is None


def next_change(kind: str, tzid: str = "Europe/Madrid"):
    """The next day on which 02:30 local does not exist ("gap") or happens twice ("repeat")."""
    zone = schedule.zone(tzid)
    day = datetime.now(zone).date() + timedelta(days=1)
    while True:
        first, second = (datetime.combine(day, time(2, 30, fold=f), zone) for f in (0, 1))
        skipped = first.astimezone(UTC).astimezone(zone).time() != time(2, 30)
        if (kind == "gap" and skipped) or (
            kind == "repeat" and not skipped and first.utcoffset() != second.utcoffset()
        ):
            return day
        day += timedelta(days=1)


def test_a_move_into_the_hour_skipped_by_the_clocks_is_refused(as_role):
    client, mentor = as_role("mentor")
    circle = make_circle(mentor)
    url = f"/circles/run/{circle.public_id}/sessions/{first_token(circle)}"
    form = {"new_date": next_change("gap").isoformat(), "new_time": "02:30", "note": "Temprano"}
    response = client.post_form(f"{url}/move", form, page=url)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "2:30\u202fAM does not exist on that day in Europe/Madrid" in page
    assert 'value="02:30"' in page and form["new_date"] in page and "Temprano" in page
    assert db.session.scalar(select(SessionChange)) is None


def test_a_move_into_the_repeated_hour_means_the_first_one(as_role):
    client, mentor = as_role("mentor")
    circle = make_circle(mentor)
    url = f"/circles/run/{circle.public_id}/sessions/{first_token(circle)}"
    day = next_change("repeat")
    form = {"new_date": day.isoformat(), "new_time": "02:30"}
    assert client.post_form(f"{url}/move", form, page=url).status_code == 303
    moved = db.session.scalar(select(SessionChange)).new_start
    assert moved == datetime.combine(day, time(0, 30), UTC)  # 02:30 summer time, UTC+2


def test_a_circle_first_meeting_in_the_hour_skipped_by_the_clocks_is_refused(as_role):
    client, _ = as_role("mentor")
    day = next_change("gap")
    form = valid_form(repeat="once", first_date=day.isoformat(), start_time="02:30")
    response = client.post_form(NEW, form, page=NEW)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "2:30\u202fAM does not exist on that day in Europe/Madrid" in page
    assert 'value="02:30"' in page and day.isoformat() in page and "Tardes de charla" in page
    assert db.session.scalar(select(Circle)) is None


def test_one_off_calendar_has_no_rule(as_role):
    mentor = make_user("mentor")
    circle = make_circle(mentor, repeat="once", count=None)
    survivor, _ = as_role("survivor")
    survivor.post_form(f"/circles/{circle.public_id}/join", page="/circles")
    text = survivor.get(f"/circles/{circle.public_id}/event.ics").get_data(as_text=True)
    assert "RRULE" not in text and "DTSTART;TZID=Europe/Madrid:" in text


# --- attendance -------------------------------------------------------------------------------


def test_mentor_marks_attendance_for_a_session_that_happened(as_role):
    client, mentor = as_role("mentor")
    first = datetime.now(UTC).date() - timedelta(days=3)
    circle = make_circle(mentor, first_date=first, tzid="UTC", start_time=time(0, 0))
    mai = make_user("survivor", pseudonym="Mai")
    olena = make_user("survivor", pseudonym="Olena")
    membership.join(circle, mai)
    membership.join(circle, olena)
    token = schedule.Token.dump(datetime.combine(first, time(0), tzinfo=UTC))
    url = f"/circles/run/{circle.public_id}/sessions/{token}"
    page = client.get(url).get_data(as_text=True)
    assert "Mai" in page and "Olena" in page and "2 people expected" in page
    response = client.post_form(f"{url}/attendance", {"present": [mai.public_id]}, page=url)
    assert response.status_code == 303
    rows = {r.user_id: r.present for r in db.session.scalars(select(Attendance))}
    assert rows == {mai.id: True, olena.id: False}
    future = first_token_after_now(circle)
    response = client.post_form(
        f"/circles/run/{circle.public_id}/sessions/{future}/attendance", page=url
    )
    assert response.status_code == 400


def first_token_after_now(circle) -> str:
    now = datetime.now(UTC)
    return next(s.token for s in occurrences.upcoming(circle) if s.start > now)


def test_a_single_place_is_kept_when_joining_only_the_waiting_list(as_role):
    circle = make_circle(make_user("mentor"), capacity=1)
    guest = make_user("survivor")
    session = occurrences.upcoming(circle)[0]
    assert membership.rsvp(circle, guest, session) == "ok"
    assert membership.join(circle, make_user("survivor")) == "waiting"  # the session is full
    # The guest's own place would free a seat, but someone is already waiting for it.
    assert membership.join(circle, guest) == "waiting"
    assert membership.has_rsvp(circle, guest, session.key)


def test_a_place_freed_by_time_goes_to_the_waiting_list_first(app):
    circle = make_circle(make_user("mentor"), capacity=1)
    first = occurrences.upcoming(circle)[0]
    assert membership.rsvp(circle, make_user("survivor"), first) == "ok"
    waiting = make_user("survivor")
    assert membership.join(circle, waiting) == "waiting"
    # Once that session has passed its single place no longer holds a seat. The person who
    # was waiting gets it; someone joining now does not go ahead of them.
    later = first.end + timedelta(minutes=1)
    assert membership.join(circle, make_user("survivor"), later) == "waiting"
    assert membership.is_member(circle, waiting)
    assert membership.member_count(circle) == 1 and membership.waiting_count(circle) == 1


def test_while_someone_waits_the_pages_offer_only_the_waiting_list(as_role, monkeypatch):
    circle = make_circle(make_user("mentor"), capacity=1)
    first = occurrences.upcoming(circle)[0]
    assert membership.rsvp(circle, make_user("survivor"), first) == "ok"
    assert membership.join(circle, make_user("survivor")) == "waiting"
    later = first.end + timedelta(minutes=1)  # the single place is free, nobody moved up yet
    for module in (occurrences, membership, browse):
        monkeypatch.setattr(module, "utcnow", lambda: later)
    client, newcomer = as_role("survivor")
    url = f"/circles/{circle.public_id}"
    page = client.get(url).get_data(as_text=True)
    assert "Join the waiting list" in page and "Join the circle" not in page
    assert "Full: waiting list open" in client.get("/circles").get_data(as_text=True)
    client.post_form(f"{url}/join", page=url)
    assert membership.membership(circle, newcomer).waiting


def test_times_show_in_the_viewers_own_zone(as_role):
    first = soon(7)
    circle = make_circle(make_user("mentor"), first_date=first, count=1)
    start = occurrences.upcoming(circle)[0].start
    client, _ = as_role("survivor", timezone="Asia/Bangkok")
    html = client.get(f"/circles/{circle.public_id}").get_data(as_text=True)
    local = start.astimezone(schedule.zone("Asia/Bangkok"))
    hour = local.strftime("%I:%M").lstrip("0")
    assert f"{hour}\u202f{local:%p}" in html
    assert local.strftime("%B %-d, %Y") in html


def test_moved_one_off_calendar_moves_the_event_itself(as_role):
    mentor_client, mentor = as_role("mentor")
    circle = make_circle(mentor, repeat="once", count=None)
    session = occurrences.upcoming(circle)[0]
    url = f"/circles/run/{circle.public_id}/sessions/{session.token}"
    new_day = session.key.astimezone(schedule.zone("Europe/Madrid")).date() + timedelta(days=2)
    form = {"new_date": new_day.isoformat(), "new_time": "10:00"}
    assert mentor_client.post_form(f"{url}/move", form, page=url).status_code == 303
    assert mentor_client.get(f"/circles/{circle.public_id}/event.ics").status_code == 200
    other_mentor, _ = as_role("mentor")  # its own mentor and members only
    assert other_mentor.get(f"/circles/{circle.public_id}/event.ics").status_code == 404
    survivor, _ = as_role("survivor")
    survivor.post_form(f"/circles/{circle.public_id}/join", page="/circles")
    text = survivor.get(f"/circles/{circle.public_id}/event.ics").get_data(as_text=True)
    assert text.count("BEGIN:VEVENT") == 1 and "RECURRENCE-ID" not in text
    assert f"DTSTART;TZID=Europe/Madrid:{new_day:%Y%m%d}T100000\r\n" in text
