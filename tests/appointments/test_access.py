"""Who may see and do what: one access rule, applied at the query."""

import pytest

from survivorapp.appointments.models import Status
from survivorapp.extensions import db
from survivorapp.people.caseload import assign
from tests.factories import make_appointment, make_user
from tests.helpers import text


def test_another_survivors_appointment_is_404_everywhere(team, as_role):
    appointment = make_appointment(team.survivor, by=team.staff, note="private note")
    other, _ = as_role("survivor")
    base = f"/appointments/{appointment.public_id}"
    for path in (base, f"{base}/edit", f"{base}/move", f"{base}/event.ics"):
        assert other.get(path).status_code == 404, path
    for path in (f"{base}/confirm", f"{base}/cancel", f"{base}/move", f"{base}/edit"):
        assert other.post_form(path, {"date": "2027-01-01"}).status_code == 404, path
    assert "private note" not in other.get("/appointments").get_data(as_text=True)
    db.session.refresh(appointment)
    assert appointment.status == Status.SCHEDULED


def test_staff_off_the_caseload_get_404(team, as_role):
    appointment = make_appointment(team.survivor, by=team.staff)
    other_staff, _ = as_role("staff")
    url = f"/appointments/{appointment.public_id}"
    assert other_staff.get(url).status_code == 404
    assert other_staff.post_form(f"{url}/cancel").status_code == 404
    request_page = "/appointments/requests"
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
    assert "No requests waiting" in text(other_staff.get(request_page))
    assert other_staff.get(f"/appointments/requests/{req.public_id}").status_code == 404
    answer = other_staff.post_form(
        f"/appointments/requests/{req.public_id}", {"decision": "accept"}
    )
    assert answer.status_code == 404


def test_staff_lose_access_when_the_survivor_moves_to_another_caseload(team):
    appointment = make_appointment(team.survivor, by=team.staff)
    new_worker = make_user("staff")
    assign(new_worker, team.survivor)
    db.session.commit()
    assert team.staff_client.get(f"/appointments/{appointment.public_id}").status_code == 404


def test_mentors_have_no_access(team, as_role):
    appointment = make_appointment(team.survivor, by=team.staff)
    mentor, _ = as_role("mentor")
    assert mentor.get("/appointments").status_code == 403
    assert mentor.get(f"/appointments/{appointment.public_id}").status_code == 403
    assert mentor.get("/calendar").status_code == 403


def test_staff_cannot_book_for_someone_off_their_caseload(team, as_role):
    stranger = make_user("survivor")
    response = team.staff_client.post_form(
        "/appointments/new",
        {
            "survivor": stranger.public_id,
            "kind": "health",
            "date": "2027-05-05",
            "start": "10:00",
            "end": "11:00",
            "timezone": "Europe/London",
        },
    )
    assert response.status_code == 422
    assert "Choose a person from your list." in text(response)


def test_staff_cannot_confirm_or_ask_to_move_for_the_survivor(team):
    appointment = make_appointment(team.survivor, by=team.staff)
    url = f"/appointments/{appointment.public_id}"
    assert team.staff_client.post_form(f"{url}/confirm", page=url).status_code == 403
    assert team.staff_client.get(f"{url}/move").status_code == 403


def test_survivor_cannot_answer_their_own_request(team):
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
    response = team.survivor_client.post_form(
        f"/appointments/requests/{req.public_id}", {"decision": "accept"}
    )
    assert response.status_code == 403


def test_anonymous_people_are_sent_to_sign_in(client, team):
    appointment = make_appointment(team.survivor, by=team.staff)
    for path in ("/appointments", f"/appointments/{appointment.public_id}", "/calendar"):
        assert client.get(path).status_code == 302


@pytest.mark.parametrize("public_id", ["nope", "x" * 500, "%00", "1"])
def test_unknown_ids_are_404(team, public_id):
    assert team.survivor_client.get(f"/appointments/{public_id}").status_code == 404
    assert team.staff_client.get(f"/appointments/requests/{public_id}").status_code == 404
