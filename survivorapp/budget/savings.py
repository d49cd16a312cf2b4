"""Savings goals and money put aside for bills, with what goes in and comes out."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from ..accounts.models import User
from ..extensions import db
from .models import SavingsContribution, SavingsGoal


def goals_for(user: User) -> list[SavingsGoal]:
    return list(
        db.session.scalars(
            select(SavingsGoal).where(SavingsGoal.user_id == user.id).order_by(SavingsGoal.id)
        )
    )


def progress_percent(saved: int, target: int) -> int:
    """Whole per cent reached, 0-100, in integer arithmetic (rounded down)."""
    if target <= 0:
        return 0
    return max(0, min(100, saved * 100 // target))


def monthly_to_put_aside(goal: SavingsGoal, today: date) -> int | None:
    """For money put aside: what to save each month to reach the target by its date."""
    if goal.target_date is None:
        return None
    still = goal.target_minor - goal.saved_minor
    if still <= 0:
        return 0
    months = (goal.target_date.year - today.year) * 12 + goal.target_date.month - today.month
    months = max(months, 1)
    return -(-still // months)  # ceiling division: never fall short


def contribute(goal: SavingsGoal, amount_minor: int, on_date: date) -> SavingsContribution:
    row = SavingsContribution(goal=goal, amount_minor=amount_minor, on_date=on_date)
    db.session.add(row)
    return row


def add_goal(user: User, **values) -> SavingsGoal:
    goal = SavingsGoal(user_id=user.id, **values)
    db.session.add(goal)
    db.session.flush()  # the page to go to next is the goal's own
    return goal


def delete_goal(goal: SavingsGoal) -> None:
    db.session.delete(goal)
