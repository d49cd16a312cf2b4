"""Lost or taken phone: lock an account (by its owner, by staff, or after wrong PINs)."""

from __future__ import annotations

from flask import session
from sqlalchemy import update

from ..database import utcnow
from ..extensions import db
from ..security import audit
from ..security.sessions import end_user_sessions
from .codes import expire_codes, issue_code
from .events import account_locked
from .models import AccountSecurity, Passkey, User
from .passkeys import active_passkeys


def security_of(user: User) -> AccountSecurity:
    row = db.session.get(AccountSecurity, user.id)
    if row is None:
        row = AccountSecurity(user_id=user.id, pin_failures=0)
        db.session.add(row)
    return row


def lock_account(
    user: User,
    *,
    actor: User | None,
    reason: str,
    keep_passkey_id: int | None = None,
    issue: bool = True,
) -> str | None:
    """Lost or taken phone: revoke passkeys, end sessions at once, and (normally) issue a fresh
    enrolment code for re-enrolment in person. Returns that code."""
    now = utcnow()
    stmt = update(Passkey).where(Passkey.user_id == user.id, Passkey.revoked_at.is_(None))
    if keep_passkey_id is not None:
        stmt = stmt.where(Passkey.id != keep_passkey_id)
    revoked = db.session.execute(stmt.values(revoked_at=now, notice_pending=False)).rowcount
    keep_current = actor is not None and actor.id == user.id  # self-lock: this device stays
    ended = end_user_sessions(user.id, keep_current=keep_current)
    security = security_of(user)
    security.pin_failures = 0
    security.locked_at = now
    account_locked.send(user, keep_passkey_id=keep_passkey_id)
    audit.record(
        "account_locked",
        actor=actor,
        subject=user,
        admin_action=audit.by_admin(actor, user),
        reason=reason,
        passkeys_revoked=revoked,
        sessions_ended=ended,
    )
    if not issue:
        expire_codes(user, now)
        return None
    return issue_code(user, actor=actor)


def lock_from_another_device(user: User) -> str | None:
    """A person locks out a lost phone from a device they still hold: every other passkey and
    session ends; the passkey this session signed in with keeps working. If this session did
    not sign in with a passkey, everything is revoked and a fresh code is shown."""
    keep = session.get("passkey_id")
    keep_ok = keep is not None and any(p.id == keep for p in active_passkeys(user))
    return lock_account(
        user,
        actor=user,
        reason="self",
        keep_passkey_id=keep if keep_ok else None,
        issue=not keep_ok,
    )
