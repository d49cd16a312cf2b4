"""Staff book, the survivor sees the same instant in their own zone, asks to move it, staff
answer, the survivor sees the answer."""

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy import text as sql

from survivorapp.appointments.models import Appointment, RequestStatus, Status
from survivorapp.extensions import db
from survivorapp.privacy import areas, consent
from tests.factories import make_appointment
from tests.helpers import next_date, text


def _only_appointment() -> Appointment:
    return db.session.scalars(select(Appointment)).one()


def test_staff_in_london_book_and_survivor_in_bangkok_sees_the_same_instant(team):
    day = next_date(7, 1)  # summer: London is UTC+1, Bangkok UTC+7
    response = team.staff_client.post_form(
        "/appointments/new",
        {
            "survivor": team.survivor.public_id,
            "kind": "legal_aid",
            "date": day.isoformat(),
            "start": "21:00",
            "end": "22:30",
            "timezone": "Europe/London",
            "place": "Room 4, Elm Street",
            "note": "Bring the letter",
        },
    )
    assert response.status_code == 303
    appointment = _only_appointment()
    assert appointment.starts_at == datetime(day.year, 7, 1, 20, 0, tzinfo=UTC)
    assert appointment.ends_at == datetime(day.year, 7, 1, 21, 30, tzinfo=UTC)
    assert appointment.status == Status.SCHEDULED
    assert appointment.place == "Room 4, Elm Street"

    url = f"/appointments/{appointment.public_id}"
    staff_page = text(team.staff_client.get(url))
    assert f"July 1, {day.year}, 9:00 PM-10:30 PM" in staff_page
    assert "Europe/London" in staff_page
    survivor_page = text(team.survivor_client.get(url))
    # 20:00 UTC is 03:00 the next morning in Bangkok.
    assert f"July 2, {day.year}, 3:00 AM-4:30 AM" in survivor_page
    assert "Asia/Bangkok" in survivor_page
    assert "Legal aid" in survivor_page and "Bring the letter" in survivor_page


def test_stored_place_and_note_are_encrypted(team):
    appointment = make_appointment(team.survivor, by=team.staff, place="Elm St", note="secret")
    raw = db.session.execute(
        sql("SELECT place, note FROM appointment WHERE id = :id"), {"id": appointment.id}
    ).one()
    assert b"Elm St" not in bytes(raw.place)
    assert b"secret" not in bytes(raw.note)


def test_survivor_confirms(team):
    appointment = make_appointment(team.survivor, by=team.staff)
    url = f"/appointments/{appointment.public_id}"
    response = team.survivor_client.post_form(f"{url}/confirm", page=url)
    assert response.status_code == 303
    db.session.refresh(appointment)
    assert appointment.status == Status.CONFIRMED
    assert "Confirmed" in text(team.survivor_client.get(url))


def test_reschedule_request_accepted_moves_the_appointment(team):
    start = datetime.combine(next_date(6, 10), datetime.min.time(), tzinfo=UTC).replace(hour=3)
    appointment = make_appointment(team.survivor, by=team.staff, start=start)
    url = f"/appointments/{appointment.public_id}"
    response = team.survivor_client.post_form(
        f"{url}/move",
        {
            "date": start.date().isoformat(),
            "start": "15:00",
            "end": "16:00",
            "timezone": "Asia/Bangkok",
            "message": "I have a class then",
        },
        page=url,
    )
    assert response.status_code == 303
    assert "Waiting for an answer" in text(team.survivor_client.get(url))

    queue = text(team.staff_client.get("/appointments/requests"))
    assert "Mai" in queue
    # The suggested 15:00 in Bangkok is 09:00 in London (BST).
    assert "9:00 AM-10:00 AM" in queue
    assert "1 request to move" in text(team.staff_client.get("/staff"))

    request = appointment.requests[0]
    response = team.staff_client.post_form(
        f"/appointments/requests/{request.public_id}",
        {"decision": "accept", "note": "See you then"},
        page=f"/appointments/requests/{request.public_id}",
    )
    assert response.status_code == 303
    db.session.refresh(appointment)
    db.session.refresh(request)
    assert request.status == RequestStatus.ACCEPTED
    assert appointment.starts_at == start.replace(hour=8)  # 15:00 Bangkok = 08:00 UTC
    assert appointment.status == Status.CONFIRMED
    survivor_page = text(team.survivor_client.get(url))
    assert "3:00 PM-4:00 PM" in survivor_page
    assert "Accepted" in survivor_page and "See you then" in survivor_page
    assert "No requests waiting" in text(team.staff_client.get("/appointments/requests"))


def test_staff_decline_keeps_the_time_and_the_survivor_sees_the_note(team):
    appointment = make_appointment(team.survivor, by=team.staff)
    before = appointment.starts_at
    url = f"/appointments/{appointment.public_id}"
    day = appointment.starts_at.date().isoformat()
    team.survivor_client.post_form(
        f"{url}/move",
        {"date": day, "start": "18:00", "end": "19:00", "timezone": "Asia/Bangkok"},
        page=url,
    )
    request = appointment.requests[0]
    team.staff_client.post_form(
        f"/appointments/requests/{request.public_id}",
        {"decision": "decline", "note": "The room is taken"},
        page="/appointments/requests",
    )
    db.session.refresh(appointment)
    assert appointment.starts_at == before
    page = text(team.survivor_client.get(url))
    assert "Not possible" in page and "The room is taken" in page


def test_staff_propose_another_time(team):
    appointment = make_appointment(team.survivor, by=team.staff)
    url = f"/appointments/{appointment.public_id}"
    day = next_date(8, 3)
    team.survivor_client.post_form(
        f"{url}/move",
        {"date": day.isoformat(), "start": "18:00", "end": "19:00", "timezone": "Asia/Bangkok"},
        page=url,
    )
    request = appointment.requests[0]
    answer = f"/appointments/requests/{request.public_id}"
    bad = team.staff_client.post_form(
        answer,
        {
            "decision": "propose",
            "new_date": day.isoformat(),
            "new_start": "11:00",
            "new_end": "10:00",
            "new_timezone": "Europe/London",
            "note": "Later is fine",
        },
        page=answer,
    )
    assert bad.status_code == 422
    assert "The end must be after the start." in text(bad)
    assert "Later is fine" in bad.get_data(as_text=True)
    good = team.staff_client.post_form(
        answer,
        {
            "decision": "propose",
            "new_date": day.isoformat(),
            "new_start": "11:00",
            "new_end": "12:00",
            "new_timezone": "Europe/London",
        },
        page=answer,
    )
    assert good.status_code == 303
    db.session.refresh(appointment)
    assert appointment.starts_at == datetime(day.year, 8, 3, 10, tzinfo=UTC)
    assert appointment.status == Status.SCHEDULED
    page = text(team.survivor_client.get(url))
    assert "Another time was suggested" in page
    assert "5:00 PM-6:00 PM" in page  # 10:00 UTC in Bangkok


def test_survivor_cancels_and_staff_see_it(team):
    appointment = make_appointment(team.survivor, by=team.staff)
    url = f"/appointments/{appointment.public_id}"
    assert team.survivor_client.post_form(f"{url}/cancel", page=url).status_code == 303
    db.session.refresh(appointment)
    assert appointment.status == Status.CANCELLED
    assert "Recently cancelled" in text(team.staff_client.get("/appointments/requests"))


def test_survivor_adds_a_private_appointment_staff_cannot_see_until_shared(team):
    day = next_date(5, 5)
    form = {
        "kind": "health",
        "date": day.isoformat(),
        "start": "09:00",
        "end": "09:30",
        "timezone": "Asia/Bangkok",
        "note": "dentist",
    }
    response = team.survivor_client.post_form("/appointments/new", form)
    assert response.status_code == 303
    appointment = _only_appointment()
    assert appointment.shared is False and appointment.status == Status.CONFIRMED
    url = f"/appointments/{appointment.public_id}"
    assert team.staff_client.get(url).status_code == 404
    assert "dentist" not in team.staff_client.get("/appointments").get_data(as_text=True)

    response = team.survivor_client.post_form(f"{url}/edit", {**form, "shared": "1"}, page=url)
    assert response.status_code == 303
    # The tick alone is not enough: "own appointments" is private by default (issue 9).
    assert team.staff_client.get(url).status_code == 404
    consent.set_choices(team.survivor, {areas.OWN_APPOINTMENTS: True}, actor=team.survivor)
    db.session.commit()
    assert team.staff_client.get(url).status_code == 200
    # Staff may see a survivor's own appointment but not change it.
    assert team.staff_client.get(f"{url}/edit").status_code == 403


def test_survivor_moves_their_own_appointment_directly(team):
    appointment = make_appointment(team.survivor)
    url = f"/appointments/{appointment.public_id}"
    day = next_date(9, 9)
    response = team.survivor_client.post_form(
        f"{url}/move",
        {"date": day.isoformat(), "start": "10:00", "end": "11:00", "timezone": "Asia/Bangkok"},
        page=url,
    )
    assert response.status_code == 303
    db.session.refresh(appointment)
    assert appointment.starts_at == datetime(day.year, 9, 9, 3, tzinfo=UTC)
    assert appointment.requests == []
