"""Accounts and privacy (issue 9): people pages are logged, passkeys/codes/PIN exported without
secrets, account rows erased, and the sharing choice at enrolment."""

from __future__ import annotations

import json

from sqlalchemy import select
from webauthn.helpers import bytes_to_base64url

from survivorapp.accounts import codes as account_codes
from survivorapp.accounts import lockout, pin
from survivorapp.accounts.models import AccountSecurity, EnrolmentCode, Passkey
from survivorapp.extensions import db
from survivorapp.people import caseload
from survivorapp.privacy import areas, consent
from survivorapp.privacy.models import ConsentChange
from survivorapp.privacy.services import delete_account
from tests.accounts.conftest import enrol, invite
from tests.factories import make_user
from tests.helpers import access_events
from tests.privacy.samples import rows_referencing_user


def test_people_pages_log_each_look_and_the_survivor_sees_it(app, as_role, enrolled):
    phone, kim, _ = enrolled("Kim")
    staff_client, sam = as_role("staff", pseudonym="Sam")
    caseload.assign(sam, kim)
    db.session.commit()
    page = f"/people/{kim.public_id}"
    staff_client.get("/people")  # the list: not a look at one person
    assert access_events(kim) == []

    assert staff_client.get(page).status_code == 200
    assert staff_client.post_form(f"{page}/new-code", page="/people").status_code == 303
    events = access_events(kim)
    assert [(e.viewer_id, e.area, e.what) for e in events] == [
        (sam.id, "profile", None),
        (sam.id, "profile", "Made a new sign-in code"),
    ]
    html = phone.get("/privacy/access").get_data(as_text=True)
    assert "Sam" in html and "Your profile" in html and "Made a new sign-in code" in html

    # Someone without access: a 404 and nothing logged.
    stranger, _ = as_role("staff", pseudonym="Stranger")
    assert stranger.get(page).status_code == 404
    assert stranger.post_form(f"{page}/lock", page="/people").status_code == 404
    assert len(access_events(kim)) == 2

    # An admin's look and a lock are logged too (the lock ends Kim's sessions, so it is last).
    admin, ada = as_role("admin", pseudonym="Ada")
    assert admin.get(page).status_code == 200
    assert admin.post_form(f"{page}/lock", page="/people").status_code == 303
    assert [(e.viewer_id, e.what) for e in access_events(kim)[2:]] == [
        (ada.id, None),
        (ada.id, "Locked the account"),
    ]


def test_export_has_passkeys_codes_and_pin_without_secrets(app, as_role, enrolled):
    client, kim, _ = enrolled("Kim")
    passkey = db.session.scalar(select(Passkey).where(Passkey.user_id == kim.id))
    passkey.nickname = "My blue phone"
    staff = make_user("staff")
    code = account_codes.issue_code(kim, actor=staff)
    lockout.security_of(kim).pin_hash = pin._hasher.hash("482913")
    db.session.commit()
    # Sign the client past the PIN gate as the person would be.
    with client.session_transaction() as sess:
        sess["pin_ok"] = True

    response = client.get("/privacy/export/my-data.json")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    sections = {s["key"]: s["items"] for s in json.loads(text)["sections"]}
    (exported,) = sections["passkeys"]
    assert exported["Name"] == "My blue phone"
    assert exported["Added"] and exported["Last used"]
    assert set(exported) == {"Name", "Added", "Last used", "Synced between devices", "Removed"}
    codes = sections["enrolment_codes"]
    assert len(codes) == 2 and codes[0]["Used"] and codes[1]["Used"] is None
    assert sections["app_pin"] == [{"A PIN is set": True}]
    assert sections["sessions"]  # sessions come from privacy core
    row = db.session.get(AccountSecurity, kim.id)
    for secret in (
        code,
        code.replace("-", ""),
        passkey.credential_id.hex(),
        bytes_to_base64url(passkey.credential_id),
        bytes_to_base64url(passkey.public_key),
        row.pin_hash,
    ):
        assert secret not in text


def test_deletion_removes_passkeys_codes_and_security_rows(app, enrolled):
    _phone, kim, _ = enrolled("Kim")
    staff = make_user("staff")
    account_codes.issue_code(kim, actor=staff)
    lockout.security_of(kim).pin_hash = pin._hasher.hash("482913")
    issued_by_kim = account_codes.issue_code(make_user("survivor"), actor=kim)
    db.session.commit()
    assert issued_by_kim
    kim_id = kim.id
    delete_account(kim)
    assert rows_referencing_user(kim_id) == []
    assert db.session.scalars(select(Passkey)).all() == []
    assert db.session.get(AccountSecurity, kim_id) is None
    # The code Kim issued for someone else stays theirs, unlinked from Kim.
    (left,) = db.session.scalars(select(EnrolmentCode)).all()
    assert left.created_by_id is None

    # A member of staff leaving keeps the codes they issued, unlinked.
    lee, _ = invite("Lee", actor=staff)
    staff_id = staff.id
    delete_account(staff)
    assert rows_referencing_user(staff_id) == []
    assert db.session.scalar(select(EnrolmentCode).where(EnrolmentCode.user_id == lee.id))


def test_a_new_survivor_chooses_what_to_share_before_the_passkey(app, soft):
    user, code = invite("Kim")
    client = app.test_client()
    page = f"/enrol?code={code}"
    html = client.get(page).get_data(as_text=True)
    assert "What the team can see" in html and "4. Create your passkey" in html
    assert 'checked id="area-own_appointments-1"' in html  # the defaults
    assert 'checked id="area-booked_appointments-0"' in html

    # Missing choices: 422, the rest kept, nothing saved.
    response = client.post_form(
        "/enrol/sharing",
        {"code": code, "area-budget_summary": "shared", "area-goals": "private"},
        page=page,
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Please choose an option for each area." in html
    assert 'checked id="area-budget_summary-0"' in html
    assert db.session.scalars(select(ConsentChange)).all() == []

    choices = {
        "area-booked_appointments": "private",
        "area-goals": "private",
        "area-budget_summary": "shared",
        "area-own_appointments": "shared",
        "area-circle_attendance": "private",
        "area-counted_in_reports": "shared",
    }
    response = client.post_form("/enrol/sharing", {"code": code, **choices}, page=page)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("saved=1#enrol-passkey")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Saved. The team sees only what you share." in html
    assert 'checked id="area-goals-1"' in html
    db.session.expire_all()
    assert consent.choices_for(user.id) == {
        areas.BOOKED_APPOINTMENTS: False,
        areas.GOALS: False,
        areas.BUDGET_SUMMARY: True,
        areas.OWN_APPOINTMENTS: True,
        areas.CIRCLE_ATTENDANCE: False,
        "counted_in_reports": True,
    }
    assert {c.changed_by_id for c in consent.history_for(user.id)} == {user.id}

    # The passkey step still works and the choices stay.
    assert enrol(client, code, soft).status_code == 200
    assert consent.allows(user.id, areas.BUDGET_SUMMARY)
    assert not consent.allows(user.id, areas.GOALS)
    # A used code can no longer change anyone's choices.
    used = client.post_form("/enrol/sharing", {"code": code, **choices}, page="/privacy/sharing")
    assert used.status_code == 422


def test_enrolment_sharing_refuses_bad_codes_and_non_survivors(app, client):
    bad = client.post_form("/enrol/sharing", {"code": "nope"}, page="/enrol")
    assert bad.status_code == 422
    _ana, code = invite("Ana", role="staff", actor=make_user("admin"))
    page = f"/enrol?code={code}"
    assert "What the team can see" not in client.get(page).get_data(as_text=True)
    refused = client.post_form("/enrol/sharing", {"code": code, "area-goals": "shared"}, page=page)
    assert refused.status_code == 404
    weird = client.post_form("/enrol/sharing", {"code": ["x" * 5000]}, page="/enrol")
    assert weird.status_code == 422
