"""Circles and privacy (issue 9): reports respect consent, export, deletion keeps circles right."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import func, select

from survivorapp.circles import hosting, membership, occurrences, privacy
from survivorapp.circles.models import (
    Attendance,
    Circle,
    CircleLanguage,
    CircleMember,
    SessionChange,
    SessionRsvp,
)
from survivorapp.extensions import db
from survivorapp.privacy import areas, consent
from survivorapp.privacy.services import delete_account
from tests.factories import CIRCLE_PLACE, make_circle, make_user
from tests.privacy.samples import rows_referencing_user


def past_circle(mentor, **fields):
    first = datetime.now(UTC).date() - timedelta(days=3)
    circle = make_circle(mentor, first_date=first, tzid="UTC", start_time=time(0, 0), **fields)
    return circle, datetime.combine(first, time(0), tzinfo=UTC)


def mark(circle, key, *present):
    [session] = occurrences.sessions(circle, key, key)
    hosting.mark_attendance(circle, session, {p.public_id for p in present})


def test_reports_see_attendance_only_of_people_who_share_it(app):
    circle, key = past_circle(make_user("mentor"))
    sharing, private = make_user("survivor"), make_user("survivor")
    for person in (sharing, private):
        membership.join(circle, person)
    mark(circle, key, sharing, private)
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 2

    # Private by default: a report gets nothing.
    assert db.session.scalars(privacy.reportable_attendance_query()).all() == []
    consent.set_choices(sharing, {areas.CIRCLE_ATTENDANCE: True}, actor=sharing)
    db.session.commit()
    rows = db.session.scalars(privacy.reportable_attendance_query()).all()
    assert [(r.user_id, r.present) for r in rows] == [(sharing.id, True)]
    # Taken back: gone at once.
    consent.set_choices(sharing, {areas.CIRCLE_ATTENDANCE: False}, actor=sharing)
    db.session.commit()
    assert db.session.scalars(privacy.reportable_attendance_query()).all() == []


def test_staff_have_no_way_into_circles(as_role):
    staff_client, _ = as_role("staff")
    circle, _key = past_circle(make_user("mentor"))
    membership.join(circle, make_user("survivor", pseudonym="Mai Member"))
    for url in ("/circles/", f"/circles/{circle.public_id}", f"/circles/run/{circle.public_id}"):
        response = staff_client.get(url)
        assert response.status_code in (403, 404), url
    assert "Mai Member" not in staff_client.get("/staff").get_data(as_text=True)


def test_export_holds_places_waiting_single_meetings_and_attendance(as_role):
    client, mai = as_role("survivor", pseudonym="Mai")
    mentor = make_user("mentor")
    joined, key = past_circle(mentor, name="Tuesday talk")
    membership.join(joined, mai)
    mark(joined, key, mai)
    full = make_circle(mentor, name="Cooking together", capacity=1)
    membership.join(full, make_user("survivor"))
    assert membership.join(full, mai) == "waiting"
    drop_in = make_circle(mentor, name="Walk in the park", capacity=3)
    session = occurrences.upcoming(drop_in)[0]
    assert membership.rsvp(drop_in, mai, session) == "ok"

    data = json.loads(client.get("/privacy/export/my-data.json").get_data(as_text=True))
    sections = {s["key"]: s["items"] for s in data["sections"]}
    members = {m["Group"]: m["On the waiting list"] for m in sections["circle_memberships"]}
    assert members == {"Tuesday talk": False, "Cooking together": True}
    [single] = sections["circle_places"]
    assert single["Group"] == "Walk in the park"
    assert single["Meeting"] == session.key.isoformat()
    [came] = sections["circle_attendance_marked"]
    assert came["Group"] == "Tuesday talk" and came["Marked as there"] is True
    assert came["Meeting"] == key.isoformat()
    assert sections["circles_run"] == [] and sections["circle_changes"] == []
    # Nothing of other people: no place, no names.
    text = json.dumps(data, ensure_ascii=False)
    assert CIRCLE_PLACE not in text


def test_export_for_a_mentor_holds_the_circles_they_run(as_role):
    client, mentor = as_role("mentor", "survivor")  # privacy pages are for survivors
    circle = make_circle(mentor, name="Mentor's own circle", languages=["es", "uk"])
    session = occurrences.upcoming(circle)[0]
    hosting.cancel_session(circle, session, "Holiday week")
    membership.join(circle, make_user("survivor", pseudonym="Member Name"))
    data = json.loads(client.get("/privacy/export/my-data.json").get_data(as_text=True))
    sections = {s["key"]: s["items"] for s in data["sections"]}
    [run] = sections["circles_run"]
    assert run["Group"] == "Mentor's own circle" and run["Place"] == CIRCLE_PLACE
    assert run["Languages"] == ["es", "uk"] and run["Starts at"] == "18:00"
    assert run["Topic"] == "Wellbeing" and run["Members"] == 1 and run["Waiting"] == 0
    [change] = sections["circle_changes"]
    assert change["Note"] == "Holiday week" and change["Cancelled"] is True
    assert "Member Name" not in json.dumps(data, ensure_ascii=False)


def test_deleting_a_member_promotes_the_waiting_list(app):
    circle = make_circle(make_user("mentor"), capacity=2)
    leaving, staying = make_user("survivor"), make_user("survivor")
    first_waiting, second_waiting = make_user("survivor"), make_user("survivor")
    for person in (leaving, staying, first_waiting, second_waiting):
        membership.join(circle, person)
    assert membership.waiting_count(circle) == 2
    leaving_id = leaving.id
    delete_account(leaving)
    db.session.expire_all()
    assert rows_referencing_user(leaving_id) == []
    assert membership.members(circle) == [staying, first_waiting]
    assert membership.members(circle, waiting=True) == [second_waiting]


def test_deleting_a_single_place_holder_frees_the_place_for_the_waiting_list(app):
    circle = make_circle(make_user("mentor"), capacity=1, count=1)
    guest, waiting = make_user("survivor"), make_user("survivor")
    session = occurrences.upcoming(circle)[0]
    assert membership.rsvp(circle, guest, session) == "ok"
    assert membership.join(circle, waiting) == "waiting"  # that session is full
    delete_account(guest)
    db.session.expire_all()
    assert membership.members(circle) == [waiting]
    assert db.session.scalars(select(SessionRsvp)).all() == []


def test_deleting_someone_on_the_waiting_list_promotes_nobody_wrongly(app):
    circle = make_circle(make_user("mentor"), capacity=1)
    member, first, second = make_user("survivor"), make_user("survivor"), make_user("survivor")
    for person in (member, first, second):
        membership.join(circle, person)
    delete_account(first)
    db.session.expire_all()
    assert membership.members(circle) == [member]
    assert membership.members(circle, waiting=True) == [second]


def test_deleting_a_mentor_removes_their_circles_and_everything_in_them(app):
    mentor = make_user("mentor")
    circle, key = past_circle(mentor)
    other = make_circle(make_user("mentor"), name="Someone else's")
    mai = make_user("survivor")
    membership.join(circle, mai)
    membership.join(other, mai)
    mark(circle, key, mai)
    hosting.cancel_session(circle, occurrences.upcoming(circle)[-1], "Away")
    mentor_id = mentor.id
    delete_account(mentor)
    db.session.expire_all()
    assert rows_referencing_user(mentor_id) == []
    assert [c.id for c in db.session.scalars(select(Circle))] == [other.id]
    for model in (CircleLanguage, CircleMember, SessionChange, SessionRsvp, Attendance):
        rows = db.session.scalars(select(model)).all()
        assert all(getattr(r, "circle_id", None) == other.id for r in rows), model
    assert membership.members(other) == [mai]
    assert db.session.scalars(select(Attendance)).all() == []
