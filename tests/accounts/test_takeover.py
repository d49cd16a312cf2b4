"""Issue 21: nobody takes over an account silently. Each test plays an attack: someone who
added their own passkey to a phone left signed in (or who enrolled with a staff-issued code
while the owner's passkeys still work) tries to lock, erase or watch the owner."""

from __future__ import annotations

import re
import threading

import pytest
from sqlalchemy import select

from survivorapp.accounts.models import AccountSecurity, Passkey, Role, User
from survivorapp.accounts.pin import PIN_MAX_FAILURES
from survivorapp.appointments.models import CalendarFeed
from survivorapp.extensions import db
from survivorapp.people import caseload
from survivorapp.security.sessions import UserSession
from tests.accounts.authenticator import SoftAuthenticator
from tests.accounts.conftest import add_passkey, enrol, passkey_sign_in
from tests.helpers import sign_in

NOTICE = "/account/new-passkey"


def active(user) -> list[Passkey]:
    return list(
        db.session.scalars(
            select(Passkey).where(Passkey.user_id == user.id, Passkey.revoked_at.is_(None))
        )
    )


@pytest.fixture
def intruder(app, enrolled):
    """(owner's client, owner, intruder's client): the intruder added a passkey on the owner's
    unlocked phone, then signed in with it on their own device."""
    phone, user, _ = enrolled()
    intruder_auth = SoftAuthenticator(app.config["ORIGIN"])
    add_passkey(phone, intruder_auth)
    other = app.test_client()
    response, _ = passkey_sign_in(other, intruder_auth)
    assert response.get_json()["redirect"] == NOTICE
    return phone, user, other


def feed_on(user) -> bool:
    db.session.expire_all()
    feed = db.session.get(CalendarFeed, user.id)
    return feed is not None and feed.token_hash is not None


# Every way the issue found to lock out, erase or watch the owner from such a session.
ATTACKS = [
    ("/privacy/delete", {"confirm": "DELETE"}),
    ("/account/pin", {"pin": "123456", "confirm": "123456"}),
    ("/account/pin/remove", {}),
    ("/account/sessions/end-others", {}),
    ("/calendar/address", {}),
    ("/calendar", {"title": "Gym"}),
    ("/privacy/sharing", {}),
    ("/account/lock", {}),
]


@pytest.mark.parametrize(("url", "form"), ATTACKS, ids=[a[0] for a in ATTACKS])
def test_an_unconfirmed_passkey_changes_nothing(intruder, url, form):
    phone, user, other = intruder
    refused = other.post_form(url, form, page=NOTICE)
    assert refused.status_code == 403
    assert "not confirmed yet" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id) is not None  # not erased
    security = db.session.get(AccountSecurity, user.id)
    assert security is None or (security.pin_hash is None and security.locked_at is None)
    assert not feed_on(user)
    assert db.session.get(CalendarFeed, user.id) is None  # no settings written either
    assert len(active(user)) == 2
    assert phone.get("/home").status_code == 200  # the owner is still signed in


@pytest.mark.parametrize(
    "url", ["/home", "/goals/", "/appointments", "/privacy/export", "/account/sessions"]
)
def test_an_unconfirmed_passkey_reads_nothing_but_its_notice(intruder, url):
    _, _, other = intruder
    response = other.get(url)
    assert response.status_code == 302
    assert response.headers["Location"] == NOTICE
    notice = other.get(NOTICE).get_data(as_text=True)
    assert "A new passkey was added" in notice
    assert 'aria-label="Main"' not in notice  # no navigation into the account
    assert other.get("/privacy/export/my-data.json").status_code == 302
    htmx = other.get(url, headers={"HX-Request": "true"})
    assert htmx.status_code == 401 and htmx.headers["HX-Redirect"] == NOTICE


def test_once_an_older_passkey_confirms_it_the_new_session_is_free(app, enrolled):
    phone, _, owner_auth = enrolled()
    intruder_auth = SoftAuthenticator(app.config["ORIGIN"])
    add_passkey(phone, intruder_auth)
    other = app.test_client()
    passkey_sign_in(other, intruder_auth)
    # The phone's own session cannot confirm (it may be the intruder's hands on it) ...
    phone.post_form(NOTICE, page=NOTICE)
    assert other.get("/home").headers["Location"] == NOTICE
    # ... a fresh sign-in with the older passkey can.
    phone.post_form("/sign-out", page="/home")
    passkey_sign_in(phone, owner_auth)
    phone.post_form(NOTICE, page=NOTICE)
    assert other.get("/home").status_code == 200


def test_a_code_enrolled_while_her_passkeys_work_opens_only_the_notice(app, enrolled, as_role):
    """Staff issue a new code and enrol their own passkey with it: that session is held at
    the notice until she confirms it, and she is told at her next sign-in."""
    phone, user, owner_auth = enrolled()
    staff, worker = as_role("staff")
    caseload.assign(worker, user, actor=worker)
    db.session.commit()
    made = staff.post_form(f"/people/{user.public_id}/new-code", page="/people")
    assert made.status_code == 303
    page = staff.get(made.headers["Location"]).get_data(as_text=True)
    code = re.search(r"enrol\?code=([0-9A-Z-]+)", page).group(1)
    insider = app.test_client()
    assert enrol(insider, code, SoftAuthenticator(app.config["ORIGIN"])).status_code == 200
    for url in ("/home", "/goals/", "/appointments", "/privacy/export"):
        assert insider.get(url).headers["Location"] == NOTICE
    assert insider.post_form("/account/pin", {"pin": "1234", "confirm": "1234"}, page=NOTICE)
    assert db.session.get(AccountSecurity, user.id) is None
    # She is told when she next signs in.
    phone.post_form("/sign-out", page="/home")
    assert passkey_sign_in(phone, owner_auth)[0].get_json()["redirect"] == NOTICE


def test_removing_a_passkey_ends_its_sessions_and_its_export(intruder):
    phone, user, other = intruder
    theirs = next(p for p in active(user) if p.notice_pending)
    assert db.session.scalar(select(UserSession.id).where(UserSession.passkey_id == theirs.id)), (
        "the intruder's session knows its passkey"
    )
    url = f"/account/passkeys/{theirs.public_id}/remove"
    assert phone.post_form(url, page="/account/passkeys").status_code == 303
    assert db.session.scalar(select(UserSession).where(UserSession.passkey_id == theirs.id)) is None
    for url in ("/home", "/privacy/export/my-data.json", NOTICE):
        assert other.get(url).headers["Location"].endswith("/sign-in")
    assert phone.get("/home").status_code == 200


def test_a_calendar_address_ends_with_the_passkey_that_made_it(app, enrolled):
    """The owner's second phone (confirmed) turned the calendar address on, then was lost;
    removing its passkey from the first phone stops the address at once."""
    first, user, first_auth = enrolled()
    second_auth = SoftAuthenticator(app.config["ORIGIN"])
    add_passkey(first, second_auth)
    first.post_form("/sign-out", page="/home")
    passkey_sign_in(first, first_auth)
    first.post_form(NOTICE, page=NOTICE)
    second = app.test_client()
    passkey_sign_in(second, second_auth)
    page = second.post_form("/calendar/address", page="/calendar").get_data(as_text=True)
    address = page.split("/calendar/feed.ics?key=")[1].split('"')[0].split("<")[0]
    assert second.get(f"/calendar/feed.ics?key={address}").status_code == 200
    lost = next(p for p in active(user) if p.credential_id == second_auth.last_created.id)
    first.post_form(f"/account/passkeys/{lost.public_id}/remove", page="/account/passkeys")
    assert second.get(f"/calendar/feed.ics?key={address}").status_code == 404
    assert not feed_on(user)
    # One turned on from this phone stays on.
    page = first.post_form("/calendar/address", page="/calendar").get_data(as_text=True)
    address = page.split("/calendar/feed.ics?key=")[1].split('"')[0].split("<")[0]
    assert first.get(f"/calendar/feed.ics?key={address}").status_code == 200


def test_ending_other_sessions_offers_to_end_the_calendar_address(app, as_role):
    client, user = as_role("survivor")
    client.post_form("/calendar/address", page="/calendar")
    elsewhere = app.test_client()
    sign_in(elsewhere, user)
    page = client.get("/account/sessions").get_data(as_text=True)
    assert 'name="end_feed"' in page
    client.post_form("/account/sessions/end-others", page="/account/sessions")
    assert feed_on(user)
    client.post_form("/account/sessions/end-others", {"end_feed": "1"}, page="/account/sessions")
    assert not feed_on(user)
    assert 'name="end_feed"' not in client.get("/account/sessions").get_data(as_text=True)


def test_parallel_wrong_pins_each_count_and_lock_at_the_limit(app, enrolled):
    """Ten wrong PINs at once: each is counted in the database, at most PIN_MAX_FAILURES - 1
    are answered "wrong", and the account is locked (its passkeys revoked)."""
    client, user, auth = enrolled()
    client.post_form("/account/pin", {"pin": "246810", "confirm": "246810"}, page="/account/pin")
    client.post_form("/sign-out", page="/home")
    assert passkey_sign_in(client, auth)[0].get_json()["redirect"] == "/pin"
    token = client.csrf_token("/pin")
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    statuses: list[int] = []
    start = threading.Barrier(10)

    def guess() -> None:
        guesser = app.test_client()
        guesser.set_cookie(cookie.key, cookie.value, domain=cookie.domain)
        start.wait()
        statuses.append(
            guesser.post("/pin", data={"pin": "000000", "csrf_token": token}).status_code
        )

    threads = [threading.Thread(target=guess) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # 403: this guess locked the account; 400: it came after the lock, with no session left.
    assert 403 in statuses and set(statuses) <= {400, 403, 422}, statuses
    assert statuses.count(422) <= PIN_MAX_FAILURES - 1, statuses
    db.session.expire_all()
    assert db.session.get(AccountSecurity, user.id).locked_at is not None
    assert active(user) == []
    assert user.has_role(Role.SURVIVOR)
