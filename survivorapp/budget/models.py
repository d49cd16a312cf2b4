"""Models for budget.

Money is an integer of minor units (BigInteger) next to its ISO 4217 code, never a float.
Entries keep a local calendar DATE, not a timestamp: a budget month is the month on the
person's own calendar, so "23:30 on 31 January" in their zone is January whatever UTC says;
the date is chosen on their phone (defaulting to today in their time zone) and stored as is.

Categories: the built-in ones (rent, food, ...) are fixed keys in categories.py and need no
rows; a person's own categories are rows here, referred to by their public_id. An entry's or
plan's `category` column holds either kind of key.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import EncryptedText, UTCDateTime, enum_type, new_public_id, utcnow
from ..extensions import db


class EntryKind(enum.StrEnum):
    EXPENSE = "expense"
    INCOME = "income"


class SavingsKind(enum.StrEnum):
    GOAL = "goal"  # a target to reach
    BILLS = "bills"  # money put aside for a bill that does not come every month


class BudgetSettings(db.Model):
    """One small row per person: their currency and dismissed tips.

    Whether the monthly summary is shared is NOT here: it is the privacy consent area
    "budget_summary" (preferences.shares_summary / set_sharing), one switch for both pages."""

    __tablename__ = "budget_settings"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    currency: Mapped[str] = mapped_column(String(3))
    dismissed_tips: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class BudgetCategory(db.Model):
    """A category a person added themselves ("School trips", "Bus pass")."""

    __tablename__ = "budget_category"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=new_public_id)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(EncryptedText)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class BudgetPlan(db.Model):
    """How much a person plans to spend on a category each month (a standing plan)."""

    __tablename__ = "budget_plan"
    __table_args__ = (UniqueConstraint("user_id", "category", "currency"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    category: Mapped[str] = mapped_column(String(24))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))


class BudgetEntry(db.Model):
    """Money in (income) or out (expense) on a day of the person's own calendar."""

    __tablename__ = "budget_entry"
    # A month of one person's entries is the query every budget page makes: without this,
    # the planner may combine the date index (everyone's month) with the person's.
    __table_args__ = (Index("ix_budget_entry_user_id_on_date", "user_id", "on_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=new_public_id)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    kind: Mapped[EntryKind] = mapped_column(enum_type(EntryKind, 8))
    category: Mapped[str] = mapped_column(String(24))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    on_date: Mapped[date] = mapped_column(Date, index=True)
    note: Mapped[str | None] = mapped_column(EncryptedText)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SavingsGoal(db.Model):
    """Saving towards something, or putting money aside for a bill that comes now and then.

    kind "goal": a target to reach (a deposit, a course). kind "bills": money put aside for
    bills that do not come every month (yearly phone contract, winter heating); the page
    suggests how much to put aside each month to have it by the due date.
    """

    __tablename__ = "savings_goal"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=new_public_id)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    kind: Mapped[SavingsKind] = mapped_column(enum_type(SavingsKind, 8), default=SavingsKind.GOAL)
    name: Mapped[str] = mapped_column(EncryptedText)
    target_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    target_date: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    contributions: Mapped[list[SavingsContribution]] = relationship(
        back_populates="goal",
        cascade="all, delete-orphan",
        order_by="SavingsContribution.id",
        lazy="selectin",
    )

    @property
    def saved_minor(self) -> int:
        return sum(c.amount_minor for c in self.contributions)


class SavingsContribution(db.Model):
    """Money put in (positive) or taken out (negative) of a savings goal."""

    __tablename__ = "savings_contribution"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(
        ForeignKey("savings_goal.id", ondelete="CASCADE"), index=True
    )
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    on_date: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    goal: Mapped[SavingsGoal] = relationship(back_populates="contributions")
