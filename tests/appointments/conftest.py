"""Fixtures for appointment tests."""

from __future__ import annotations

import pytest

from survivorapp.extensions import db
from survivorapp.people.caseload import assign
from tests.factories import make_user
from tests.helpers import sign_in


@pytest.fixture
def team(app):
    """A member of staff in London with a survivor in Bangkok on their caseload, both
    signed in on their own clients."""

    class Team:
        pass

    t = Team()
    t.staff = make_user("staff", pseudonym="Sam", timezone="Europe/London")
    t.survivor = make_user("survivor", pseudonym="Mai", timezone="Asia/Bangkok")
    assign(t.staff, t.survivor)
    db.session.commit()
    t.staff_client = app.test_client()
    sign_in(t.staff_client, t.staff)
    t.survivor_client = app.test_client()
    sign_in(t.survivor_client, t.survivor)
    return t
