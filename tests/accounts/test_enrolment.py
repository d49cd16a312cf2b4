"""Enrolment: accounts created by staff and admins, one-time codes shown three ways, stored
hashed, expiring, single use; the enrolment page and its passkey ceremony."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from survivorapp.accounts import codes
from survivorapp.accounts.models import EnrolmentCode, Passkey, User
from survivorapp.database import utcnow
from survivorapp.extensions import db
from survivorapp.people import caseload
from survivorapp.security.audit import AuditEvent
from tests.accounts.conftest import enrol, invite, post_json

CODE = re.compile(r"\b([2-9A-HJ-NP-TV-Z]{4}-[2-9A-HJ-NP-TV-Z]{4}-[2-9A-HJ-NP-TV-Z]{4})\b")


def actions() -> list[str]:
    return [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_staff_invite_a_survivor_and_see_the_code_three_ways(as_role):
    client, staff = as_role("staff")
    page = client.get("/people/invite")
    assert page.status_code == 200
    response = client.post_form(
        "/people/invite", {"pseudonym": "Kim", "role": "survivor"}, page="/people/invite"
    )
    assert response.status_code == 303
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    code = CODE.search(html).group(1)
    assert f"http://localhost/enrol?code={code}" in html  # the link, code in the query
    assert 'src="data:image/svg+xml' in html  # the QR code, drawn on our server
    assert not set(code.replace("-", "")) & set("01OIL")  # no look-alike characters
    kim = next(u for u in db.session.scalars(select(User)) if u.pseudonym == "Kim")
    assert kim.has_role("survivor") and caseload.on_caseload(staff.id, kim.id)
    # Stored hashed only, and shown once.
    row = db.session.scalar(select(EnrolmentCode).where(EnrolmentCode.user_id == kim.id))
    assert code.replace("-", "") not in row.code_hash and code not in row.code_hash
    again = client.get(response.headers["Location"]).get_data(as_text=True)
    assert not CODE.search(again)


def test_staff_may_invite_survivors_only_and_admins_anyone(as_role):
    staff_client, _ = as_role("staff")
    refused = staff_client.post_form(
        "/people/invite", {"pseudonym": "Boss", "role": "admin"}, page="/people/invite"
    )
    assert refused.status_code == 422
    assert 'value="Boss"' in refused.get_data(as_text=True)  # what was typed is kept
    admin_client, _ = as_role("admin")
    made = admin_client.post_form(
        "/people/invite", {"pseudonym": "New staff", "role": "staff"}, page="/people/invite"
    )
    assert made.status_code == 303
    survivor_client, _ = as_role("survivor")
    assert survivor_client.get("/people/invite").status_code == 403


def test_invite_form_errors_and_malformed_input(as_role):
    client, _ = as_role("admin")
    empty = client.post_form("/people/invite", {"pseudonym": "  ", "role": "x"}, page="/people")
    assert empty.status_code == 422
    long = client.post_form("/people/invite", {"pseudonym": "x" * 5000, "role": "survivor"})
    assert long.status_code == 422


def test_enrol_creates_a_discoverable_verified_passkey_and_lands_home(app, soft):
    user, code = invite()
    client = app.test_client()
    page = client.get(f"/enrol?code={code}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'id="enrol-language-select"' in html  # the language choice, up front
    assert "No phone number" in html  # the plain privacy note
    options = post_json(client, "/enrol/options", {"code": code.lower().replace("-", " ")})
    body = options.get_json()
    assert body["authenticatorSelection"]["residentKey"] == "required"
    assert body["authenticatorSelection"]["userVerification"] == "required"
    assert body["rp"] == {"id": "localhost", "name": "Daybook"}
    # A neutral handle: the brand and a tag, never the pseudonym.
    assert body["user"]["name"].startswith("Daybook ")
    assert "Kim" not in body["user"]["name"] and "Kim" not in body["user"]["displayName"]
    verified = post_json(client, "/enrol/verify", soft.create(body))
    assert verified.status_code == 200
    assert verified.get_json()["redirect"] == "/home"
    assert client.get("/home").status_code == 200
    passkey = db.session.scalar(select(Passkey).where(Passkey.user_id == user.id))
    assert passkey.transports == "internal,hybrid" and passkey.notice_pending is False
    assert {"enrolment_code_issued", "passkey_added", "enrolled", "sign_in"} <= set(actions())


def test_a_code_works_once(app, soft):
    _, code = invite()
    assert enrol(app.test_client(), code, soft).status_code == 200
    other = app.test_client()
    assert other.get(f"/enrol?code={code}").status_code == 422
    assert post_json(other, "/enrol/options", {"code": code}).status_code == 400


def test_a_code_used_between_options_and_verify_is_refused(app, soft):
    """Two people opened the same code: only the first passkey is kept."""
    _, code = invite()
    first, second = app.test_client(), app.test_client()
    options_1 = post_json(first, "/enrol/options", {"code": code}).get_json()
    options_2 = post_json(second, "/enrol/options", {"code": code}).get_json()
    assert post_json(first, "/enrol/verify", soft.create(options_1)).status_code == 200
    late = post_json(second, "/enrol/verify", soft.create(options_2))
    assert late.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Passkey)) == 1


def test_an_expired_code_is_refused(app, soft):
    user, code = invite()
    row = db.session.scalar(select(EnrolmentCode).where(EnrolmentCode.user_id == user.id))
    row.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    client = app.test_client()
    assert client.get(f"/enrol?code={code}").status_code == 422
    assert post_json(client, "/enrol/options", {"code": code}).status_code == 400


def test_codes_expire_after_the_configured_hours(app):
    user, _ = invite()
    row = db.session.scalar(select(EnrolmentCode).where(EnrolmentCode.user_id == user.id))
    hours = (row.expires_at - row.created_at) / timedelta(hours=1)
    assert hours == app.config["ENROLMENT_CODE_HOURS"] == 72


def test_a_new_code_replaces_the_old_one(app, soft):
    user, old = invite()
    new = codes.issue_code(user, actor=None)
    db.session.commit()
    client = app.test_client()
    assert client.get(f"/enrol?code={old}").status_code == 422
    assert client.get(f"/enrol?code={new}").status_code == 200


def test_unknown_and_malformed_codes_get_the_same_answer(client):
    for raw in ("ABCD-EFGH-JKMN", "nonsense", "x" * 10_000, ""):
        response = client.get("/enrol", query_string={"code": raw})
        assert response.status_code == 422
        assert "This code does not work" in response.get_data(as_text=True)
    for body in (None, [], {"code": 5}, {"code": "ABCD"}):
        assert post_json(client, "/enrol/options", body).status_code == 400


def test_enrol_verify_without_options_or_with_garbage_is_refused(client):
    assert post_json(client, "/enrol/verify", {"id": "x"}).status_code == 400
    token = client.csrf_token()
    bad = client.post(
        "/enrol/verify",
        data="{not json",
        headers={"X-CSRFToken": token},
        content_type="application/json",
    )
    assert bad.status_code == 400


def test_registration_without_user_verification_is_refused(app, soft):
    _, code = invite()
    client = app.test_client()
    response = enrol(client, code, soft, uv=False)
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Passkey)) == 0
    assert client.get("/home").status_code == 302  # not signed in
    # The code was not used up by the failed attempt.
    assert enrol(app.test_client(), code, soft).status_code == 200


def test_registration_from_another_origin_is_refused(app, soft):
    _, code = invite()
    assert enrol(app.test_client(), code, soft, origin="https://evil.example").status_code == 400


def test_cli_invite_prints_a_link(runner):
    result = runner.invoke(args=["invite", "--role", "survivor", "--name", "Dara"])
    assert result.exit_code == 0, result.output
    link = re.search(r"http://localhost/enrol\?code=(\S+)", result.output)
    assert link and codes.find_code(link.group(1)) is not None
    bad = runner.invoke(args=["invite", "--role", "king", "--name", "Dara"])
    assert bad.exit_code != 0


def test_demo_prints_enrolment_links(runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    links = re.findall(r"http://localhost/enrol\?code=(\S+)", result.output)
    assert len(links) == 7
    assert all(codes.find_code(code) is not None for code in links)
