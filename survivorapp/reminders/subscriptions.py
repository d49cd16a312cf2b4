"""Which devices get reminders: turning them on for this device, listing and turning off,
and ending a device's subscription when its passkey goes, the account is locked, or quick
exit is used on it."""

from __future__ import annotations

import hashlib

from sqlalchemy import delete, select

from ..accounts.events import account_locked, device_left, passkey_removed
from ..accounts.models import Passkey, User
from ..database import utcnow
from ..extensions import db
from ..security import audit
from .models import PushSubscription


def endpoint_hash(endpoint: str) -> str:
    return hashlib.sha256(endpoint.encode()).hexdigest()


def subscribe(
    user: User, *, endpoint: str, p256dh: str, auth: str, passkey_id: int | None, device: str
) -> PushSubscription:
    """Turn reminders on for this device. A browser that subscribes again (or that another
    account used before on this phone) keeps one row, now this person's."""
    digest, user_id = endpoint_hash(endpoint), user.id  # read first: reading may flush
    row = db.session.scalar(
        select(PushSubscription).where(PushSubscription.endpoint_hash == digest)
    )
    if row is None:
        row = PushSubscription(endpoint_hash=digest, user_id=user_id)
        db.session.add(row)
    row.user_id = user_id
    row.endpoint, row.p256dh, row.auth = endpoint, p256dh, auth
    row.passkey_id, row.device = passkey_id, device
    row.created_at = utcnow()
    audit.record("reminders_device_added", actor=user, subject=user)
    db.session.flush()
    return row


def devices(user: User) -> list[PushSubscription]:
    return list(
        db.session.scalars(
            select(PushSubscription)
            .where(PushSubscription.user_id == user.id)
            .order_by(PushSubscription.created_at)
        )
    )


def get_device(user: User, public_id: str) -> PushSubscription | None:
    return db.session.scalar(
        select(PushSubscription).where(
            PushSubscription.user_id == user.id, PushSubscription.public_id == public_id
        )
    )


def turn_off(user: User, row: PushSubscription) -> None:
    db.session.delete(row)
    audit.record("reminders_device_removed", actor=user, subject=user)


def is_live(row: PushSubscription, user: User, passkeys: dict[int, Passkey]) -> bool:
    """Checked again before every push, whatever the signals below already did: the account
    works, the passkey of the device is not revoked, and it was made after the last lock."""
    if user.disabled_at is not None:
        return False
    if row.passkey_id is not None:
        passkey = passkeys.get(row.passkey_id)
        if passkey is None or passkey.revoked_at is not None:
            return False
    locked_at = user.security.locked_at if user.security else None
    return locked_at is None or row.created_at > locked_at


@passkey_removed.connect
def _ends_with_its_passkey(user: User, passkey_id: int, **_) -> None:
    db.session.execute(
        delete(PushSubscription).where(
            PushSubscription.user_id == user.id, PushSubscription.passkey_id == passkey_id
        )
    )


@account_locked.connect
def _ends_on_lock(user: User, keep_passkey_id: int | None = None, **_) -> None:
    """A lock ends every device's reminders but the one in the person's hand, if they
    locked a lost phone from it."""
    stmt = delete(PushSubscription).where(PushSubscription.user_id == user.id)
    if keep_passkey_id is not None:
        stmt = stmt.where(
            (PushSubscription.passkey_id != keep_passkey_id) | PushSubscription.passkey_id.is_(None)
        )
    db.session.execute(stmt)


@device_left.connect
def _ends_on_quick_exit(user: User, passkey_id: int | None = None, **_) -> None:
    """Quick exit: this device gets nothing more. Without a passkey (a session opened by a
    demo link), the subscriptions made without one go."""
    device = (
        PushSubscription.passkey_id == passkey_id
        if passkey_id is not None
        else PushSubscription.passkey_id.is_(None)
    )
    db.session.execute(delete(PushSubscription).where(PushSubscription.user_id == user.id, device))
