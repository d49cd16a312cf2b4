"""The optional check-in a survivor can answer. Free text is encrypted and never reported."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from ..database import EncryptedText, UTCDateTime, new_public_id, utcnow
from ..extensions import db


class CheckIn(db.Model):
    __tablename__ = "report_checkin"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=new_public_id)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    safe_at_home: Mapped[int | None] = mapped_column(SmallInteger)  # 1..5, or not answered
    helped: Mapped[str | None] = mapped_column(String(20))  # a key of forms.HELPED
    hindered: Mapped[str | None] = mapped_column(String(20))  # a key of forms.HINDERED
    note: Mapped[str | None] = mapped_column(EncryptedText)  # only ever shown to its author

    def __repr__(self) -> str:
        return f"<CheckIn {self.public_id}>"
