"""Models for admin: the name staff show.

The organisation's settings are a core model (survivorapp/settings.py): admin only edits them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from ..database import EncryptedText, UTCDateTime, utcnow
from ..extensions import db


class ContactName(db.Model):
    """The name a member of staff chooses to show to the people they support.

    Kept apart from the pseudonym: colleagues and admins know staff by their pseudonym,
    while the people they support may see something warmer ("Sam at the drop-in").
    """

    __tablename__ = "contact_name"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(EncryptedText)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
