"""Budget fixtures and factories: every test builds its own data."""

from __future__ import annotations

from datetime import date

import pytest

from survivorapp.budget.models import BudgetEntry, BudgetPlan, SavingsContribution, SavingsGoal
from survivorapp.extensions import db


def make_entry(
    user, amount_minor, *, category="food", kind="expense", on=None, currency="EUR", note=None
):
    entry = BudgetEntry(
        user_id=user.id,
        kind=kind,
        category=category,
        amount_minor=amount_minor,
        currency=currency,
        on_date=on or date.today(),
        note=note,
    )
    db.session.add(entry)
    db.session.commit()
    return entry


def make_plan(user, category, amount_minor, currency="EUR"):
    row = BudgetPlan(
        user_id=user.id, category=category, amount_minor=amount_minor, currency=currency
    )
    db.session.add(row)
    db.session.commit()
    return row


def make_goal(
    user, target_minor, *, name="A bike", saved=0, kind="goal", target_date=None, currency="EUR"
):
    goal = SavingsGoal(
        user_id=user.id,
        name=name,
        target_minor=target_minor,
        kind=kind,
        target_date=target_date,
        currency=currency,
    )
    db.session.add(goal)
    if saved:
        goal.contributions.append(SavingsContribution(amount_minor=saved, on_date=date.today()))
    db.session.commit()
    return goal


@pytest.fixture
def survivor(as_role):
    """(client, user) for a survivor in Madrid who reads English."""
    return as_role("survivor", timezone="Europe/Madrid")
