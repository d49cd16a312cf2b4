"""Appointments and privacy (issue 9): consent at the query, the access log, export, deletion.

The rule (survivorapp/appointments/services.py docstring): staff-booked appointments follow
"booked_appointments" (shared by default) except that the member of staff who booked one keeps
seeing it; survivor-added ones need BOTH "own_appointments" (private by default, the master
switch) and the appointment's own share tick, which starts as the area's choice.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date
from sqlalchemy import select

from survivorapp.appointments import feed as feeds
from survivorapp.appointments import reschedule, services
from survivorapp.appointments.models import Appointment, CalendarFeed, Outcome, RescheduleRequest
from survivorapp.database import utcnow
from survivorapp.extensions import db
from survivorapp.privacy import areas, consent
from survivorapp.privacy.services import delete_account
from tests.factories import make_appointment, make_user
from tests.helpers import access_events
from tests.privacy.samples import rows_referencing_user


def choose(person, **choices):
    consent.set_choices(person, choices, actor=person)
    db.session.commit()


def staff_pages(team) -> str:
    return "".join(
        team.staff_client.get(page).get_data(as_text=True)
        for page in ("/appointments", "/appointments/requests", "/staff")
    )


def ask_to_move(team, appointment):
    url = f"/appointments/{appointment.public_id}"
    response = team.survivor_client.post_form(
        f"{url}/move",
        {
            "date": (appointment.starts_at + timedelta(days=1)).date().isoformat(),
            "start": "10:00",
            "end": "11:00",
            "timezone": "UTC",
            "message": "Mornings are hard",
        },
        page=url,
    )
    assert response.status_code == 303
    db.session.expire_all()
    return db.session.scalars(
        select(RescheduleRequest).where(RescheduleRequest.appointment_id == appointment.id)
    ).one()


def test_survivor_added_appointments_need_the_area_and_the_tick(team):
    ticked = make_appointment(team.survivor, place="Library on Elm Street", shared=True)
    unticked = make_appointment(team.survivor, place="Dentist on Oak Road", shared=False)
    url = f"/appointments/{ticked.public_id}"
    # Private by default: the tick alone shows nothing.
    assert not consent.allows(team.survivor.id, areas.OWN_APPOINTMENTS)
    assert team.staff_client.get(url).status_code == 404
    assert "Library on Elm Street" not in staff_pages(team)
    assert services.staff_upcoming(team.staff) == []

    choose(team.survivor, own_appointments=True)
    assert team.staff_client.get(url).status_code == 200
    assert [a.id for a in services.staff_upcoming(team.staff)] == [ticked.id]
    assert team.staff_client.get(f"/appointments/{unticked.public_id}").status_code == 404
    assert "Dentist on Oak Road" not in staff_pages(team)

    # The master switch hides every one at once, and tells the survivor so honestly.
    choose(team.survivor, own_appointments=False)
    assert team.staff_client.get(url).status_code == 404
    assert team.staff_client.get(f"{url}/event.ics").status_code == 404
    assert services.staff_upcoming(team.staff) == []
    page = team.survivor_client.get(url).get_data(as_text=True)
    assert "Only you can see this." in page


def _shared_box(page: str) -> str:
    return re.search(r'<input [^>]*name="shared" type="checkbox" value="1">', page).group(0)


def test_new_appointments_start_with_the_area_choice(team):
    form = team.survivor_client.get("/appointments/new").get_data(as_text=True)
    assert " checked " not in _shared_box(form)  # not ticked
    assert "the team sees none of them" in form
    choose(team.survivor, own_appointments=True)
    form = team.survivor_client.get("/appointments/new").get_data(as_text=True)
    assert " checked " in _shared_box(form)
    assert "the team sees none of them" not in form


def test_booked_appointments_stay_with_the_booker_only(team):
    colleague = make_user("staff", pseudonym="Ana")
    own = make_appointment(team.survivor, by=team.staff, place="Advice centre")
    theirs = make_appointment(team.survivor, by=colleague, place="Housing office")
    assert {a.id for a in services.staff_upcoming(team.staff)} == {own.id, theirs.id}

    choose(team.survivor, booked_appointments=False)
    # Sam booked `own` and attends it: Sam keeps it. Ana's booking is no longer shown to Sam.
    assert [a.id for a in services.staff_upcoming(team.staff)] == [own.id]
    assert team.staff_client.get(f"/appointments/{own.public_id}").status_code == 200
    assert team.staff_client.get(f"/appointments/{theirs.public_id}").status_code == 404
    pages = staff_pages(team)
    assert "Housing office" not in pages and theirs.public_id not in pages

    # A request the survivor sends about Sam's booking stays visible to Sam.
    req = ask_to_move(team, own)
    assert [r.id for r in services.request_queue(team.staff)] == [req.id]
    assert team.staff_client.get(f"/appointments/requests/{req.public_id}").status_code == 200


def test_requests_follow_their_appointment(team):
    colleague = make_user("staff", pseudonym="Ana")
    theirs = make_appointment(team.survivor, by=colleague)
    req = ask_to_move(team, theirs)
    assert [r.id for r in services.request_queue(team.staff)] == [req.id]
    choose(team.survivor, booked_appointments=False)
    assert services.request_queue(team.staff) == []
    assert team.staff_client.get(f"/appointments/requests/{req.public_id}").status_code == 404
    response = team.staff_client.post_form(
        f"/appointments/requests/{req.public_id}", {"decision": "accept"}, page="/appointments"
    )
    assert response.status_code == 404


def test_each_staff_look_is_logged_and_shown(team):
    appointment = make_appointment(team.survivor, by=team.staff, place="Advice centre")
    url = f"/appointments/{appointment.public_id}"
    team.staff_client.get("/appointments")  # a list across people: not a look at one record
    assert access_events(team.survivor) == []
    team.survivor_client.get(url)  # the survivor's own views are never logged
    assert access_events(team.survivor) == []

    assert team.staff_client.get(url).status_code == 200
    assert team.staff_client.get(f"{url}/event.ics").status_code == 200
    req = ask_to_move(team, appointment)
    assert team.staff_client.get(f"/appointments/requests/{req.public_id}").status_code == 200
    events = access_events(team.survivor)
    assert [(e.viewer_id, e.area) for e in events] == [(team.staff.id, "booked_appointments")] * 3
    assert events[0].what.startswith("Counselling, ")
    day = appointment.starts_at.astimezone(ZoneInfo(team.survivor.timezone)).date()
    assert events[0].what == f"Counselling, {format_date(day, 'medium', locale='en')}"
    assert events[2].what.startswith("Request to move: Counselling")
    assert all("Advice centre" not in (e.what or "") for e in events)

    html = team.survivor_client.get("/privacy/access").get_data(as_text=True)
    assert "Sam" in html and "Appointments the team booked for you" in html
    assert "Request to move: Counselling" in html

    # Refused looks are not logged.
    other = make_appointment(team.survivor, place="Private", shared=True)
    assert team.staff_client.get(f"/appointments/{other.public_id}").status_code == 404
    assert len(access_events(team.survivor)) == 3

    # A shared own appointment is logged under its own area.
    choose(team.survivor, own_appointments=True)
    assert team.staff_client.get(f"/appointments/{other.public_id}").status_code == 200
    assert access_events(team.survivor)[-1].area == "own_appointments"


def test_export_holds_appointments_requests_and_feed_settings_not_the_token(team):
    appointment = make_appointment(
        team.survivor, by=team.staff, place="Advice centre", note="Bring the letter"
    )
    make_appointment(team.survivor, place="Library", shared=True)
    ask_to_move(team, appointment)
    token = feeds.issue_feed_token(team.survivor)
    db.session.commit()
    feed = db.session.get(CalendarFeed, team.survivor.id)

    data = json.loads(
        team.survivor_client.get("/privacy/export/my-data.json").get_data(as_text=True)
    )
    sections = {s["key"]: s["items"] for s in data["sections"]}
    booked, own = sections["appointments"]
    assert booked["Place"] == "Advice centre" and booked["Note"] == "Bring the letter"
    assert booked["Booked by"] == "The team" and own["Booked by"] == "You"
    assert own["Shared with the team"] is True
    assert sections["appointment_requests"][0]["Your message"] == "Mornings are hard"
    assert sections["calendar_feed"][0]["Subscription address active"] is True
    text = json.dumps(data)
    assert token not in text and feed.token_hash not in text
    html = team.survivor_client.get("/privacy/export/my-data.html").get_data(as_text=True)
    assert "Advice centre" in html and "Mornings are hard" in html and token not in html


def test_deleting_a_survivor_removes_their_appointments(team):
    appointment = make_appointment(team.survivor, by=team.staff, place="Advice centre")
    ask_to_move(team, appointment)
    feeds.issue_feed_token(team.survivor)
    db.session.commit()
    survivor_id = team.survivor.id
    delete_account(team.survivor)
    assert rows_referencing_user(survivor_id) == []
    assert db.session.scalars(select(Appointment)).all() == []
    assert db.session.scalars(select(RescheduleRequest)).all() == []
    assert db.session.scalars(select(CalendarFeed)).all() == []


def test_deleting_staff_keeps_the_survivors_appointments(team):
    appointment = make_appointment(team.survivor, by=team.staff, place="Advice centre")
    req = ask_to_move(team, appointment)
    reschedule.answer(req, team.staff, "decline", "Sorry")
    past = make_appointment(
        team.survivor, by=team.staff, start=utcnow() - timedelta(days=2), place="Clinic"
    )
    services.record_outcome(past, Outcome.MISSED, team.staff)
    staff_id = team.staff.id
    delete_account(team.staff)
    db.session.expire_all()
    kept = db.session.get(Appointment, appointment.id)
    assert kept is not None and kept.created_by_id is None and kept.place == "Advice centre"
    assert db.session.get(RescheduleRequest, req.id).answered_by_id is None
    past = db.session.get(Appointment, past.id)
    assert (past.outcome, past.outcome_by_id) == (Outcome.MISSED, None)
    assert rows_referencing_user(staff_id) == []
    export = json.loads(
        team.survivor_client.get("/privacy/export/my-data.json").get_data(as_text=True)
    )
    marked, booked = {s["key"]: s["items"] for s in export["sections"]}["appointments"]
    assert booked["Booked by"] == "A former team member"
    assert (marked["Attended or missed"], marked["Marked by"]) == ("Missed", "A former team member")
