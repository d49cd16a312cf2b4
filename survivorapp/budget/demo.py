"""Demo data for budget: one person with a month's plan, a week of spending and savings."""

from __future__ import annotations

from datetime import timedelta

from ..demo import demo_step
from ..extensions import db
from ..localtime import today_for
from .models import (
    BudgetEntry,
    BudgetPlan,
    BudgetSettings,
    EntryKind,
    SavingsContribution,
    SavingsGoal,
    SavingsKind,
)
from .months import month_start
from .preferences import set_sharing


@demo_step(order=40)
def seed(people) -> None:
    mai = people.survivors[0]  # in Bangkok, budgeting in baht, sharing totals with Sam
    today = today_for(mai)
    db.session.add(BudgetSettings(user_id=mai.id, currency="THB"))
    set_sharing(mai, True)
    plan = {"rent": 450000, "food": 300000, "transport": 80000, "phone": 30000, "home": 150000}
    for key, minor in plan.items():
        db.session.add(BudgetPlan(user_id=mai.id, category=key, amount_minor=minor, currency="THB"))
    spending = [
        (0, "food", 12000),
        (1, "transport", 4000),
        (2, "food", 25050),
        (3, "phone", 30000),
        (4, "food", 8900),
        (5, "transport", 4000),
    ]
    for days_ago, key, minor in spending:
        day = max(today - timedelta(days=days_ago), month_start(today))
        db.session.add(
            BudgetEntry(
                user_id=mai.id,
                kind=EntryKind.EXPENSE,
                category=key,
                amount_minor=minor,
                currency="THB",
                on_date=day,
            )
        )
    db.session.add(
        BudgetEntry(
            user_id=mai.id,
            kind=EntryKind.INCOME,
            category="pay",
            amount_minor=1200000,
            currency="THB",
            on_date=month_start(today),
            note="Salary",
        )
    )
    goal = SavingsGoal(
        user_id=mai.id,
        kind=SavingsKind.GOAL,
        name="Deposit for a room",
        target_minor=900000,
        currency="THB",
        target_date=today + timedelta(days=180),
    )
    goal.contributions.append(SavingsContribution(amount_minor=150000, on_date=today))
    db.session.add(goal)

    lucia = people.mentor  # in Madrid, euros, putting money aside for a yearly bill
    db.session.add(BudgetSettings(user_id=lucia.id, currency="EUR"))
    bill = SavingsGoal(
        user_id=lucia.id,
        kind=SavingsKind.BILLS,
        name="Phone contract (yearly)",
        target_minor=18000,
        currency="EUR",
        target_date=today_for(lucia) + timedelta(days=150),
    )
    bill.contributions.append(SavingsContribution(amount_minor=3000, on_date=today))
    db.session.add(bill)
