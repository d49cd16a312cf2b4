"""Devices (passkeys) and sessions pages; the new-passkey notice."""

from __future__ import annotations

from sqlalchemy import select

from survivorapp.accounts.models import Passkey
from survivorapp.extensions import db
from survivorapp.security.audit import AuditEvent
from survivorapp.security.sessions import UserSession
from tests.accounts.authenticator import SoftAuthenticator
from tests.accounts.conftest import add_passkey, passkey_sign_in, post_json
from tests.helpers import b64


def active(user) -> list[Passkey]:
    return list(
        db.session.scalars(
            select(Passkey).where(Passkey.user_id == user.id, Passkey.revoked_at.is_(None))
        )
    )


def audited(action: str) -> int:
    return len(list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action))))


def test_devices_page_lists_passkeys_with_cloud_warning(app, enrolled):
    synced = SoftAuthenticator(app.config["ORIGIN"], synced=True)
    client, _, _ = enrolled(auth=synced)
    html = client.get("/account/passkeys").get_data(as_text=True)
    assert "Added " in html and "Last used " in html
    assert "Syncs to a cloud account" in html
    assert "Whoever controls that cloud account can also use this passkey." in html
    assert "app PIN" in html  # the one plain sentence about the PIN


def test_add_a_second_passkey_excludes_the_first_and_shows_a_notice(app, enrolled):
    client, user, first = enrolled()
    options = post_json(client, "/account/passkeys/options", page="/account/passkeys").get_json()
    excluded = [c["id"] for c in options["excludeCredentials"]]
    assert excluded == [b64(first.last_created.id)]
    second = SoftAuthenticator(app.config["ORIGIN"])
    assert (
        post_json(
            client, "/account/passkeys/verify", second.create(options), page="/account/passkeys"
        ).status_code
        == 200
    )
    assert len(active(user)) == 2
    # The session it was added in cannot confirm it: that may be someone holding the phone.
    client.post_form("/account/new-passkey", page="/home")
    assert active(user)[1].notice_pending
    # Nor can the new passkey confirm itself while an older one is there.
    newcomer = app.test_client()
    assert passkey_sign_in(newcomer, second)[0].get_json()["redirect"] == "/account/new-passkey"
    html = newcomer.get("/account/new-passkey").get_data(as_text=True)
    assert "sign in with a passkey you had before it was added" in html
    assert "opens nothing else until it is confirmed" in html
    assert "Yes, I added it</button>" not in html
    newcomer.post_form("/account/new-passkey", page="/account/new-passkey")
    assert active(user)[1].notice_pending
    # Every later sign-in shows the notice until it is acknowledged.
    for _ in range(2):
        client.post_form("/sign-out", page="/home")
        response, _ = passkey_sign_in(client, first)
        assert response.get_json()["redirect"] == "/account/new-passkey"
        html = client.get("/account/new-passkey").get_data(as_text=True)
        assert "A new passkey was added on" in html and "Yes, I added it" in html
    done = client.post_form("/account/new-passkey", page="/account/new-passkey")
    assert done.headers["Location"] == "/home"
    client.post_form("/sign-out", page="/home")
    response, _ = passkey_sign_in(client, second)
    assert response.get_json()["redirect"] == "/home"


def test_adding_a_passkey_without_user_verification_is_refused(app, enrolled):
    client, user, _ = enrolled()
    other = SoftAuthenticator(app.config["ORIGIN"])
    assert add_passkey(client, other, uv=False).status_code == 400
    assert len(active(user)) == 1


def test_rename_a_passkey(enrolled):
    client, user, _ = enrolled()
    passkey = active(user)[0]
    url = f"/account/passkeys/{passkey.public_id}/rename"
    ok = client.post_form(url, {"nickname": "  My   phone "}, page="/account/passkeys")
    assert ok.status_code == 303
    db.session.refresh(passkey)
    assert passkey.nickname == "My phone"
    assert "My phone" in client.get("/account/passkeys").get_data(as_text=True)
    bad = client.post_form(url, {"nickname": "x" * 500}, page="/account/passkeys")
    assert bad.status_code == 422
    assert "x" * 200 in bad.get_data(as_text=True)
    assert audited("passkey_renamed") == 1


def test_remove_a_passkey_and_say_plainly_what_removing_the_last_one_means(app, enrolled):
    client, user, first = enrolled()
    second = SoftAuthenticator(app.config["ORIGIN"])
    add_passkey(client, second)
    one, two = active(user)
    page = client.get(f"/account/passkeys/{one.public_id}/remove").get_data(as_text=True)
    assert "only passkey" not in page
    gone = client.post_form(f"/account/passkeys/{one.public_id}/remove", page="/account/passkeys")
    # This session signed in with the removed passkey, so it has ended with it.
    assert gone.headers["Location"].endswith("/sign-in")
    assert client.get("/account/passkeys").headers["Location"].endswith("/sign-in")
    assert [p.id for p in active(user)] == [two.id]
    assert audited("passkey_removed") == 1
    # The removed passkey no longer signs in.
    response, _ = passkey_sign_in(client, first, credential=first.last_created)
    assert response.status_code == 400
    # The one left, with no older passkey to confirm it, confirms itself.
    response, _ = passkey_sign_in(client, second)
    assert response.status_code == 200
    client.post_form("/account/new-passkey", page="/account/new-passkey")
    last = client.get(f"/account/passkeys/{two.public_id}/remove").get_data(as_text=True)
    assert "This is your only passkey" in last


def test_someone_elses_passkey_is_a_404(enrolled):
    client_a, _, _ = enrolled(pseudonym="A")
    _, user_b, _ = enrolled(pseudonym="B")
    theirs = active(user_b)[0]
    assert client_a.get(f"/account/passkeys/{theirs.public_id}/remove").status_code == 404
    response = client_a.post_form(
        f"/account/passkeys/{theirs.public_id}/remove", page="/account/passkeys"
    )
    assert response.status_code == 404
    assert len(active(user_b)) == 1


def test_sessions_list_end_one_and_end_all_others(app, enrolled):
    phone, user, auth = enrolled()
    laptop = app.test_client()
    passkey_sign_in(laptop, auth)
    tablet = app.test_client()
    passkey_sign_in(tablet, auth)
    html = phone.get("/account/sessions").get_data(as_text=True)
    assert html.count('class="card session"') == 3
    assert "This device" in html
    rows = list(db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)))
    laptop_row = next(r for r in rows if r.token_hash == _hash(laptop))
    response = phone.post_form(
        f"/account/sessions/{laptop_row.token_hash[:24]}/end", page="/account/sessions"
    )
    assert response.status_code == 303
    assert laptop.get("/home").status_code == 302
    assert tablet.get("/home").status_code == 200
    phone.post_form("/account/sessions/end-others", page="/account/sessions")
    assert tablet.get("/home").status_code == 302
    assert phone.get("/home").status_code == 200


def test_ending_an_unknown_session_changes_nothing(enrolled):
    client, _, _ = enrolled()
    response = client.post_form("/account/sessions/nope/end", page="/account/sessions")
    assert response.status_code == 303
    assert client.get("/home").status_code == 200


def _hash(client) -> str:
    import hashlib

    return hashlib.sha256(client.get_cookie("sid").value.encode()).hexdigest()
