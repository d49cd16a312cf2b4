"""The app PIN: a second code after the passkey, locking the account after wrong guesses."""

from __future__ import annotations

from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import Argon2Error, InvalidHashError
from flask import session
from flask_login import current_user
from sqlalchemy import update

from ..extensions import db
from ..security import audit
from .lockout import lock_account, security_of
from .models import AccountSecurity, User
from .services import signed_in_at

PIN_MAX_FAILURES = 5
_hasher = PasswordHasher()


def has_pin(user: User) -> bool:
    row = user.security
    return row is not None and row.pin_hash is not None


def set_pin(user: User, pin: str) -> None:
    security = security_of(user)
    security.pin_hash = _hasher.hash(pin)
    security.pin_failures = 0
    session["pin_ok"] = True
    audit.record("pin_set", actor=user, subject=user)


def remove_pin(user: User) -> None:
    security = security_of(user)
    security.pin_hash = None
    security.pin_failures = 0
    audit.record("pin_removed", actor=user, subject=user)


def check_pin(user: User, pin: object) -> str:
    """ "ok", "wrong" or "locked" (after PIN_MAX_FAILURES wrong PINs in a row)."""
    security = security_of(user)
    db.session.flush()
    good = False
    if security.pin_hash and isinstance(pin, str) and 0 < len(pin) <= 64:
        try:
            good = _hasher.verify(security.pin_hash, pin.strip())
        except (Argon2Error, InvalidHashError):
            good = False
    if good:
        security.pin_failures = 0
        session["pin_ok"] = True
        return "ok"
    failures = _count_pin_failure(user)
    db.session.expire(security)  # the count changed in the database, not in this object
    if failures is None:  # locked by a parallel guess while this one was checked
        db.session.rollback()
        return "locked"
    audit.record("pin_failed", actor=user, subject=user, failures=failures)
    if failures >= PIN_MAX_FAILURES:
        lock_account(user, actor=None, reason="pin_failures", issue=False)
    # Committed now: the wrong PIN (and a lock) must count although the answer refuses (4xx).
    db.session.commit()
    return "locked" if failures >= PIN_MAX_FAILURES else "wrong"


def _count_pin_failure(user: User) -> int | None:
    """Add one wrong PIN in the database itself, so parallel guesses each count (a read, then
    a write, lost all but one of ten): the row stays locked until this request commits. None
    when the account was locked since this session began (its guesses count no more)."""
    stmt = (
        update(AccountSecurity)
        .where(AccountSecurity.user_id == user.id)
        .values(pin_failures=AccountSecurity.pin_failures + 1)
        .returning(AccountSecurity.pin_failures)
        .execution_options(synchronize_session=False)
    )
    began = _session_began()
    if began is not None:
        stmt = stmt.where(
            (AccountSecurity.locked_at.is_(None)) | (AccountSecurity.locked_at < began)
        )
    return db.session.scalar(stmt)


def _session_began() -> datetime | None:
    row = getattr(session, "row", None)
    return signed_in_at() or (row.created_at if row is not None else None)


def pin_due() -> bool:
    """True when the signed-in person has an app PIN this session has not yet checked."""
    if not current_user.is_authenticated or session.get("pin_ok"):
        return False
    return has_pin(current_user)
