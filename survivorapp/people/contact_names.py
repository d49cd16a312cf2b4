"""The name a member of staff shows to the people they support (on /account), and its export.

Kept apart from the pseudonym: colleagues and admins know staff by their pseudonym, while the
people they support may see something warmer ("Sam at the drop-in"). Deletion needs no
eraser: the row cascades with the user.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from ..accounts.models import User
from ..database import EncryptedText, UTCDateTime, utcnow
from ..extensions import db
from ..privacy.registry import exporter
from ..security import audit


class ContactName(db.Model):
    """The name a member of staff chooses to show to the people they support."""

    __tablename__ = "contact_name"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(EncryptedText)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


def contact_name(staff: User) -> str:
    """What the people a member of staff supports see: their chosen name, else the pseudonym."""
    row = db.session.get(ContactName, staff.id)
    return row.name if row is not None and row.name else staff.pseudonym


def chosen_contact_name(staff: User) -> str:
    row = db.session.get(ContactName, staff.id)
    return row.name if row is not None else ""


def set_contact_name(staff: User, name: str) -> None:
    """Store the name (an empty one goes back to the pseudonym). Flushes, never commits."""
    row = db.session.get(ContactName, staff.id)
    if not name:
        if row is not None:
            db.session.delete(row)
    elif row is None:
        db.session.add(ContactName(user_id=staff.id, name=name))
    else:
        row.name = name
    audit.record("contact_name_changed", actor=staff, subject=staff)
    db.session.flush()


@exporter("contact_name", label=_l("The name you show to the people you support"), order=6)
def export_contact_name(user: User) -> list[dict]:
    row = db.session.get(ContactName, user.id)
    if row is None:
        return []
    return [{_l("Name"): row.name, _l("Changed"): row.updated_at}]
