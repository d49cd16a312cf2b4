"""Consent choices and their history, the access log, and closed-account markers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..database import EncryptedText, UTCDateTime, new_public_id, utcnow
from ..extensions import db


class ConsentChoice(db.Model):
    """A survivor's current choice for one area. No row means the area's default."""

    __tablename__ = "consent_choice"

    survivor_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    area: Mapped[str] = mapped_column(String(40), primary_key=True)
    shared: Mapped[bool]
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ConsentChange(db.Model):
    """History: who changed which area to what, and when."""

    __tablename__ = "consent_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    survivor_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    area: Mapped[str] = mapped_column(String(40))
    shared: Mapped[bool]
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AccessEvent(db.Model):
    """Staff or an admin opened something of a survivor's."""

    __tablename__ = "access_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    viewer_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    area: Mapped[str] = mapped_column(String(40))
    what: Mapped[str | None] = mapped_column(EncryptedText)  # may name the record: encrypted
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (db.Index("ix_access_event_subject_at", "subject_id", "at"),)


class ClosedAccount(db.Model):
    """What is left of a closed account: no name, no link to the person, only that an account
    was closed, when, with which roles, and (while they exist) who supported them."""

    __tablename__ = "closed_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=new_public_id)
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    roles: Mapped[str] = mapped_column(String(60), default="")
    case_worker_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
