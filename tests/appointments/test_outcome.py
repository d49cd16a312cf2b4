"""Whether an appointment took place: recorded after its end by the person it was for or by
staff who can see it, shown with who said so, refused before the end, cleared by a move."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from survivorapp.appointments import services
from survivorapp.appointments.models import Outcome, Status
from survivorapp.database import utcnow
from survivorapp.extensions import db
from survivorapp.people.caseload import assign
from survivorapp.privacy import areas, consent
from survivorapp.security.audit import AuditEvent
from tests.factories import make_appointment, make_user
from tests.helpers import text


def ended_ago(hours: float = 2):
    """A start time whose hour-long appointment ended `hours` ago."""
    return (utcnow() - timedelta(hours=hours + 1)).replace(microsecond=0)


def post_outcome(client, appointment, choice: str | None):
    url = f"/appointments/{appointment.public_id}"
    data = {} if choice is None else {"outcome": choice}
    return client.post_form(f"{url}/outcome", data, page=url)


def stored(appointment):
    db.session.expire_all()
    row = db.session.get(type(appointment), appointment.id)
    return row.outcome, row.outcome_by_id


def test_staff_and_the_survivor_record_and_change_it_after_the_end(team):
    appointment = make_appointment(team.survivor, by=team.staff, start=ended_ago())
    url = f"/appointments/{appointment.public_id}"
    staff_page = team.staff_client.get(url).get_data(as_text=True)
    assert "Did Mai come?" in text(team.staff_client.get(url))
    assert 'name="outcome" type="radio" value="attended"' in staff_page
    assert 'name="outcome" type="radio" value="missed"' in staff_page
    assert "Did you go?" in text(team.survivor_client.get(url))

    response = post_outcome(team.staff_client, appointment, "missed")
    assert response.status_code == 303 and response.headers["Location"] == url
    assert stored(appointment) == (Outcome.MISSED, team.staff.id)
    assert "You marked this as missed." in text(team.staff_client.get(url))
    survivor_page = team.survivor_client.get(url).get_data(as_text=True)
    assert "The team marked this as missed." in survivor_page
    assert (
        '<input checked id="outcome-1" name="outcome" type="radio" value="missed">' in survivor_page
    )

    # The survivor disagrees: their answer replaces it, and says it is theirs.
    assert post_outcome(team.survivor_client, appointment, "attended").status_code == 303
    assert stored(appointment) == (Outcome.ATTENDED, team.survivor.id)
    assert "You marked this as attended." in text(team.survivor_client.get(url))
    assert "Mai marked this as attended." in text(team.staff_client.get(url))
    actions = db.session.scalars(
        select(AuditEvent.detail).where(AuditEvent.action == "appointment_outcome_recorded")
    ).all()
    assert [json.loads(d)["outcome"] for d in actions] == ["missed", "attended"]


def test_saying_the_same_again_keeps_who_said_it_first(team):
    appointment = make_appointment(team.survivor, by=team.staff, start=ended_ago())
    post_outcome(team.survivor_client, appointment, "attended")
    assert post_outcome(team.staff_client, appointment, "attended").status_code == 303
    assert stored(appointment) == (Outcome.ATTENDED, team.survivor.id)


@pytest.mark.parametrize("hours", [24, -0.5])  # tomorrow; and started, not yet ended
def test_refused_before_the_end_with_a_clear_message(team, hours):
    start = (utcnow() + timedelta(hours=hours)).replace(microsecond=0)
    appointment = make_appointment(team.survivor, by=team.staff, start=start)
    url = f"/appointments/{appointment.public_id}"
    assert 'name="outcome"' not in team.survivor_client.get(url).get_data(as_text=True)
    assert 'name="outcome"' not in team.staff_client.get(url).get_data(as_text=True)
    for client in (team.survivor_client, team.staff_client):
        response = post_outcome(client, appointment, "attended")
        assert response.status_code == 422
        assert "You can mark this once the appointment has ended." in text(response)
    assert stored(appointment) == (None, None)


@pytest.mark.parametrize("choice", [None, "", "maybe", "ATTENDED", "\x00", "x" * 5000])
def test_anything_but_attended_or_missed_is_refused(team, choice):
    appointment = make_appointment(team.survivor, by=team.staff, start=ended_ago())
    response = post_outcome(team.staff_client, appointment, choice)
    assert response.status_code == 422
    page = text(response)
    assert "Choose an answer." in page and "Please check these and try again" in page
    assert stored(appointment) == (None, None)


def test_a_cancelled_appointment_takes_no_outcome(team):
    appointment = make_appointment(
        team.survivor, by=team.staff, start=ended_ago(), status=Status.CANCELLED
    )
    url = f"/appointments/{appointment.public_id}"
    assert 'name="outcome"' not in team.staff_client.get(url).get_data(as_text=True)
    response = post_outcome(team.survivor_client, appointment, "attended")
    assert response.status_code == 422
    assert "This appointment was cancelled." in text(response)
    assert stored(appointment) == (None, None)


def test_others_cannot_see_or_record_it(team, as_role):
    appointment = make_appointment(team.survivor, by=team.staff, start=ended_ago())
    other_survivor, _ = as_role("survivor")
    other_staff, _ = as_role("staff")
    mentor, _ = as_role("mentor")
    admin, _ = as_role("admin")
    assert post_outcome(other_survivor, appointment, "missed").status_code == 404
    assert post_outcome(other_staff, appointment, "missed").status_code == 404
    assert post_outcome(mentor, appointment, "missed").status_code == 403
    assert post_outcome(admin, appointment, "missed").status_code == 403
    assert stored(appointment) == (None, None)


def test_a_survivors_own_diary_entry_is_theirs_alone_to_mark(team):
    own = make_appointment(team.survivor, start=ended_ago(), shared=True)
    consent.set_choices(team.survivor, {areas.OWN_APPOINTMENTS: True}, actor=team.survivor)
    db.session.commit()
    url = f"/appointments/{own.public_id}"
    assert team.staff_client.get(url).status_code == 200  # shared: staff see it
    assert 'name="outcome"' not in team.staff_client.get(url).get_data(as_text=True)
    assert post_outcome(team.staff_client, own, "missed").status_code == 403
    assert stored(own) == (None, None)
    assert post_outcome(team.survivor_client, own, "attended").status_code == 303
    assert stored(own) == (Outcome.ATTENDED, team.survivor.id)
    assert "Mai marked this as attended." in text(team.staff_client.get(url))


def test_moving_or_cancelling_clears_it(team):
    moved = make_appointment(team.survivor, by=team.staff, start=ended_ago())
    cancelled = make_appointment(team.survivor, by=team.staff, start=ended_ago(5))
    for appointment in (moved, cancelled):
        services.record_outcome(appointment, Outcome.MISSED, team.staff)
    day = (utcnow() + timedelta(days=2)).date().isoformat()
    url = f"/appointments/{moved.public_id}"
    response = team.staff_client.post_form(
        f"{url}/edit",
        {
            "kind": "counselling",
            "date": day,
            "start": "10:00",
            "end": "11:00",
            "timezone": "Europe/London",
        },
        page=url,
    )
    assert response.status_code == 303
    assert stored(moved) == (None, None)
    url = f"/appointments/{cancelled.public_id}"
    assert team.survivor_client.post_form(f"{url}/cancel", page=url).status_code == 303
    assert stored(cancelled) == (None, None)


def test_the_export_holds_the_outcome_and_who_marked_it(team):
    kept = make_appointment(team.survivor, by=team.staff, start=ended_ago(), place="Room 1")
    missed = make_appointment(team.survivor, by=team.staff, start=ended_ago(30), place="Room 2")
    make_appointment(team.survivor, by=team.staff, place="Room 3")  # not yet
    services.record_outcome(kept, Outcome.ATTENDED, team.survivor)
    services.record_outcome(missed, Outcome.MISSED, team.staff)
    data = json.loads(
        team.survivor_client.get("/privacy/export/my-data.json").get_data(as_text=True)
    )
    rows = {r["Place"]: r for r in {s["key"]: s for s in data["sections"]}["appointments"]["items"]}
    assert (rows["Room 1"]["Attended or missed"], rows["Room 1"]["Marked by"]) == (
        "Attended",
        "You",
    )
    assert (rows["Room 2"]["Attended or missed"], rows["Room 2"]["Marked by"]) == (
        "Missed",
        "The team",
    )
    assert rows["Room 1"]["Marked on"] and rows["Room 2"]["Marked on"]
    unmarked = rows["Room 3"]
    assert unmarked["Attended or missed"] is unmarked["Marked by"] is unmarked["Marked on"] is None


def test_staff_see_it_where_they_moved_caseloads_no_more(team):
    appointment = make_appointment(team.survivor, by=team.staff, start=ended_ago())
    assign(make_user("staff"), team.survivor)  # moves the survivor to another caseload
    db.session.commit()
    assert post_outcome(team.staff_client, appointment, "attended").status_code == 404
    assert stored(appointment) == (None, None)
