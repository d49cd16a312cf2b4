"""Spending and income categories (built-in and the person's own) and the money tips shown
next to them."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from ..accounts.models import User
from ..extensions import db
from .models import BudgetCategory, BudgetEntry, BudgetPlan, EntryKind

# Built-in categories: fixed keys, translated labels, and the tip that helps next to them.
EXPENSE_CATEGORIES = {
    "rent": _l("Rent"),
    "utilities": _l("Utilities"),
    "food": _l("Food"),
    "transport": _l("Transport"),
    "phone": _l("Phone"),
    "childcare": _l("Childcare"),
    "debt": _l("Debt repayment"),
    "home": _l("Money sent home"),
    "savings": _l("Savings"),
    "other": _l("Other"),
}
INCOME_CATEGORIES = {
    "pay": _l("Pay"),
    "benefits": _l("Benefits"),
    "gift": _l("Gift or help"),
    "other_income": _l("Other income"),
}

# Money basics: short and plain. Each is shown where it helps and can be hidden for good.
TIPS = {
    "rent": (
        _l("Rent and deposits"),
        _l(
            "Ask for a receipt for every rent payment and for the deposit. Keep photos of the "
            "room when you move in: they help you get the deposit back."
        ),
    ),
    "utilities": (
        _l("Bills for power and water"),
        _l(
            "Read the meter yourself and send the number in, so the bill is for what you "
            "used, not a guess. Ask whether paying monthly costs less."
        ),
    ),
    "credit": (
        _l("Building credit"),
        _l(
            "Paying a phone contract or a small bill on time, every month, slowly builds a "
            "record that helps you rent a home or get a fair loan later."
        ),
    ),
    "saving": (
        _l("A little, often"),
        _l(
            "Small amounts put aside every week add up and are easier to keep going than a "
            "big amount once. Any amount counts."
        ),
    ),
    "debt": (
        _l("Spotting debt traps"),
        _l(
            "Be careful with offers of quick cash, loans that ask for your papers or bank "
            "card, or debts that grow each week. You can say no and ask someone you trust."
        ),
    ),
}
CATEGORY_TIPS = {
    "rent": "rent",
    "utilities": "utilities",
    "phone": "credit",
    "debt": "debt",
    "savings": "saving",
}

NOTE_MAX = 500
NAME_MAX = 60
CUSTOM_CATEGORY_LIMIT = 30


def custom_categories(user: User) -> list[BudgetCategory]:
    rows = db.session.scalars(
        select(BudgetCategory).where(BudgetCategory.user_id == user.id).order_by(BudgetCategory.id)
    ).all()
    return list(rows)


def category_choices(user: User, kind: EntryKind, custom=None) -> list[tuple[str, str]]:
    """(key, label) pairs. Custom categories are for spending."""
    if kind == EntryKind.INCOME:
        return [(k, str(v)) for k, v in INCOME_CATEGORIES.items()]
    custom = custom_categories(user) if custom is None else custom
    return [(k, str(v)) for k, v in EXPENSE_CATEGORIES.items()] + [
        (c.public_id, c.name) for c in custom
    ]


def category_label(key: str, custom_names: dict[str, str]) -> str:
    label = EXPENSE_CATEGORIES.get(key) or INCOME_CATEGORIES.get(key)
    if label is not None:
        return str(label)
    return custom_names.get(key, str(_l("Other")))


def add_category(user: User, name: str) -> BudgetCategory:
    row = BudgetCategory(user_id=user.id, name=name)
    db.session.add(row)
    return row


def delete_category(user: User, row: BudgetCategory) -> None:
    """Its entries and plan move to "Other", so no money disappears from the totals."""
    db.session.execute(
        BudgetEntry.__table__.update()
        .where(BudgetEntry.user_id == user.id, BudgetEntry.category == row.public_id)
        .values(category="other")
    )
    db.session.execute(
        delete(BudgetPlan).where(
            BudgetPlan.user_id == user.id, BudgetPlan.category == row.public_id
        )
    )
    db.session.delete(row)
