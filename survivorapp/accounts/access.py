"""What a page of accounts may open: the signed-in person's own passkey, a code's survivor,
a demo link's person; else 404."""

from __future__ import annotations

from flask import abort, current_app, make_response, render_template, request
from sqlalchemy import select

from ..database import find_or_404
from .codes import owner_of
from .devices import may_shut_out
from .models import EnrolmentCode, Passkey, Role, User


def get_passkey_or_404(public_id: object, user: User) -> Passkey:
    mine = select(Passkey).where(Passkey.user_id == user.id, Passkey.revoked_at.is_(None))
    return find_or_404(mine, Passkey.public_id, public_id)


def refuse_if_unconfirmed(user: User, passkey: Passkey | None = None) -> None:
    """A session opened with a passkey nobody has confirmed yet cannot shut out the others
    (devices.may_shut_out): it is answered with its notice, 403."""
    if not may_shut_out(user, passkey):
        abort(make_response(render_template("accounts/unconfirmed.html"), 403))


def survivor_of_code_or_404(row: EnrolmentCode) -> User:
    """The survivor a working code is for (only a survivor's enrolment has sharing choices)."""
    person = owner_of(row)
    if person is None or not person.has_role(Role.SURVIVOR):
        abort(404)
    return person


LOOPBACK = {"127.0.0.1", "::1"}


def demo_links_allowed(app) -> bool:
    """Demo sign-in links (accounts/dev.py) exist only in debug mode with a localhost origin."""
    return bool(app.debug) and app.config["RP_ID"] == "localhost"


def demo_person_or_404(public_id: object) -> User:
    """The active person a demo sign-in link names. Even where the links exist they answer
    only a request from this machine; to any other there is no such page."""
    if not (demo_links_allowed(current_app) and request.remote_addr in LOOPBACK):
        abort(404)
    active = select(User).where(User.disabled_at.is_(None))
    return find_or_404(active, User.public_id, public_id)
