"""Models for appointments, reschedule requests and private calendar feeds.

Times are aware UTC datetimes (UTCDateTime). Place, link, note and every message are
encrypted at rest (EncryptedText), so they are never searched or sorted in SQL.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..database import EncryptedText, UTCDateTime, enum_type, new_public_id, utcnow
from ..extensions import db


class Kind(enum.StrEnum):
    COUNSELLING = "counselling"
    LEGAL_AID = "legal_aid"
    HOUSING = "housing"
    TRAINING = "training"
    HEALTH = "health"
    OTHER = "other"


class Status(enum.StrEnum):
    SCHEDULED = "scheduled"  # booked, not yet confirmed by the person it is for
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"


class Outcome(enum.StrEnum):
    """Whether an appointment that has ended took place: recorded afterwards, by the person
    it was for or by staff who can see it (appointments.services.can_record_outcome)."""

    ATTENDED = "attended"
    MISSED = "missed"


class RequestStatus(enum.StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"  # the appointment moved to the suggested time
    DECLINED = "declined"  # the time stays; staff left a note
    COUNTERED = "countered"  # staff moved the appointment to another time
    WITHDRAWN = "withdrawn"  # superseded by a newer request, or the appointment was cancelled


class Appointment(db.Model):
    __tablename__ = "appointment"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=new_public_id)
    survivor_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    # Who booked it: the survivor themselves or a member of staff.
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[Kind] = mapped_column(enum_type(Kind, 20))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    place: Mapped[str | None] = mapped_column(EncryptedText)
    link: Mapped[str | None] = mapped_column(EncryptedText)
    note: Mapped[str | None] = mapped_column(EncryptedText)
    # Appointments staff book are always visible to them; a survivor's own are private
    # unless the survivor shares them.
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[Status] = mapped_column(enum_type(Status, 20), default=Status.SCHEDULED)
    # Recorded after the end; None until someone says. Who said it is shown beside it, so a
    # change by staff is never silent (DESIGN §2 rule 4). Moving or cancelling clears it.
    outcome: Mapped[Outcome | None] = mapped_column(enum_type(Outcome, 20))
    outcome_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    outcome_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Bumped on every change of time or status, for calendar apps (iCalendar SEQUENCE).
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    survivor: Mapped[User] = relationship(foreign_keys=[survivor_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    requests: Mapped[list[RescheduleRequest]] = relationship(
        back_populates="appointment",
        cascade="all, delete-orphan",
        order_by="RescheduleRequest.id",
    )

    @property
    def booked_by_survivor(self) -> bool:
        return self.created_by_id == self.survivor_id

    @property
    def cancelled(self) -> bool:
        return self.status == Status.CANCELLED

    def ended(self, now: datetime) -> bool:
        return self.ends_at <= now

    @property
    def open_request(self) -> RescheduleRequest | None:
        return next((r for r in self.requests if r.status == RequestStatus.OPEN), None)

    @property
    def latest_request(self) -> RescheduleRequest | None:
        return self.requests[-1] if self.requests else None

    def __repr__(self) -> str:
        return f"<Appointment {self.public_id}>"


class RescheduleRequest(db.Model):
    """A survivor's request to move an appointment, and the answer from staff."""

    __tablename__ = "appointment_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=new_public_id)
    appointment_id: Mapped[int] = mapped_column(
        ForeignKey("appointment.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[RequestStatus] = mapped_column(
        enum_type(RequestStatus, 20), default=RequestStatus.OPEN, index=True
    )
    suggested_start: Mapped[datetime] = mapped_column(UTCDateTime)
    suggested_end: Mapped[datetime] = mapped_column(UTCDateTime)
    message: Mapped[str | None] = mapped_column(EncryptedText)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answer_note: Mapped[str | None] = mapped_column(EncryptedText)

    appointment: Mapped[Appointment] = relationship(back_populates="requests")


class CalendarFeed(db.Model):
    """A survivor's private calendar feed: only the SHA-256 of its token is kept."""

    __tablename__ = "calendar_feed"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    title: Mapped[str | None] = mapped_column(EncryptedText)  # the neutral entry title
    show_kind: Mapped[bool] = mapped_column(Boolean, default=False)
    show_place: Mapped[bool] = mapped_column(Boolean, default=False)
    show_note: Mapped[bool] = mapped_column(Boolean, default=False)
    show_organisation: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The passkey of the session that made the address: removing that passkey turns it off.
    passkey_id: Mapped[int | None] = mapped_column(
        ForeignKey("passkey.id", ondelete="SET NULL"), index=True
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
