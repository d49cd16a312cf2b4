"""Accounts' part of a person's export and erasure (issue 9)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update

from ..extensions import db
from ..privacy.registry import eraser, exporter
from .models import AccountSecurity, EnrolmentCode, Passkey, User
from .pin import has_pin

# Sessions are exported and erased by privacy core (survivorapp/privacy/core.py). Passkeys,
# enrolment codes and the account security row cascade with the user row (ON DELETE CASCADE);
# codes someone issued for others keep the code but lose the link (SET NULL). The erasers
# below do the same explicitly so deletion does not depend on the database enforcing keys.


@exporter("passkeys", label=_l("Passkeys"), order=6)
def export_passkeys(user: User) -> list[dict]:
    """Nickname and dates only: never the credential id or the public key."""
    rows = db.session.scalars(
        select(Passkey).where(Passkey.user_id == user.id).order_by(Passkey.created_at, Passkey.id)
    )
    return [
        {
            _l("Name"): p.nickname,
            _l("Added"): p.created_at,
            _l("Last used"): p.last_used_at,
            _l("Synced between devices"): bool(p.backup_state),
            _l("Removed"): p.revoked_at,
        }
        for p in rows
    ]


@exporter("enrolment_codes", label=_l("Sign-in codes"), order=7)
def export_enrolment_codes(user: User) -> list[dict]:
    """That a code was issued and used, and when: never the code."""
    rows = db.session.scalars(
        select(EnrolmentCode)
        .where(EnrolmentCode.user_id == user.id)
        .order_by(EnrolmentCode.created_at, EnrolmentCode.id)
    )
    return [
        {
            _l("Issued"): c.created_at,
            _l("Issued by"): _l("You") if c.created_by_id == user.id else _l("The team"),
            _l("Expires"): c.expires_at,
            _l("Used"): c.used_at,
        }
        for c in rows
    ]


@exporter("app_pin", label=_l("App PIN"), order=8)
def export_pin(user: User) -> list[dict]:
    """Only whether a PIN is set."""
    return [{_l("A PIN is set"): has_pin(user)}]


@eraser("accounts")
def erase_account_rows(user: User) -> None:
    db.session.execute(delete(Passkey).where(Passkey.user_id == user.id))
    db.session.execute(delete(EnrolmentCode).where(EnrolmentCode.user_id == user.id))
    db.session.execute(
        update(EnrolmentCode)
        .where(EnrolmentCode.created_by_id == user.id)
        .values(created_by_id=None)
    )
    db.session.execute(delete(AccountSecurity).where(AccountSecurity.user_id == user.id))
