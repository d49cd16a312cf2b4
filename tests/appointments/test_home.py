"""The survivor's home panel: next up, two weeks by day, today highlighted, the next 24 hours
flagged, the past folded away; the staff panel shows the request queue."""

import re
from datetime import date, timedelta

from survivorapp.appointments.models import Kind, Status
from survivorapp.database import utcnow
from survivorapp.i18n import next_week_starts
from tests.factories import make_appointment, make_user
from tests.helpers import sign_in, text


def _midday_zone() -> str:
    """A fixed-offset zone where it is about noon now, so "today" is stable in the test."""
    offset = 12 - utcnow().hour  # Etc/GMT signs are inverted: Etc/GMT-5 is UTC+5
    return "Etc/GMT" + ("+" if offset < 0 else "-") + str(abs(offset))


def test_survivor_home_panel(app):
    survivor = make_user("survivor", timezone=_midday_zone())
    now = utcnow().replace(second=0, microsecond=0)
    soon = make_appointment(survivor, start=now + timedelta(minutes=30), kind=Kind.HEALTH)
    make_appointment(survivor, start=now + timedelta(days=3), kind=Kind.HOUSING)
    make_appointment(survivor, start=now + timedelta(days=20), kind=Kind.TRAINING)
    make_appointment(survivor, start=now - timedelta(days=2), kind=Kind.LEGAL_AID)
    make_appointment(
        survivor,
        start=now + timedelta(days=1, hours=1),
        kind=Kind.OTHER,
        status=Status.CANCELLED,
    )
    client = app.test_client()
    sign_in(client, survivor)
    html = client.get("/home").get_data(as_text=True)

    next_up = html.split('class="appt-next"', 1)[1].split("</div>", 1)[0]
    assert soon.public_id in next_up and "Health" in next_up
    today = re.search(r'<li class="appt-day appt-today">(.*?)</ul>\s*</li>', html, re.S).group(1)
    assert "Today," in today and soon.public_id in today
    assert html.count("Within 24 hours") == 1
    assert html.count("appt-today") == 1
    two_weeks = html.split("The next two weeks", 1)[1].split("<details", 1)[0]
    assert "Housing check-in" in two_weeks
    assert "Training or class" not in two_weeks  # 20 days away
    assert "More appointments later." in two_weeks
    assert "Legal aid" not in two_weeks and "Other" not in two_weeks
    past = html.split('<details class="appt-past">', 1)[1].split("</details>", 1)[0]
    assert "Legal aid" in past and "Cancelled" in past


def test_empty_home_panel(as_role):
    client, _ = as_role("survivor")
    assert "Nothing in the next two weeks." in text(client.get("/home"))


def test_this_week_ends_where_the_staff_members_language_ends_it():
    thursday = date(2026, 12, 3)
    assert next_week_starts(thursday, "en") == date(2026, 12, 6)  # Sunday
    assert next_week_starts(thursday, "es") == date(2026, 12, 7)  # Monday
    assert next_week_starts(thursday, "ar") == date(2026, 12, 5)  # Saturday
    assert next_week_starts(date(2026, 12, 6), "en") == date(2026, 12, 13)  # a whole week
    assert next_week_starts(date(2026, 12, 6), "uk") == date(2026, 12, 7)


def test_staff_home_panel_lists_requests_and_this_week(team):
    # Under way now, so "this week" whatever the day the test runs on.
    start = utcnow().replace(microsecond=0) - timedelta(minutes=30)
    appointment = make_appointment(team.survivor, by=team.staff, kind=Kind.COUNSELLING, start=start)
    later = make_appointment(
        team.survivor, by=team.staff, kind=Kind.HEALTH, start=start + timedelta(days=8)
    )
    page = text(team.staff_client.get("/staff"))
    assert "No requests waiting." in page
    assert "Mai · Counselling" in page
    assert "Mai · Health" not in page and later.public_id not in page  # beyond this week
    url = f"/appointments/{appointment.public_id}"
    team.survivor_client.post_form(
        f"{url}/move",
        {
            "date": (appointment.starts_at + timedelta(days=2)).date().isoformat(),
            "start": "10:00",
            "end": "11:00",
            "timezone": "Asia/Bangkok",
        },
        page=url,
    )
    assert "1 request to move" in text(team.staff_client.get("/staff"))
