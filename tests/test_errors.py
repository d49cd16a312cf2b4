"""Error pages are discreet and reveal nothing; logs hold no personal data."""

import logging

import pytest


@pytest.mark.parametrize(
    ("method", "path", "code"),
    [("get", "/no-such-page", 404), ("put", "/sign-in", 405), ("post", "/language", 400)],
)
def test_error_pages_are_friendly_and_discreet(client, method, path, code):
    response = getattr(client, method)(path)
    assert response.status_code == code
    html = response.get_data(as_text=True)
    assert "<title>" in html and "Daybook" in html
    assert "Traceback" not in html and "Werkzeug" not in html
    assert 'id="quick-exit"' in html


def test_unexpected_error_reveals_nothing(make_app, caplog):
    app = make_app()
    from survivorapp.security.access import public

    @app.get("/boom")
    @public
    def boom():
        raise RuntimeError("pseudonym Mai lives at 12 High Street")

    with caplog.at_level(logging.ERROR):
        response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert "High Street" not in response.get_data(as_text=True)
    assert "Nothing you did caused it" in response.get_data(as_text=True)
    assert "High Street" not in caplog.text
    assert "RuntimeError" in caplog.text


def test_too_large_request_is_refused_politely(client):
    response = client.post("/language", data={"language": "x" * 300_000})
    assert response.status_code == 413
    assert "shorten" in response.get_data(as_text=True)


def test_language_choice_is_remembered_and_changes_the_page(client):
    client.post_form("/language", {"language": "ar", "next": "/sign-in"})
    html = client.get("/sign-in").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html


def test_browser_language_is_used_before_sign_in(client):
    html = client.get("/sign-in", headers={"Accept-Language": "fr-FR,fr;q=0.9"}).get_data(
        as_text=True
    )
    assert '<html lang="fr" dir="ltr">' in html


def test_open_redirect_after_language_choice_is_refused(client):
    response = client.post_form("/language", {"language": "es", "next": "//evil.example/x"})
    assert response.headers["Location"] == "/"


def test_a_database_outage_still_gets_the_friendly_page(make_app):
    """While the database restarts, a signed-in person still gets our page, quick exit and all.

    The failed request's rollback expires the signed-in user; the layout reloading them from
    the stopped database used to fail inside the error handler, and the server then sent its
    own bare "Internal Server Error".
    """
    import sqlite3

    from flask_login import current_user
    from sqlalchemy import event
    from sqlalchemy.exc import OperationalError

    from survivorapp.extensions import db
    from survivorapp.security.access import public
    from tests.factories import make_user
    from tests.helpers import sign_in

    app = make_app()
    outage = []

    @app.get("/outage")
    @public
    def during_an_outage():
        assert current_user.is_authenticated  # loaded while the database was still up
        outage.append(True)
        db.engine.dispose()  # every later query needs a new connection, which is refused
        raise OperationalError("SELECT 1", {}, sqlite3.OperationalError("shutting down"))

    with app.app_context():

        @event.listens_for(db.engine, "do_connect")
        def refuse(*_args):
            if outage:
                raise sqlite3.OperationalError("the database system is shutting down")

        client = app.test_client()
        sign_in(client, make_user("survivor"))
        response = client.get("/outage")

    html = response.get_data(as_text=True)
    assert outage and response.status_code == 500
    assert "Nothing you did caused it" in html
    assert 'id="quick-exit"' in html


def test_an_error_while_the_database_stays_away_still_gets_our_page(make_app, monkeypatch):
    """The database fails the page, the layout, and the signed-out layout drawn again: the
    person still sees our words and the way out, never the server's bare error page."""
    from sqlalchemy.exc import OperationalError

    from survivorapp import navigation
    from survivorapp.security.access import public

    app = make_app()

    @app.get("/boom")
    @public
    def boom():
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    def gone():
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    monkeypatch.setattr(navigation, "items_for_current_user", gone)
    response = app.test_client().get("/boom", headers={"Accept-Language": "es"})
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Nothing you did caused it" not in html  # in Spanish
    assert '<html lang="es" dir="ltr">' in html
    assert 'id="quick-exit"' in html and "/exit" in html
    assert "server closed" not in html and "Traceback" not in html
