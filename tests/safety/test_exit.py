"""Quick exit on the server: both routes end the session and clear the site's data."""

from __future__ import annotations

import re

from sqlalchemy import select

from survivorapp.extensions import db
from survivorapp.safety import services
from survivorapp.security.sessions import UserSession
from tests.factories import make_appointment, make_user

CLEAR = '"cache", "cookies", "storage"'


def rows(user):
    return db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)).all()


def test_plain_exit_link_ends_the_session_and_leaves(as_role, app):
    client, user = as_role("survivor")
    assert client.get("/home").status_code == 200
    response = client.get("/exit")
    assert response.status_code == 303
    assert response.headers["Location"] == app.config["EXIT_URL"]
    assert response.headers["Clear-Site-Data"] == CLEAR
    assert response.headers["Cache-Control"] == "no-store"
    assert rows(user) == []
    assert client.get("/home").headers["Location"].endswith("/sign-in")


def test_exit_from_javascript_ends_the_session(as_role):
    client, user = as_role("survivor")
    html = client.get("/home").get_data(as_text=True)
    token = re.search(r'"X-CSRFToken": "([^"]+)"', html).group(1)
    response = client.post("/exit", headers={"X-CSRFToken": token})
    assert response.status_code == 204
    assert response.headers["Clear-Site-Data"] == CLEAR
    assert rows(user) == []
    assert client.get("/home").status_code == 302


def test_exit_when_not_signed_in_still_leaves(client, app):
    response = client.get("/exit")
    assert response.status_code == 303
    assert response.headers["Location"] == app.config["EXIT_URL"]
    assert response.headers["Clear-Site-Data"] == CLEAR


def test_exit_control_is_the_first_link_on_every_kind_of_page(as_role, client):
    signed_in, _ = as_role("survivor")
    pages = [
        (client, "/sign-in"),
        (client, "/calculator"),
        (client, "/offline"),
        (client, "/no-such-page"),
        (signed_in, "/home"),
        (signed_in, "/account"),
    ]
    for c, path in pages:
        html = c.get(path).get_data(as_text=True)
        body = html[html.index("<body") :]
        first_link = re.search(r"<a\s[^>]*>", body).group(0)
        assert 'id="quick-exit"' in first_link, path
        assert 'href="/exit"' in first_link, path
        assert 'data-exit-url="https://www.bbc.com/weather"' in first_link, path
        assert 'role="status" aria-live="polite"' in body, path


def test_the_exit_address_is_read_in_one_place(make_app):
    app = make_app(EXIT_URL="https://weather.example/today")
    client = app.test_client()
    with app.test_request_context():
        assert services.exit_url() == "https://weather.example/today"
    assert 'data-exit-url="https://weather.example/today"' in client.get("/sign-in").text
    assert client.get("/exit").headers["Location"] == "https://weather.example/today"


def test_idle_lock_time_is_given_to_signed_in_pages_only(as_role, client, app):
    assert 'name="idle-lock"' not in client.get("/sign-in").text
    signed_in, _ = as_role("survivor")
    seconds = app.config["SESSION_IDLE_MINUTES"] * 60
    assert f'<meta name="idle-lock" content="{seconds}">' in signed_in.get("/home").text


def test_home_shows_how_to_leave_and_the_start_screen_choice(as_role):
    client, _ = as_role("survivor")
    html = client.get("/home").text
    assert "tap “Leave now”." in html
    assert '<span class="keyboard-only">With a keyboard, pressing Shift three times' in html
    assert 'href="/start-screen"' in html


def test_exit_ends_only_this_session(app):
    user = make_user("survivor")
    from tests.helpers import sign_in

    phone, laptop = app.test_client(), app.test_client()
    sign_in(phone, user)
    sign_in(laptop, user)
    phone.get("/exit")
    assert len(rows(user)) == 1
    assert laptop.get("/home").status_code == 200


def test_exit_never_fails_even_with_a_stale_token(as_role, app):
    """A page left open past its session still leaves cleanly (no 400 without the header)."""
    client, user = as_role("survivor")
    response = client.post("/exit", headers={"X-CSRFToken": "stale"})
    assert response.status_code == 204
    assert response.headers["Clear-Site-Data"] == CLEAR
    assert rows(user) == []


def test_the_admins_settings_drive_exit_brand_icon_and_idle_lock(as_role, client):
    from survivorapp.settings import BRAND_ICONS, SETTINGS_ROW_ID, OrgSettings

    assert set(BRAND_ICONS) == set(services.ICONS)  # every icon an admin can pick exists
    db.session.add(
        OrgSettings(
            id=SETTINGS_ROW_ID,
            brand_name="Weekly",
            brand_icon="sun",
            exit_url="https://news.example/today",
            session_idle_minutes=7,
        )
    )
    db.session.commit()
    html = client.get("/sign-in").text
    assert 'data-exit-url="https://news.example/today"' in html
    assert "<title>Sign in · Weekly</title>" in html and "/icons/sun.svg?v=" in html
    assert client.get("/exit").headers["Location"] == "https://news.example/today"
    manifest = client.get("/manifest.webmanifest").get_json()
    assert manifest["name"] == "Weekly" and "/icons/sun-512.png" in manifest["icons"][1]["src"]
    signed_in, owner = as_role("survivor")
    assert '<meta name="idle-lock" content="420">' in signed_in.get("/home").text
    appointment = make_appointment(owner, by=owner)
    db.session.commit()
    ics = signed_in.get(f"/appointments/{appointment.public_id}/event.ics").text
    assert "PRODID:-//Weekly//Calendar//EN\r\n" in ics and "Daybook" not in ics
