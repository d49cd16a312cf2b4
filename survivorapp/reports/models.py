"""The optional check-in a survivor can answer. Free text is encrypted and never reported."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from ..database import EncryptedText, UTCDateTime, enum_type, new_public_id, utcnow
from ..extensions import db


class Helped(enum.StrEnum):
    """The answers to "what helped most lately?" (forms.HELPED holds their words)."""

    GOALS = "goals"
    APPOINTMENTS = "appointments"
    GROUPS = "groups"
    BUDGET = "budget"
    HOUSING = "housing"
    TRAINING = "training"
    PEOPLE = "people"
    OTHER = "other"


class Hindered(enum.StrEnum):
    """The answers to "what got in the way?" (forms.HINDERED holds their words)."""

    MONEY = "money"
    HOUSING = "housing"
    HEALTH = "health"
    TIME = "time"
    LANGUAGE = "language"
    PAPERWORK = "paperwork"
    NOTHING = "nothing"
    OTHER = "other"


class CheckIn(db.Model):
    __tablename__ = "report_checkin"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=new_public_id)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    safe_at_home: Mapped[int | None] = mapped_column(SmallInteger)  # 1..5, or not answered
    helped: Mapped[Helped | None] = mapped_column(enum_type(Helped, 20))
    hindered: Mapped[Hindered | None] = mapped_column(enum_type(Hindered, 20))
    note: Mapped[str | None] = mapped_column(EncryptedText)  # only ever shown to its author

    def __repr__(self) -> str:
        return f"<CheckIn {self.public_id}>"
