"""Lost or taken phone: lock-out by staff, admins or the person; the app PIN."""

from __future__ import annotations

import re

from sqlalchemy import select

from survivorapp.accounts.lockout import lock_account
from survivorapp.accounts.models import AccountSecurity, Passkey
from survivorapp.extensions import db
from survivorapp.people import caseload
from survivorapp.security.audit import AuditEvent
from tests.accounts.authenticator import SoftAuthenticator
from tests.accounts.conftest import add_passkey, enrol, passkey_sign_in
from tests.factories import make_user
from tests.helpers import sign_in

CODE = re.compile(r"enrol\?code=([2-9A-Z-]{14})")


def active(user) -> list[Passkey]:
    return list(
        db.session.scalars(
            select(Passkey).where(Passkey.user_id == user.id, Passkey.revoked_at.is_(None))
        )
    )


def actions() -> list[str]:
    return [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def staff_client(app, staff):
    client = app.test_client()
    sign_in(client, staff)
    return client


def test_staff_lock_a_survivor_and_re_enrol_them_in_person(app, enrolled):
    phone, user, auth = enrolled()
    laptop = app.test_client()
    passkey_sign_in(laptop, auth)
    staff = make_user("staff")
    caseload.assign(staff, user)
    db.session.commit()
    client = staff_client(app, staff)
    people = client.get("/people").get_data(as_text=True)
    assert user.public_id in people and "Participant" in people and "survivor" not in people
    response = client.post_form(f"/people/{user.public_id}/lock", page=f"/people/{user.public_id}")
    assert response.status_code == 303
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    code = CODE.search(html).group(1)
    # At once: every passkey revoked, every session ended.
    assert active(user) == []
    assert phone.get("/home").status_code == 302
    assert laptop.get("/home").status_code == 302
    refused, _ = passkey_sign_in(phone, auth)
    assert refused.status_code == 400
    assert "account_locked" in actions()
    # Re-enrolment with the fresh code, in person.
    new_auth = SoftAuthenticator(app.config["ORIGIN"])
    assert enrol(app.test_client(), code, new_auth).status_code == 200
    assert len(active(user)) == 1


def test_staff_reach_only_their_caseload_and_admins_anyone(app, enrolled):
    _, user, _ = enrolled()
    stranger = staff_client(app, make_user("staff"))
    assert stranger.get(f"/people/{user.public_id}").status_code == 404
    refused = stranger.post_form(f"/people/{user.public_id}/lock", page="/people")
    assert refused.status_code == 404
    assert (
        stranger.post_form(f"/people/{user.public_id}/new-code", page="/people").status_code == 404
    )
    assert user.public_id not in stranger.get("/people").get_data(as_text=True)
    assert len(active(user)) == 1
    admin = staff_client(app, make_user("admin"))
    assert admin.get(f"/people/{user.public_id}").status_code == 200
    assert admin.get("/people/unknown-id").status_code == 404
    survivor = staff_client(app, make_user("survivor"))
    assert survivor.get("/people").status_code == 403
    assert survivor.get(f"/people/{user.public_id}").status_code == 403


def test_a_new_code_keeps_passkeys_and_a_passkey_added_with_it_shows_the_notice(app, enrolled):
    phone, user, auth = enrolled()
    admin = staff_client(app, make_user("admin"))
    response = admin.post_form(f"/people/{user.public_id}/new-code", page="/people")
    code = CODE.search(admin.get(response.headers["Location"]).get_data(as_text=True)).group(1)
    assert phone.get("/home").status_code == 200
    assert (
        enrol(app.test_client(), code, SoftAuthenticator(app.config["ORIGIN"])).status_code == 200
    )
    assert len(active(user)) == 2
    phone.post_form("/sign-out", page="/home")
    assert passkey_sign_in(phone, auth)[0].get_json()["redirect"] == "/account/new-passkey"


def test_a_passkey_nobody_confirmed_cannot_shut_out_the_owner(app, enrolled):
    """Someone who added their own passkey to a phone left signed in, then signs in with it,
    can neither lock the owner out nor remove the owner's passkey."""
    phone, user, _ = enrolled()
    add_passkey(phone, SoftAuthenticator(app.config["ORIGIN"]))
    intruder_auth = SoftAuthenticator(app.config["ORIGIN"])
    add_passkey(phone, intruder_auth)
    intruder = app.test_client()
    passkey_sign_in(intruder, intruder_auth)
    owners = [p for p in active(user) if p.credential_id != intruder_auth.last_created.id]
    # Held at its notice: every page but that one leads back to it.
    assert intruder.get("/account/lock").headers["Location"] == "/account/new-passkey"
    refused = intruder.post_form("/account/lock", page="/account/passkeys")
    assert refused.status_code == 403
    assert "not confirmed yet" in refused.get_data(as_text=True)
    for passkey in owners:
        url = f"/account/passkeys/{passkey.public_id}/remove"
        assert intruder.get(url).status_code == 403
        assert intruder.post_form(url, page="/account/new-passkey").status_code == 403
    assert len(active(user)) == 3 and phone.get("/home").status_code == 200
    # It may still take itself away.
    mine = next(p for p in active(user) if p not in owners)
    url = f"/account/passkeys/{mine.public_id}/remove"
    assert intruder.post_form(url, page="/account/passkeys").status_code == 303


def test_a_person_locks_out_a_lost_phone_from_another_device(app, enrolled):
    lost, user, lost_auth = enrolled()
    spare_auth = SoftAuthenticator(app.config["ORIGIN"])
    add_passkey(lost, spare_auth)
    # The spare was confirmed at a later sign-in on the phone, before the phone was lost.
    lost.post_form("/sign-out", page="/home")
    passkey_sign_in(lost, lost_auth)
    lost.post_form("/account/new-passkey", page="/account/new-passkey")
    spare = app.test_client()
    passkey_sign_in(spare, spare_auth)
    response = spare.post_form("/account/lock", page="/account/lock")
    assert response.status_code == 303
    assert lost.get("/home").status_code == 302
    assert spare.get("/account/passkeys").status_code == 200
    remaining = active(user)
    assert [p.credential_id for p in remaining] == [spare_auth.last_created.id]
    lost_client = app.test_client()
    assert passkey_sign_in(lost_client, lost_auth)[0].status_code == 400


def test_self_lock_without_a_passkey_session_shows_a_fresh_code(app, enrolled):
    _, user, _ = enrolled()
    client = app.test_client()
    sign_in(client, user)  # a session not opened with a passkey
    response = client.post_form("/account/lock", page="/account/lock")
    assert response.headers["Location"] == "/account/code"
    assert CODE.search(client.get("/account/code").get_data(as_text=True))
    assert active(user) == []


# --- App PIN --------------------------------------------------------------------------------


def turn_on_pin(client, pin="2468"):
    return client.post_form("/account/pin", {"pin": pin, "confirm": pin}, page="/account/pin")


def test_pin_is_asked_after_the_passkey(app, enrolled):
    client, user, auth = enrolled()
    assert turn_on_pin(client).status_code == 303
    stored = db.session.get(AccountSecurity, user.id).pin_hash
    assert stored.startswith("$argon2") and "2468" not in stored
    assert client.get("/home").status_code == 200  # this session just set it
    client.post_form("/sign-out", page="/home")
    response, _ = passkey_sign_in(client, auth)
    assert response.get_json()["redirect"] == "/pin"
    gated = client.get("/home")
    assert gated.status_code == 302 and gated.headers["Location"] == "/pin"
    assert client.get("/account/passkeys").headers["Location"] == "/pin"
    wrong = client.post_form("/pin", {"pin": "1111"}, page="/pin")
    assert wrong.status_code == 422
    assert "not right" in wrong.get_data(as_text=True)
    right = client.post_form("/pin", {"pin": "2468"}, page="/pin")
    assert right.status_code == 303 and right.headers["Location"] == "/home"
    assert client.get("/home").status_code == 200
    assert "pin_failed" in actions()


def test_pin_locks_the_account_after_repeated_failures(app, enrolled):
    client, user, auth = enrolled()
    turn_on_pin(client)
    other = app.test_client()
    passkey_sign_in(other, auth)  # another session of the same person
    client.post_form("/sign-out", page="/home")
    passkey_sign_in(client, auth)
    for _ in range(4):
        assert client.post_form("/pin", {"pin": "0000"}, page="/pin").status_code == 422
    locked = client.post_form("/pin", {"pin": "0000"}, page="/pin")
    assert locked.status_code == 403
    assert "locked" in locked.get_data(as_text=True)
    assert active(user) == []
    assert client.get("/home").status_code == 302
    assert other.get("/home").status_code == 302
    assert passkey_sign_in(app.test_client(), auth)[0].status_code == 400


def test_a_right_pin_resets_the_failure_count(app, enrolled):
    client, user, auth = enrolled()
    turn_on_pin(client)
    for _ in range(3):
        client.post_form("/sign-out", page="/home")
        passkey_sign_in(client, auth)
        client.post_form("/pin", {"pin": "0000"}, page="/pin")
        client.post_form("/pin", {"pin": "0000"}, page="/pin")
        assert client.post_form("/pin", {"pin": "2468"}, page="/pin").status_code == 303
    assert len(active(user)) == 1


def test_pin_form_validation(enrolled):
    client, user, _ = enrolled()
    for pin, confirm in (("12", "12"), ("abcd", "abcd"), ("1234", "4321"), ("9" * 40, "9" * 40)):
        response = client.post_form(
            "/account/pin", {"pin": pin, "confirm": confirm}, page="/account/pin"
        )
        assert response.status_code == 422
    assert db.session.get(AccountSecurity, user.id) is None


def test_pin_can_be_turned_off(app, enrolled):
    client, _, auth = enrolled()
    turn_on_pin(client)
    client.post_form("/account/pin/remove", page="/account/passkeys")
    client.post_form("/sign-out", page="/home")
    assert passkey_sign_in(client, auth)[0].get_json()["redirect"] == "/home"


def test_pin_page_without_a_session_goes_to_sign_in(client):
    assert client.get("/pin").headers["Location"] == "/sign-in"


def test_audit_events_hold_no_secrets(app, enrolled):
    client, user, auth = enrolled(pseudonym="Secretname")
    turn_on_pin(client, "97531")
    client.post_form("/sign-out", page="/home")
    passkey_sign_in(client, auth)
    assert client.post_form("/pin", {"pin": "13579"}, page="/pin").status_code == 422
    code = lock_account(user, actor=None, reason="test")
    events = list(db.session.scalars(select(AuditEvent)))
    assert {"passkey_added", "enrolled", "sign_in", "pin_set", "pin_failed", "account_locked"} <= {
        e.action for e in events
    }
    for event in events:
        for secret in ("Secretname", "97531", "13579", code, code.replace("-", "")):
            assert secret not in event.detail
