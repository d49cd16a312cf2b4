"""Calendar UIDs: stable across fetches (calendar apps match updates and cancellations by
them), but never a public id, which appears in the app's addresses: a shared or forwarded
.ics file must not lead back to the appointment or circle."""

import re

from tests.appointments.test_calendar import _feed, _new_address, _setup
from tests.factories import make_appointment, make_circle

UID = re.compile(r"^UID:(.*)$", re.MULTILINE)
# A truncated HMAC (128 bits, hex) at a neutral domain: nothing about the event or the site.
SHAPE = re.compile(r"^[0-9a-f]{32}@calendar\.invalid$")


def uids(body: str) -> list[str]:
    return [u.rstrip("\r") for u in UID.findall(body)]


def test_feed_uids_are_stable_and_not_the_public_ids(team, client):
    first, _ = _setup(team)
    second = make_appointment(team.survivor, by=team.staff)
    key = _new_address(team.survivor_client)
    body = _feed(client, key).get_data(as_text=True)
    for appointment in (first, second):
        assert appointment.public_id not in body
        assert appointment.public_id.lower() not in body.lower()
    found = uids(body)
    assert len(found) == 2 and len(set(found)) == 2
    assert all(SHAPE.match(u) for u in found), found
    assert uids(_feed(client, key).get_data(as_text=True)) == found  # stable across fetches


def test_a_downloaded_appointment_has_the_feed_uid(team, client):
    appointment, _ = _setup(team)
    key = _new_address(team.survivor_client)
    feed_uids = uids(_feed(client, key).get_data(as_text=True))
    for who in (team.survivor_client, team.staff_client):
        response = who.get(f"/appointments/{appointment.public_id}/event.ics")
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert appointment.public_id not in body
        assert uids(body) == feed_uids  # the same event wherever it came from


def test_uids_depend_on_the_secret_key(app, team, client, monkeypatch):
    _setup(team)
    key = _new_address(team.survivor_client)
    before = uids(_feed(client, key).get_data(as_text=True))
    monkeypatch.setitem(app.config, "SECRET_KEY", "another-secret")
    after = uids(_feed(client, key).get_data(as_text=True))
    assert before != after and all(SHAPE.match(u) for u in after)


def test_circle_uids_are_stable_and_not_the_public_id(as_role):
    mentor_client, mentor = as_role("mentor")
    circle = make_circle(mentor)
    other = make_circle(mentor)
    url = f"/circles/{circle.public_id}/event.ics"
    body = mentor_client.get(url).get_data(as_text=True)
    assert circle.public_id not in body
    assert circle.public_id.lower() not in body.lower()
    found = uids(body)
    assert found and all(SHAPE.match(u) for u in found), found
    assert uids(mentor_client.get(url).get_data(as_text=True)) == found
    other_body = mentor_client.get(f"/circles/{other.public_id}/event.ics")
    other_uids = uids(other_body.get_data(as_text=True))
    assert set(other_uids).isdisjoint(found)
