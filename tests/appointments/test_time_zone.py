"""A person's own time zone: validated, and every time on the page follows it."""

from datetime import UTC, datetime

import pytest

from survivorapp.extensions import db
from tests.factories import make_appointment
from tests.helpers import next_date, text


def test_changing_the_time_zone_changes_the_times_shown(team):
    day = next_date(1, 15)  # winter: London is UTC+0
    appointment = make_appointment(
        team.survivor, by=team.staff, start=datetime(day.year, 1, 15, 9, tzinfo=UTC)
    )
    url = f"/appointments/{appointment.public_id}"
    assert "4:00 PM-5:00 PM" in text(team.survivor_client.get(url))  # Bangkok
    response = team.survivor_client.post_form(
        "/appointments/time-zone", {"timezone": "america/mexico_city"}, page=url
    )
    assert response.status_code == 303
    db.session.refresh(team.survivor)
    assert team.survivor.timezone == "America/Mexico_City"
    page = text(team.survivor_client.get(url))
    assert "3:00 AM-4:00 AM" in page and "America/Mexico_City" in page


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter a time zone"),
        ("Mars/Olympus_Mons", "We do not know that time zone."),
        ("../../etc/passwd", "We do not know that time zone."),
        ("x" * 10000, "We do not know that time zone."),
        ("UTC\x00", "We do not know that time zone."),
    ],
)
def test_an_invalid_time_zone_is_refused_and_kept(team, typed, message):
    response = team.survivor_client.post_form("/appointments/time-zone", {"timezone": typed})
    assert response.status_code == 422
    assert message in text(response)
    if typed and "\x00" not in typed:
        assert typed in response.get_data(as_text=True)
    db.session.refresh(team.survivor)
    assert team.survivor.timezone == "Asia/Bangkok"
