"""Models for circles: a mentor's recurring schedule, its members, and per-session rows.

A circle's schedule is an RFC 5545 RRULE plus a local start (date and time) in a named IANA
zone, so that 18:00 stays 18:00 local across daylight-saving changes. Every per-session row
(changes, single-session RSVPs, attendance) is keyed by the ORIGINAL occurrence start in UTC.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, time

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import EncryptedText, UTCDateTime, enum_type, new_public_id, utcnow
from ..extensions import db


class Topic(enum.StrEnum):
    WELLBEING = "wellbeing"
    WORK = "work"  # work and training
    MONEY = "money"
    DAILY_LIFE = "daily_life"
    PARENTING = "parenting"
    LANGUAGE = "language"
    CREATIVE = "creative"
    MOVEMENT = "movement"
    FRIENDSHIP = "friendship"


class Format(enum.StrEnum):
    """How a circle meets."""

    IN_PERSON = "in_person"
    ONLINE = "online"
    PHONE = "phone"


class Repeat(enum.StrEnum):
    """How often a circle meets: the form's choice that schedule.build_rule makes a rule of."""

    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY = "monthly"
    ONCE = "once"


class Circle(db.Model):
    __tablename__ = "circle"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=new_public_id)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(EncryptedText)
    topic: Mapped[Topic] = mapped_column(enum_type(Topic, 32), index=True)
    format: Mapped[Format] = mapped_column(enum_type(Format, 16), index=True)
    place: Mapped[str | None] = mapped_column(EncryptedText)  # shown only to members
    capacity: Mapped[int] = mapped_column(Integer)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    repeat: Mapped[Repeat] = mapped_column(enum_type(Repeat, 16))
    first_date: Mapped[date] = mapped_column(Date)  # local date of DTSTART
    start_time: Mapped[time] = mapped_column(Time)  # local wall-clock time of DTSTART
    tzid: Mapped[str] = mapped_column(String(64))
    rrule: Mapped[str | None] = mapped_column(String(200))  # None for a one-off
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Bumped when a session is cancelled, moved or restored, so that a calendar app importing
    # the event again takes the newer one (iCalendar SEQUENCE).
    sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    language_rows: Mapped[list[CircleLanguage]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def languages(self) -> list[str]:
        return sorted(r.code for r in self.language_rows)

    def __repr__(self) -> str:
        return f"<Circle {self.public_id}>"


class CircleLanguage(db.Model):
    __tablename__ = "circle_language"

    circle_id: Mapped[int] = mapped_column(
        ForeignKey("circle.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(16), primary_key=True, index=True)


class CircleMember(db.Model):
    """A member, or a place on the waiting list (first come, first served by joined_at, id)."""

    __tablename__ = "circle_member"
    __table_args__ = (UniqueConstraint("circle_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("circle.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    waiting: Mapped[bool] = mapped_column(Boolean, default=False)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user = relationship("User", lazy="joined")


class SessionRsvp(db.Model):
    """A place at one session only, for someone who has not joined the whole circle."""

    __tablename__ = "circle_rsvp"
    __table_args__ = (UniqueConstraint("circle_id", "user_id", "occurrence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("circle.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    occurrence: Mapped[datetime] = mapped_column(UTCDateTime)  # original start, UTC
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user = relationship("User", lazy="joined")


class SessionChange(db.Model):
    """One session cancelled or moved (an exception to the rule), with a short note."""

    __tablename__ = "circle_session_change"
    __table_args__ = (UniqueConstraint("circle_id", "occurrence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("circle.id", ondelete="CASCADE"), index=True)
    occurrence: Mapped[datetime] = mapped_column(UTCDateTime)  # original start, UTC
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    new_start: Mapped[datetime | None] = mapped_column(UTCDateTime)  # when moved
    note: Mapped[str | None] = mapped_column(EncryptedText)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Attendance(db.Model):
    """Who came to a session, as marked by the mentor (for outcome reports later)."""

    __tablename__ = "circle_attendance"
    __table_args__ = (UniqueConstraint("circle_id", "user_id", "occurrence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("circle.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    occurrence: Mapped[datetime] = mapped_column(UTCDateTime)  # original start, UTC
    present: Mapped[bool] = mapped_column(Boolean, default=True)
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
