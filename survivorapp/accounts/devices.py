"""A person's devices: the notice and confirmation of a new passkey, renaming and removing
passkeys, and the list of sessions to end."""

from __future__ import annotations

from flask import g, session
from sqlalchemy import select

from ..database import utcnow
from ..extensions import db
from ..security import audit
from ..security.sessions import (
    UserSession,
    end_passkey_sessions,
    end_user_sessions,
    is_live,
)
from .events import passkey_removed
from .models import Passkey, User
from .passkeys import active_passkeys
from .services import signed_in_at


def pending_notices(user: User) -> list[Passkey]:
    return [p for p in active_passkeys(user) if p.notice_pending]


def can_confirm(user: User, passkey: Passkey, passkeys: list[Passkey]) -> bool:
    """Whether this session may confirm a newly added passkey. Only a sign-in made after it was
    added, with a confirmed passkey the person already had, may: whoever adds their own device
    to a phone left signed in can confirm it neither there nor from that device. Once no older
    passkey is left, the new one may confirm itself."""
    signed_in = signed_in_at()
    own = session.get("passkey_id")
    if signed_in is None or own is None or signed_in <= passkey.created_at:
        return False
    if own == passkey.id:
        return not any(p.created_at < passkey.created_at for p in passkeys if p.id != own)
    return any(p.id == own and not p.notice_pending for p in passkeys)


def confirmable_notices(user: User) -> list[Passkey]:
    passkeys = active_passkeys(user)
    return [p for p in passkeys if p.notice_pending and can_confirm(user, p, passkeys)]


def acknowledge_notices(user: User) -> int:
    confirmed = confirmable_notices(user)
    for passkey in confirmed:
        passkey.notice_pending = False
        audit.record(
            "passkey_notice_acknowledged", actor=user, subject=user, passkey=passkey.public_id
        )
    return len(confirmed)


def current_passkey_id() -> int | None:
    """The passkey this session signed in with (None for a session opened otherwise)."""
    own = session.get("passkey_id")
    return own if isinstance(own, int) else None


def session_unconfirmed() -> bool:
    """Whether this session was opened with a passkey its owner has not confirmed yet: one
    added from a phone left signed in, or enrolled with a code while other passkeys worked.
    Such a session is held at its notice (the gate in accounts/views.py) until a session of an older
    passkey confirms it. Sessions of confirmed passkeys pay no query for this."""
    if not session.get("unconfirmed"):
        return False
    if "unconfirmed" not in g:
        pending = db.session.scalar(
            select(Passkey.notice_pending).where(
                Passkey.id == current_passkey_id(), Passkey.revoked_at.is_(None)
            )
        )
        g.unconfirmed = pending is not False
        if not g.unconfirmed:
            session.pop("unconfirmed", None)  # confirmed since: free from now on
    return g.unconfirmed


def may_shut_out(user: User, passkey: Passkey | None = None) -> bool:
    """Whether this session may remove `passkey` (or, with None, lock out every other device).
    A session opened with a passkey still waiting to be confirmed may remove only that one."""
    own = session.get("passkey_id")
    if passkey is not None and passkey.id == own:
        return True
    return not any(p.id == own and p.notice_pending for p in active_passkeys(user))


def rename_passkey(user: User, passkey: Passkey, nickname: str) -> None:
    passkey.nickname = nickname
    audit.record("passkey_renamed", actor=user, subject=user, passkey=passkey.public_id)


def remove_passkey(user: User, passkey: Passkey) -> bool:
    """Revoke a passkey and end every session opened with it, this one included, and what
    those sessions turned on (events.passkey_removed). True when this session has ended."""
    passkey.revoked_at = utcnow()
    passkey.notice_pending = False
    ended = end_passkey_sessions(passkey.id)
    passkey_removed.send(user, passkey_id=passkey.id)
    audit.record(
        "passkey_removed",
        actor=user,
        subject=user,
        passkey=passkey.public_id,
        sessions_ended=ended,
    )
    return current_passkey_id() == passkey.id


# --- Sessions -------------------------------------------------------------------------------


def session_key(row: UserSession) -> str:
    """A stable, opaque key for a session in URLs (never the row id or the token)."""
    return row.token_hash[:24]


def sessions_of(user: User) -> list[UserSession]:
    now = utcnow()
    rows = db.session.scalars(
        select(UserSession)
        .where(UserSession.user_id == user.id)
        .order_by(UserSession.last_seen_at.desc())
    )
    return [r for r in rows if is_live(r, now)]


def current_session_id() -> int | None:
    row = getattr(session, "row", None)
    return row.id if row is not None else None


def end_one_session(user: User, key: str) -> bool:
    if not isinstance(key, str) or len(key) != 24:
        return False
    rows = [r for r in sessions_of(user) if session_key(r) == key]
    if not rows:
        return False
    db.session.delete(rows[0])
    audit.record("session_ended", actor=user, subject=user)
    return True


def end_other_sessions(user: User) -> int:
    count = end_user_sessions(user.id, keep_current=True)
    audit.record("sessions_ended", actor=user, subject=user, count=count)
    return count
