"""Double-submission guard: a create form carries a one-time token, and the write that it
causes claims the token in the same transaction. A double tap or a retried request then
finds the token taken and creates nothing more.

    <form ...>{{ once_field() }} ...</form>             # in the template
    if not once.claim(request.form.get("once")):         # in the service, before commit
        return existing_or_redirect
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from markupsafe import Markup
from sqlalchemy import String, delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from ..database import UTCDateTime, utcnow
from ..extensions import db

KEEP = timedelta(days=2)


class FormSubmission(db.Model):
    __tablename__ = "form_submission"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


def new_token() -> str:
    return secrets.token_urlsafe(18)


def field(token: str | None = None) -> Markup:
    value = token or new_token()
    return Markup('<input type="hidden" name="once" value="{}">').format(value)


def token_digest(token: str) -> str:
    return hashlib.sha256(token[:100].encode()).hexdigest()


def claim(token: str | None) -> bool:
    """True if this submission is the first with its token (or carries none)."""
    if not token:
        return True
    try:
        with db.session.begin_nested():
            db.session.add(FormSubmission(token_hash=token_digest(token)))
    except IntegrityError:
        return False
    return True


def purge_old() -> int:
    """Forget tokens older than KEEP (run with the session purge: `flask purge-sessions`)."""
    result = db.session.execute(
        delete(FormSubmission).where(FormSubmission.created_at < utcnow() - KEEP)
    )
    return result.rowcount
