"""Server-side sessions: random cookie, row in the database, timeouts, rotation, ending."""

import hashlib
from datetime import timedelta
from http.cookies import SimpleCookie

from sqlalchemy import select, update

from survivorapp.database import utcnow
from survivorapp.extensions import db
from survivorapp.security.sessions import UserSession, end_user_sessions
from tests.factories import make_user
from tests.helpers import sign_in


def cookie_header(response, name="sid"):
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith(name + "="):
            return header
    return None


def test_cookie_is_random_http_only_and_lax(client):
    response = client.get("/sign-in")
    header = cookie_header(response)
    assert header is not None
    assert "HttpOnly" in header and "SameSite=Lax" in header and "Path=/" in header
    assert "Secure" not in header  # http origin in tests
    token = SimpleCookie(header)["sid"].value
    assert len(token) >= 40
    stored = db.session.scalars(select(UserSession.token_hash)).all()
    assert hashlib.sha256(token.encode()).hexdigest() in stored
    assert token not in stored  # only a hash is kept


def test_https_origin_uses_host_prefix_and_secure(make_app):
    app = make_app(ORIGIN="https://plan.example")
    response = app.test_client().get("/sign-in", base_url="https://plan.example")
    header = cookie_header(response, "__Host-sid")
    assert header is not None
    assert "Secure" in header and "HttpOnly" in header and "Path=/" in header
    assert "Domain" not in header


def test_signed_in_session_ends_after_idle_timeout(app, client):
    user = make_user("survivor")
    sign_in(client, user)
    assert client.get("/home").status_code == 200
    db.session.execute(
        update(UserSession).values(
            last_seen_at=utcnow() - timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1)
        )
    )
    db.session.commit()
    response = client.get("/home")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/sign-in")


def test_session_ends_after_absolute_lifetime_even_when_active(app, client):
    user = make_user("survivor")
    sign_in(client, user)
    db.session.execute(
        update(UserSession).values(
            created_at=utcnow() - timedelta(hours=app.config["SESSION_MAX_HOURS"], minutes=1),
            last_seen_at=utcnow(),
        )
    )
    db.session.commit()
    assert client.get("/home").status_code == 302


def test_ending_a_users_sessions_acts_at_once(app):
    user = make_user("survivor")
    phone, laptop = app.test_client(), app.test_client()
    sign_in(phone, user)
    sign_in(laptop, user)
    assert phone.get("/home").status_code == 200
    assert end_user_sessions(user.id) == 2
    db.session.commit()
    assert phone.get("/home").status_code == 302
    assert laptop.get("/home").status_code == 302


def test_sign_out_deletes_the_session_row(client):
    user = make_user("survivor")
    sign_in(client, user)
    assert client.get("/home").status_code == 200
    response = client.post_form("/sign-out", page="/account")
    assert response.status_code == 303
    assert db.session.scalar(select(UserSession).where(UserSession.user_id == user.id)) is None
    assert client.get("/home").status_code == 302


def test_disabled_account_is_refused_at_once(client):
    user = make_user("survivor")
    sign_in(client, user)
    assert client.get("/home").status_code == 200
    user.disabled_at = utcnow()
    db.session.commit()
    assert client.get("/home").status_code == 302


def test_sign_in_page_says_the_session_ended(app, client):
    user = make_user("survivor")
    sign_in(client, user)
    assert client.get("/home").status_code == 200
    db.session.execute(
        update(UserSession).values(
            last_seen_at=utcnow() - timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1)
        )
    )
    db.session.commit()
    response = client.get("/home", follow_redirects=True)
    assert "You were signed out" in response.get_data(as_text=True)
    assert "You were signed out" not in client.get("/sign-in").get_data(as_text=True)
    assert "You were signed out" not in app.test_client().get("/sign-in").get_data(as_text=True)
