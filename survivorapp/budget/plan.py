"""The standing monthly plan: an amount per spending category, the same every month until
changed, kept per currency."""

from __future__ import annotations

from sqlalchemy import select

from ..accounts.models import User
from ..extensions import db
from .models import BudgetPlan
from .preferences import save_settings, settings_for


def plans_for(user: User, currency: str) -> dict[str, int]:
    rows = db.session.execute(
        select(BudgetPlan.category, BudgetPlan.amount_minor).where(
            BudgetPlan.user_id == user.id, BudgetPlan.currency == currency
        )
    ).all()
    return {cat: int(amount) for cat, amount in rows}


def save_plan(user: User, amounts: dict[str, int | None]) -> None:
    """The plan in the person's currency; an empty or zero line is no plan for it."""
    settings = settings_for(user)
    save_settings(settings)
    set_plans(user, settings.currency, amounts)


def set_plans(user: User, currency: str, amounts: dict[str, int | None]) -> None:
    existing = {
        p.category: p
        for p in db.session.scalars(
            select(BudgetPlan).where(BudgetPlan.user_id == user.id, BudgetPlan.currency == currency)
        )
    }
    for key, minor in amounts.items():
        row = existing.get(key)
        if not minor:
            if row is not None:
                db.session.delete(row)
        elif row is None:
            db.session.add(
                BudgetPlan(user_id=user.id, category=key, amount_minor=minor, currency=currency)
            )
        else:
            row.amount_minor = minor
