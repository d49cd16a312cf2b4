"""The account and its session: load, create, sign in and sign out. The rest of accounts is
split by concern: codes.py, passkeys.py, devices.py, lockout.py, pin.py, privacy.py."""

from __future__ import annotations

from datetime import datetime

from flask import session
from flask_login import login_user, logout_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..database import utcnow
from ..extensions import db, login_manager
from ..security import audit
from ..security.sessions import end_session, rotate_session
from .models import Passkey, Role, User


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    try:
        user_id = int(user_id)
    except (TypeError, ValueError):
        return None
    # One query for the person, their roles and their PIN settings: every page needs all three.
    user = (
        db.session.execute(
            select(User)
            .options(joinedload(User.role_rows), joinedload(User.security))
            .where(User.id == user_id)
        )
        .unique()
        .scalar_one_or_none()
    )
    return user if user is not None and user.is_active else None


def create_user(
    pseudonym: str, roles: list[Role | str], *, timezone: str = "UTC", locale: str | None = None
) -> User:
    user = User(pseudonym=pseudonym, timezone=timezone, locale=locale)
    for role in roles:
        user.add_role(role)
    db.session.add(user)
    db.session.flush()
    return user


def start_session(user: User, *, method: str, passkey: Passkey | None = None) -> None:
    """Sign a person in: a fresh session id, then the user id in the server-side session."""
    rotate_session()
    login_user(user)
    session.pop("pin_ok", None)
    if passkey is not None:
        session["passkey_id"] = passkey.id
        if passkey.notice_pending:  # see devices.session_unconfirmed
            session["unconfirmed"] = True
    session["signed_in_at"] = utcnow().isoformat()
    audit.record("sign_in", actor=user, subject=user, method=method)


def signed_in_at() -> datetime | None:
    raw = session.get("signed_in_at")
    try:
        return datetime.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        return None


def finish_session(user: User | None) -> None:
    if user is not None and user.is_authenticated:
        audit.record("sign_out", actor=user, subject=user)
    logout_user()
    end_session()
