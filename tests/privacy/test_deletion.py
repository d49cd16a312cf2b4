"""Deletion: every personal row goes, in every table; staff see "account closed"."""

from __future__ import annotations

from sqlalchemy import select

from survivorapp.accounts.models import User
from survivorapp.extensions import db
from survivorapp.people import caseload
from survivorapp.privacy.models import ClosedAccount
from survivorapp.security.audit import AuditEvent
from survivorapp.security.sessions import UserSession
from tests.factories import make_user
from tests.helpers import sign_in
from tests.privacy.samples import build_samples, plaintext_found, rows_referencing_user

DELETE = "/privacy/delete"


def test_deletion_leaves_no_personal_row_anywhere(app, as_role):
    client, person = as_role("survivor", pseudonym="Olena Deleteme")
    person_id, public_id = person.id, person.public_id
    markers = build_samples(person)
    staff = make_user("staff", pseudonym="Sam Keeps")
    caseload.assign(staff, person)
    db.session.commit()
    assert rows_referencing_user(person_id)  # the check can fail: rows exist before
    assert plaintext_found([public_id])  # the public id is stored (user row, audit detail)

    response = client.post_form(DELETE, {"confirm": "DELETE"}, page=DELETE)
    assert response.status_code == 303
    assert response.headers["Location"] == "/privacy/closed"

    db.session.expire_all()
    assert rows_referencing_user(person_id) == []
    assert plaintext_found([*markers, public_id]) == []
    assert db.session.get(User, person_id) is None
    # The session ended: the cookie is cleared and private pages send to sign-in.
    assert client.get_cookie(app.config["SESSION_COOKIE_NAME"]) is None
    assert client.get("/privacy").headers["Location"].endswith("/sign-in")
    assert (
        db.session.scalars(select(UserSession).where(UserSession.user_id == person_id)).all() == []
    )
    assert "Account closed" in client.get("/privacy/closed").get_data(as_text=True)

    # What stays: an anonymous marker and unlinked security events.
    marker = db.session.scalar(select(ClosedAccount))
    assert (marker.case_worker_id, marker.roles) == (staff.id, "survivor")
    closed = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "account_closed"))
    assert closed.actor_id is None and closed.subject_id is None
    kept = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "sign_in")).all()
    assert kept and all(e.actor_id is None and e.detail == "{}" for e in kept)


def test_staff_see_account_closed_and_no_name(app, as_role):
    staff_client, staff = as_role("staff")
    person = make_user("survivor", pseudonym="Ana Hidden")
    caseload.assign(staff, person)
    db.session.commit()
    client = app.test_client()
    sign_in(client, person)
    assert client.post_form(DELETE, {"confirm": "delete"}, page=DELETE).status_code == 303
    html = staff_client.get("/staff").get_data(as_text=True)
    assert "Account closed" in html and "Ana Hidden" not in html
    assert list(db.session.scalars(caseload.caseload_query(staff.id))) == []


def test_wrong_or_missing_confirmation_deletes_nothing(as_role):
    client, person = as_role("survivor")
    for data, typed in (
        ({"confirm": "yes"}, "yes"),
        ({}, ""),
        ({"confirm": "x" * 5000}, "x" * 100),
    ):
        response = client.post_form(DELETE, data, page=DELETE)
        assert response.status_code == 422
        html = response.get_data(as_text=True)
        assert "Type DELETE to confirm." in html
        assert f'value="{typed}"' in html
    db.session.expire_all()
    assert db.session.get(User, person.id) is not None
    assert client.get("/privacy").status_code == 200


def test_deletion_needs_csrf(as_role):
    client, person = as_role("survivor")
    assert client.post(DELETE, data={"confirm": "DELETE"}).status_code == 400
    assert db.session.get(User, person.id) is not None


def test_delete_page_explains_what_goes_and_what_stays(as_role):
    client, _ = as_role("survivor")
    html = client.get(DELETE).get_data(as_text=True)
    assert "What goes" in html and "What stays" in html and "cannot be undone" in html
    assert "To confirm, type DELETE" in html


def test_confirmation_word_ignores_how_accents_were_typed():
    from survivorapp.privacy.forms import same_word as _same_word

    assert _same_word(" xoá ", "XÓA")  # accent on another letter, lower case, spaces
    assert _same_word("XO\u0301A", "XÓA")  # decomposed accent
    assert not _same_word("XOA X", "XÓA")
    assert not _same_word("", "DELETE")
