"""Fixtures for accounts tests: a software authenticator and helpers that drive the JSON
ceremonies the way passkey.js does."""

from __future__ import annotations

import pytest

from survivorapp.people import team
from tests.accounts.authenticator import SoftAuthenticator
from tests.factories import make_user


@pytest.fixture
def soft(app):
    return SoftAuthenticator(app.config["ORIGIN"])


def post_json(client, url: str, body=None, *, page: str = "/sign-in"):
    token = client.csrf_token(page)
    return client.post(url, json=body or {}, headers={"X-CSRFToken": token})


def invite(pseudonym: str = "Kim", role: str = "survivor", actor=None):
    user, code = team.invite(actor, pseudonym, role)
    from survivorapp.extensions import db

    db.session.commit()
    return user, code


def enrol(client, code: str, auth: SoftAuthenticator, **create_kw):
    options = post_json(client, "/enrol/options", {"code": code})
    assert options.status_code == 200, options.get_json()
    credential = auth.create(options.get_json(), **create_kw)
    return post_json(client, "/enrol/verify", credential)


def passkey_sign_in(client, auth: SoftAuthenticator, **get_kw):
    options = post_json(client, "/sign-in/options")
    assert options.status_code == 200
    assertion = auth.get(options.get_json(), **get_kw)
    return post_json(client, "/sign-in/verify", assertion), assertion


def add_passkey(client, auth: SoftAuthenticator, **create_kw):
    options = post_json(client, "/account/passkeys/options", page="/account/passkeys")
    assert options.status_code == 200
    credential = auth.create(options.get_json(), **create_kw)
    return post_json(client, "/account/passkeys/verify", credential, page="/account/passkeys")


@pytest.fixture
def enrolled(app, soft):
    """(client signed in through a real enrolment, the user, the authenticator)."""

    def make(pseudonym: str = "Kim", role: str = "survivor", auth: SoftAuthenticator = None):
        auth = auth or soft
        user, code = invite(pseudonym, role)
        client = app.test_client()
        response = enrol(client, code, auth)
        assert response.status_code == 200, response.get_json()
        return client, user, auth

    return make


__all__ = ["add_passkey", "enrol", "invite", "make_user", "passkey_sign_in", "post_json"]
