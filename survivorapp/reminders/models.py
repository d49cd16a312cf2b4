"""Models for reminders: a device's push subscription, a person's reminder choices, and one
row per reminder claimed for sending (or cancelled before it was due).

What is due is worked out from appointments, circles and goals each time (reminders/plan.py),
so a moved or cancelled appointment needs no bookkeeping here: its old reminder is simply no
longer due. A row exists only once a runner claims a reminder, or the person cancels one.
"""

from __future__ import annotations

import enum
from datetime import datetime, time

from sqlalchemy import Boolean, ForeignKey, Integer, String, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..database import EncryptedText, UTCDateTime, enum_type, new_public_id, utcnow
from ..extensions import db


class Kind(enum.StrEnum):
    """What a reminder is about (plan.py finds each kind; texts.py words it)."""

    APPOINTMENT = "appointment"
    CIRCLE = "circle"  # a group session
    CHANGE = "change"  # a group session was cancelled or moved
    GOAL = "goal"  # a goal's target month has come
    DIGEST = "digest"  # staff: the goals waiting for a decision


class State(enum.StrEnum):
    SENDING = "sending"  # claimed by a runner
    RETRY = "retry"  # a push service asked to try again later
    SENT = "sent"
    FAILED = "failed"  # gave up after the last retry
    CANCELLED = "cancelled"  # the person said no to this one


class PushSubscription(db.Model):
    """One device's Push API subscription. The endpoint and keys are encrypted; the hash of
    the endpoint finds a device that subscribes again."""

    __tablename__ = "push_subscription"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=new_public_id)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    # The passkey of the session that turned reminders on: the device, as far as the server
    # knows one. Removing that passkey, locking the account or quick exit ends the subscription.
    passkey_id: Mapped[int | None] = mapped_column(
        ForeignKey("passkey.id", ondelete="CASCADE"), index=True
    )
    endpoint_hash: Mapped[str] = mapped_column(String(64), unique=True)
    endpoint: Mapped[str] = mapped_column(EncryptedText)
    p256dh: Mapped[str] = mapped_column(EncryptedText)
    auth: Mapped[str] = mapped_column(EncryptedText)
    device: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ReminderSettings(db.Model):
    """What a person wants reminding of. No row: the defaults below."""

    __tablename__ = "reminder_settings"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    appointments: Mapped[bool] = mapped_column(Boolean, default=True)
    circles: Mapped[bool] = mapped_column(Boolean, default=True)
    goals: Mapped[bool] = mapped_column(Boolean, default=True)
    approvals: Mapped[bool] = mapped_column(Boolean, default=True)  # staff: the daily digest
    leads: Mapped[str] = mapped_column(String(40), default="1440,60")  # minutes before
    # No quiet hours: both None (so no column default: None must stay None).
    quiet_start: Mapped[time | None] = mapped_column(Time)
    quiet_end: Mapped[time | None] = mapped_column(Time)


class Reminder(db.Model):
    """A reminder claimed for sending, or cancelled by its person. (user_id, key) is unique:
    claiming is inserting this row, so two runners can never both send one reminder."""

    __tablename__ = "reminder"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(80))
    kind: Mapped[Kind] = mapped_column(enum_type(Kind, 16))
    state: Mapped[State] = mapped_column(enum_type(State, 12), index=True)
    event_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Delivery(db.Model):
    """A reminder that reached one device: a retry never sends it there again."""

    __tablename__ = "reminder_delivery"

    reminder_id: Mapped[int] = mapped_column(
        ForeignKey("reminder.id", ondelete="CASCADE"), primary_key=True
    )
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("push_subscription.id", ondelete="CASCADE"), primary_key=True
    )
