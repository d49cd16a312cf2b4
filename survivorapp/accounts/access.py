"""What a page of accounts may open: the signed-in person's own passkey, a code's survivor;
else 404."""

from __future__ import annotations

from flask import abort, make_response, render_template
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
