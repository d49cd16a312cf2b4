"""Usernameless passkey sign-in, checked the strict way on the server."""

from __future__ import annotations

import time

from sqlalchemy import select

from survivorapp.accounts import passkeys
from survivorapp.accounts.lockout import lock_account
from survivorapp.accounts.models import Passkey
from survivorapp.extensions import db
from survivorapp.security.audit import AuditEvent
from tests.accounts.conftest import passkey_sign_in, post_json

GENERIC = "That did not work."


def failures() -> list[dict]:
    rows = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "sign_in_failed"))
    return [r.details for r in rows]


def signed_out(enrolled):
    client, user, auth = enrolled()
    client.post_form("/sign-out", page="/home")
    assert client.get("/home").status_code == 302
    return client, user, auth


def test_sign_in_options_are_usernameless_and_require_verification(client):
    body = post_json(client, "/sign-in/options").get_json()
    assert body["allowCredentials"] == []
    assert body["userVerification"] == "required"
    assert body["rpId"] == "localhost"


def test_sign_in_with_a_passkey_rotates_the_session_and_lands_home(app, enrolled):
    client, user, auth = signed_out(enrolled)
    options = post_json(client, "/sign-in/options").get_json()
    before = client.get_cookie("sid").value  # the anonymous session holding the challenge
    response = post_json(client, "/sign-in/verify", auth.get(options))
    assert response.status_code == 200
    assert response.get_json()["redirect"] == "/home"
    assert client.get_cookie("sid").value != before  # a fresh session id at sign-in
    assert client.get("/home").status_code == 200
    passkey = db.session.scalar(select(Passkey).where(Passkey.user_id == user.id))
    assert passkey.sign_count == 1 and passkey.last_used_at is not None
    sign_ins = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "sign_in"))
    assert any(e.details.get("method") == "passkey" for e in sign_ins)


def test_each_role_lands_on_its_own_home(app, enrolled, soft):
    for role, home in (("staff", "/staff"), ("admin", "/admin"), ("mentor", "/mentor")):
        client, _, auth = enrolled(pseudonym=role, role=role)
        client.post_form("/sign-out", page=home)
        response, _ = passkey_sign_in(client, auth)
        assert response.get_json()["redirect"] == home


def test_missing_user_verification_is_refused(enrolled):
    client, _, auth = signed_out(enrolled)
    response, _ = passkey_sign_in(client, auth, uv=False)
    assert response.status_code == 400
    assert GENERIC in response.get_json()["error"]
    assert client.get("/home").status_code == 302
    assert failures()[-1]["reason"] == "assertion_invalid"


def test_a_replayed_assertion_is_refused(enrolled):
    client, _, auth = signed_out(enrolled)
    response, assertion = passkey_sign_in(client, auth)
    assert response.status_code == 200
    attacker = client.application.test_client()
    post_json(attacker, "/sign-in/options")  # a fresh challenge of the attacker's own
    replay = post_json(attacker, "/sign-in/verify", assertion)
    assert replay.status_code == 400
    assert attacker.get("/home").status_code == 302


def test_a_challenge_answers_once(enrolled):
    client, _, auth = signed_out(enrolled)
    options = post_json(client, "/sign-in/options").get_json()
    assertion = auth.get(options)
    assert post_json(client, "/sign-in/verify", assertion).status_code == 200
    client.post_form("/sign-out", page="/home")
    # The same response again, with no new challenge asked for: refused.
    assert post_json(client, "/sign-in/verify", assertion).status_code == 400
    assert failures()[-1]["reason"] == "no_challenge"


def test_one_challenge_answered_twice_at_once_signs_in_once(app, enrolled, monkeypatch):
    """A synced passkey's count stays 0, so only the challenge stops a response sent twice in
    parallel with the same cookie (a double tap, or an attacker racing the person)."""
    import threading

    from survivorapp.security.sessions import DbSessionInterface
    from tests.accounts.authenticator import SoftAuthenticator

    synced = SoftAuthenticator(app.config["ORIGIN"], counter=False, synced=True)
    client, _, _ = enrolled(auth=synced)
    client.post_form("/sign-out", page="/home")
    token = client.csrf_token("/sign-in")
    options = client.post("/sign-in/options", json={}, headers={"X-CSRFToken": token})
    assertion = synced.get(options.get_json())
    twin = app.test_client()
    twin.set_cookie("sid", client.get_cookie("sid").value)

    def answer(who):
        return who.post("/sign-in/verify", json=assertion, headers={"X-CSRFToken": token})

    opened = DbSessionInterface.open_session
    answers = []

    def twin_answers_meanwhile(self, app_, request):
        sess = opened(self, app_, request)
        if request.path == "/sign-in/verify" and not answers:
            answers.append(None)
            db.session.rollback()  # the first has read its session; it holds no lock
            twin_thread = threading.Thread(target=lambda: answers.append(answer(twin)))
            twin_thread.start()
            twin_thread.join(30)
        return sess

    monkeypatch.setattr(DbSessionInterface, "open_session", twin_answers_meanwhile)
    first = answer(client)
    codes = sorted([first.status_code, answers[1].status_code])
    assert codes == [200, 400]
    assert failures()[-1]["reason"] == "no_challenge"


def test_an_expired_challenge_is_refused(enrolled, monkeypatch):
    client, _, auth = signed_out(enrolled)
    options = post_json(client, "/sign-in/options").get_json()
    later = time.time() + passkeys.CHALLENGE_SECONDS + 1
    monkeypatch.setattr(passkeys.time, "time", lambda: later)
    response = post_json(client, "/sign-in/verify", auth.get(options))
    assert response.status_code == 400
    assert failures()[-1]["reason"] == "challenge_expired"


def test_a_sign_count_that_goes_backwards_is_refused_and_logged(enrolled):
    client, user, auth = signed_out(enrolled)
    assert passkey_sign_in(client, auth, sign_count=7)[0].status_code == 200
    client.post_form("/sign-out", page="/home")
    response, _ = passkey_sign_in(client, auth, sign_count=7)  # not greater: a clone?
    assert response.status_code == 400
    assert failures()[-1]["reason"] == "sign_count_regression"
    response, _ = passkey_sign_in(client, auth, sign_count=3)
    assert response.status_code == 400
    passkey = db.session.scalar(select(Passkey).where(Passkey.user_id == user.id))
    assert passkey.sign_count == 7


def test_counts_that_stay_zero_are_accepted(app, enrolled):
    from tests.accounts.authenticator import SoftAuthenticator

    synced = SoftAuthenticator(app.config["ORIGIN"], counter=False, synced=True)
    client, user, _ = enrolled(auth=synced)
    for _ in range(3):
        client.post_form("/sign-out", page="/home")
        assert passkey_sign_in(client, synced)[0].status_code == 200
    passkey = db.session.scalar(select(Passkey).where(Passkey.user_id == user.id))
    assert passkey.sign_count == 0
    assert passkey.backup_eligible and passkey.backup_state


def test_unknown_and_revoked_passkeys_get_the_same_message(app, enrolled, soft):
    from tests.accounts.authenticator import SoftAuthenticator

    client, user, auth = signed_out(enrolled)
    stranger = SoftAuthenticator(app.config["ORIGIN"])
    stranger.create({"rp": {"id": "localhost"}, "user": {"id": "AAAA"}, "challenge": "AAAA"})
    unknown, _ = passkey_sign_in(client, stranger)
    lock_account(user, actor=None, reason="test", issue=False)
    revoked, _ = passkey_sign_in(client, auth)
    assert unknown.status_code == revoked.status_code == 400
    assert unknown.get_json() == revoked.get_json()
    assert [f["reason"] for f in failures()][-2:] == ["unknown_passkey", "revoked_passkey"]


def test_a_signature_from_the_wrong_key_is_refused(enrolled):
    client, _, auth = signed_out(enrolled)
    cred = auth.last_created
    options = post_json(client, "/sign-in/options").get_json()
    assertion = auth.get(options)
    assertion["response"]["signature"] = assertion["response"]["signature"][::-1]
    assert post_json(client, "/sign-in/verify", assertion).status_code == 400
    assert cred is not None


def test_malformed_sign_in_responses_never_fail_loudly(client):
    token = client.csrf_token()
    for body in (None, [], {"rawId": 5}, {"rawId": "!!!"}, {"id": "x", "rawId": "AAAA"}):
        post_json(client, "/sign-in/options")
        response = client.post("/sign-in/verify", json=body, headers={"X-CSRFToken": token})
        assert response.status_code == 400
    response = client.post(
        "/sign-in/verify",
        data="x" * 1000,
        headers={"X-CSRFToken": token},
        content_type="application/json",
    )
    assert response.status_code == 400


def test_sign_in_needs_a_csrf_token(client):
    assert client.post("/sign-in/options", json={}).status_code == 400


def test_a_known_passkey_with_a_malformed_response_is_refused(enrolled):
    client, _, auth = signed_out(enrolled)
    options = post_json(client, "/sign-in/options").get_json()
    assertion = auth.get(options)
    for broken in ([], "x", {"userHandle": 5}):
        post_json(client, "/sign-in/options")
        response = post_json(client, "/sign-in/verify", {**assertion, "response": broken})
        assert response.status_code == 400
