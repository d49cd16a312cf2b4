"""Bad input: a clear message next to the field, status 422, nothing typed lost, never a 500."""

import re

import pytest
from sqlalchemy import func, select

from survivorapp.appointments.models import Appointment
from survivorapp.extensions import db
from tests.factories import make_appointment
from tests.helpers import next_date, next_last_sunday, text

GOOD = {
    "kind": "counselling",
    "start": "10:00",
    "end": "11:00",
    "timezone": "Asia/Bangkok",
    "place": "Room 7",
    "note": "Keep this note",
}


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Appointment))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end": "09:00"}, "The end must be after the start."),
        ({"date": "9999-12-31"}, "Choose a date within the next five years."),
        ({"date": "0001-01-01"}, "Choose a date within the last year or later."),
        ({"date": "2027-13-45"}, "That date does not exist."),
        ({"date": "31/12/2027"}, "Enter the date as year-month-day"),
        ({"date": ""}, "Enter a date."),
        ({"start": "noon"}, "Enter the time as hours and minutes"),
        ({"timezone": "Not/AZone"}, "Choose a time zone from the list."),
        ({"timezone": "x" * 5000}, "Choose a time zone from the list."),
        ({"kind": "séance"}, "Choose what kind of appointment this is."),
        ({"place": "p" * 5000}, "Keep the place under 200 characters."),
        ({"note": "n" * 50000}, "Keep the note under 2000 characters."),
        ({"link": "javascript:alert(1)"}, "Enter a web address starting with https://"),
    ],
)
def test_bad_appointment_input_is_explained_and_kept(team, changes, message):
    data = {**GOOD, "date": next_date(4, 20).isoformat(), **changes}
    response = team.survivor_client.post_form("/appointments/new", data)
    assert response.status_code == 422
    page = text(response)
    assert message in page
    html = response.get_data(as_text=True)
    assert "Room 7" in html or "place" in changes
    assert "Keep this note" in html or "note" in changes
    assert 'aria-invalid="true"' in html
    assert _count() == 0


def test_dst_gap_is_refused_in_the_form(as_role):
    client, _ = as_role("survivor", timezone="Europe/London")
    day = next_last_sunday(3)
    data = {
        **GOOD,
        "timezone": "Europe/London",
        "date": day.isoformat(),
        "start": "01:30",
        "end": "02:30",
    }
    response = client.post_form("/appointments/new", data)
    assert response.status_code == 422
    # The time as the person reads times: 12-hour in English.
    assert re.search(r"1:30\WAM does not exist on that day in Europe/London", text(response))
    assert _count() == 0


def test_dst_overlap_is_saved_as_the_first_occurrence(as_role):
    client, _ = as_role("survivor", timezone="Europe/London")
    day = next_last_sunday(10)
    data = {
        **GOOD,
        "timezone": "Europe/London",
        "date": day.isoformat(),
        "start": "01:30",
        "end": "01:45",
    }
    assert client.post_form("/appointments/new", data).status_code == 303
    appointment = db.session.scalars(select(Appointment)).one()
    assert appointment.starts_at.hour == 0 and appointment.starts_at.minute == 30  # BST


def test_times_across_the_march_change_in_london(as_role):
    client, _ = as_role("survivor", timezone="Europe/London")
    day = next_last_sunday(3)
    data = {
        **GOOD,
        "timezone": "Europe/London",
        "date": day.isoformat(),
        "start": "00:30",
        "end": "03:00",
    }
    assert client.post_form("/appointments/new", data).status_code == 303
    appointment = db.session.scalars(select(Appointment)).one()
    # 00:30 GMT to 03:00 BST is one and a half hours, not two and a half.
    assert (appointment.ends_at - appointment.starts_at).total_seconds() == 90 * 60
    page = text(client.get(f"/appointments/{appointment.public_id}"))
    assert "12:30 AM-3:00 AM" in page


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"kind": ["a", "b"], "date": "", "start": "", "end": "", "timezone": ""},
        {"date": "2027-02-29", "start": "99:99", "end": "-1", "timezone": "\x00"},
        {"survivor": "z" * 1000, "kind": "health"},
        {"survivor": "a\x00b", "kind": "health\x00", "place": "\x00", "timezone": "UTC\x00"},
    ],
)
def test_malformed_posts_never_500(team, data):
    for client in (team.survivor_client, team.staff_client):
        response = client.post_form("/appointments/new", data)
        assert response.status_code == 422
    appointment = make_appointment(team.survivor, by=team.staff)
    url = f"/appointments/{appointment.public_id}"
    assert team.survivor_client.post_form(f"{url}/move", data, page=url).status_code == 422
    assert team.staff_client.post_form(f"{url}/edit", data, page=url).status_code == 422


def test_bad_reschedule_keeps_the_message(team):
    appointment = make_appointment(team.survivor, by=team.staff)
    url = f"/appointments/{appointment.public_id}"
    response = team.survivor_client.post_form(
        f"{url}/move",
        {
            "date": "9999-01-01",
            "start": "10:00",
            "end": "11:00",
            "timezone": "Asia/Bangkok",
            "message": "Mornings are hard",
        },
        page=url,
    )
    assert response.status_code == 422
    assert "Choose a date within the next five years." in text(response)
    assert "Mornings are hard" in response.get_data(as_text=True)
    assert appointment.requests == []


def test_bad_answer_decision(team):
    appointment = make_appointment(team.survivor, by=team.staff)
    url = f"/appointments/{appointment.public_id}"
    team.survivor_client.post_form(
        f"{url}/move",
        {
            "date": appointment.starts_at.date().isoformat(),
            "start": "10:00",
            "end": "11:00",
            "timezone": "UTC",
        },
        page=url,
    )
    req = appointment.requests[0]
    response = team.staff_client.post_form(
        f"/appointments/requests/{req.public_id}", {"decision": "maybe", "note": "hmm"}
    )
    assert response.status_code == 422
    assert "Choose an answer." in text(response)
