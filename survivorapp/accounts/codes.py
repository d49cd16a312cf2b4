"""One-time enrolment codes: issue, find, use up, and show once (link and QR code)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

import segno
from flask import current_app, session
from sqlalchemy import select, update

from ..database import utcnow
from ..extensions import db
from ..security import audit
from ..security.crypto import decrypt, encrypt
from ..settings import org_setting
from .models import EnrolmentCode, User

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # no 0/O, 1/I/L, U/V look-alikes kept apart
CODE_LENGTH = 12


def _code_hash(code: str) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()


def normalise_code(raw: object) -> str | None:
    """What a person typed or scanned, as the bare code; None if it cannot be one."""
    if not isinstance(raw, str) or len(raw) > 64:
        return None
    code = "".join(ch for ch in raw.upper() if ch.isalnum())
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return None
    return code


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def expire_codes(user: User, now: datetime) -> None:
    """Any unused code of this person stops working."""
    db.session.execute(
        update(EnrolmentCode)
        .where(EnrolmentCode.user_id == user.id, EnrolmentCode.used_at.is_(None))
        .values(used_at=now)
    )


def issue_code(user: User, *, actor: User | None) -> str:
    """A fresh one-time code for a person; any earlier unused code stops working."""
    now = utcnow()
    expire_codes(user, now)
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    hours = int(org_setting("ENROLMENT_CODE_HOURS"))
    db.session.add(
        EnrolmentCode(
            user_id=user.id,
            code_hash=_code_hash(code),
            created_by_id=getattr(actor, "id", None),
            created_at=now,
            expires_at=now + timedelta(hours=hours),
        )
    )
    audit.record(
        "enrolment_code_issued",
        actor=actor,
        subject=user,
        admin_action=audit.by_admin(actor, user),
        hours=hours,
    )
    return format_code(code)


def find_code(raw: object) -> EnrolmentCode | None:
    """A code that still works: known, unused, unexpired, for an active person."""
    code = normalise_code(raw)
    if code is None:
        return None
    row = db.session.scalar(
        select(EnrolmentCode).where(EnrolmentCode.code_hash == _code_hash(code))
    )
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        return None
    user = db.session.get(User, row.user_id)
    if user is None or not user.is_active:
        return None
    return row


def owner_of(row: EnrolmentCode) -> User | None:
    return db.session.get(User, row.user_id)


def consume_code(code_id: int) -> bool:
    """Mark a code used, exactly once even when two requests race for it."""
    now = utcnow()
    result = db.session.execute(
        update(EnrolmentCode)
        .where(
            EnrolmentCode.id == code_id,
            EnrolmentCode.used_at.is_(None),
            EnrolmentCode.expires_at > now,
        )
        .values(used_at=now)
    )
    return result.rowcount == 1


def enrol_link(code: str) -> str:
    # The code goes in the query string: access logs record paths only.
    return f"{current_app.config['ORIGIN']}/enrol?code={code}"


def qr_data_uri(link: str) -> str:
    """The link as a QR code, drawn here as SVG (no third party sees the code)."""
    return segno.make(link, error="m").svg_data_uri(scale=5, border=2, dark="#000", light="#fff")


def remember_shown_code(user: User, code: str) -> None:
    """Keep a just-issued code (encrypted) for the one page that shows it after the redirect."""
    session["issued_code"] = {"user": user.public_id, "code": encrypt(code).decode()}


def take_shown_code(user: User) -> str | None:
    held = session.pop("issued_code", None)
    if not isinstance(held, dict) or held.get("user") != user.public_id:
        return None
    try:
        return decrypt(str(held.get("code", "")).encode())
    except Exception:
        return None
