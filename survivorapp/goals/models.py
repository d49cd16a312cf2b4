"""Models for goals: a goal, its steps, and the history of what happened to it.

Every piece of free text (title, why it matters, step text, comments) is an EncryptedText
column, so lists are ordered by integer `position` columns and times, never by text.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..database import EncryptedText, UTCDateTime, enum_type, new_public_id, utcnow
from ..extensions import db


class Area(enum.StrEnum):
    """The area of life a goal belongs to (forms.AREAS holds their words)."""

    HOUSING = "housing"
    WORK = "work"  # work and training
    WELLBEING = "wellbeing"
    MONEY = "money"
    LEGAL = "legal"
    FAMILY = "family"
    EDUCATION = "education"
    OTHER = "other"


class GoalState(enum.StrEnum):
    PRIVATE = "private"  # only the survivor can see it
    SUBMITTED = "submitted"  # shared and waiting for a decision
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    DISAGREED = "disagreed"  # the survivor recorded that they disagree with the request


class EventKind(enum.StrEnum):
    CREATED = "created"
    ADOPTED = "adopted"
    EDITED = "edited"
    SUBMITTED = "submitted"
    RESUBMITTED = "resubmitted"
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"
    DISAGREED = "disagreed"
    ACHIEVED = "achieved"
    REOPENED = "reopened"
    ARCHIVED = "archived"
    RESTORED = "restored"


class Goal(db.Model):
    __tablename__ = "goal"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=new_public_id)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    area: Mapped[Area] = mapped_column(enum_type(Area, 20))
    title: Mapped[str] = mapped_column(EncryptedText)
    why: Mapped[str | None] = mapped_column(EncryptedText)
    target_month: Mapped[date | None] = mapped_column(Date)  # the first day of that month
    position: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[GoalState] = mapped_column(
        enum_type(GoalState, 20), default=GoalState.PRIVATE, index=True
    )
    pathway: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    shared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # first sent for approval
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # last sent
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_unread: Mapped[bool] = mapped_column(Boolean, default=False)
    achieved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    owner: Mapped[User] = relationship()
    steps: Mapped[list[Step]] = relationship(
        back_populates="goal",
        cascade="all, delete-orphan",
        order_by="Step.position",
        lazy="selectin",
    )
    events: Mapped[list[GoalEvent]] = relationship(
        back_populates="goal", cascade="all, delete-orphan", order_by="GoalEvent.id"
    )

    @property
    def steps_done(self) -> int:
        return sum(1 for s in self.steps if s.done_at is not None)

    @property
    def shared(self) -> bool:
        return self.shared_at is not None

    @property
    def achieved(self) -> bool:
        return self.achieved_at is not None

    @property
    def archived(self) -> bool:
        return self.archived_at is not None

    def __repr__(self) -> str:  # never the title: reprs end up in logs
        return f"<Goal {self.public_id}>"


class Step(db.Model):
    __tablename__ = "goal_step"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=new_public_id)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(EncryptedText)
    position: Mapped[int] = mapped_column(Integer, default=0)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    goal: Mapped[Goal] = relationship(back_populates="steps")

    @property
    def done(self) -> bool:
        return self.done_at is not None


class GoalEvent(db.Model):
    """One line of a goal's history: who did what, when, with an optional comment."""

    __tablename__ = "goal_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    kind: Mapped[EventKind] = mapped_column(enum_type(EventKind, 30))
    comment: Mapped[str | None] = mapped_column(EncryptedText)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    goal: Mapped[Goal] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()
