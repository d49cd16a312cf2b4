"""What the budget gives a person who asks for everything the app holds about them.

Deletion needs no eraser: every budget table points at user.id with ON DELETE CASCADE
(settings, categories, plan, entries, savings goals; contributions cascade from their goal),
and the sharing choice is a privacy consent row, which privacy erases."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..accounts.models import User
from ..extensions import db
from ..privacy.registry import exporter
from . import money
from .categories import TIPS, category_label, custom_categories
from .entries import ENTRY_KINDS
from .models import BudgetEntry, BudgetPlan, BudgetSettings, SavingsKind
from .preferences import dismissed, shares_summary
from .savings import goals_for

SAVINGS_KINDS = {
    SavingsKind.GOAL: _l("Something I am saving for"),
    SavingsKind.BILLS: _l("Put aside for a bill"),
}


def _custom_names(user: User) -> dict[str, str]:
    return {c.public_id: c.name for c in custom_categories(user)}


@exporter("budget_settings", label=_l("Budget settings"), order=30)
def export_budget_settings(user: User) -> list[dict]:
    row = db.session.get(BudgetSettings, user.id)
    shared = shares_summary(user)
    if row is None and not shared:
        return []
    return [
        {
            _l("Currency"): row.currency if row else None,
            _l("Monthly totals shared with the team"): shared,
            _l("Tips you hid"): [str(TIPS[k][0]) for k in sorted(dismissed(row)) if k in TIPS]
            if row
            else [],
        }
    ]


@exporter("budget_categories", label=_l("Your budget categories"), order=31)
def export_budget_categories(user: User) -> list[dict]:
    return [{_l("Name"): c.name, _l("Added"): c.created_at} for c in custom_categories(user)]


@exporter("budget_entries", label=_l("Budget entries"), order=32)
def export_budget_entries(user: User) -> list[dict]:
    names = _custom_names(user)
    rows = db.session.scalars(
        select(BudgetEntry)
        .where(BudgetEntry.user_id == user.id)
        .order_by(BudgetEntry.on_date, BudgetEntry.id)
    )
    return [
        {
            _l("Date"): e.on_date,
            _l("Type"): ENTRY_KINDS[e.kind],
            _l("Category"): category_label(e.category, names),
            _l("Amount"): money.plain(e.amount_minor, e.currency),
            _l("Currency"): e.currency,
            _l("Note"): e.note,
            _l("Added"): e.created_at,
        }
        for e in rows
    ]


@exporter("budget_plan", label=_l("Monthly plan"), order=33)
def export_budget_plan(user: User) -> list[dict]:
    names = _custom_names(user)
    rows = db.session.scalars(
        select(BudgetPlan).where(BudgetPlan.user_id == user.id).order_by(BudgetPlan.id)
    )
    return [
        {
            _l("Category"): category_label(p.category, names),
            _l("Amount each month"): money.plain(p.amount_minor, p.currency),
            _l("Currency"): p.currency,
        }
        for p in rows
    ]


@exporter("budget_savings", label=_l("Savings"), order=34)
def export_budget_savings(user: User) -> list[dict]:
    return [
        {
            _l("Name"): g.name,
            _l("Kind"): SAVINGS_KINDS[g.kind],
            _l("Target"): money.plain(g.target_minor, g.currency),
            _l("Saved"): money.plain(g.saved_minor, g.currency),
            _l("Currency"): g.currency,
            _l("By"): g.target_date,
            _l("Added"): g.created_at,
        }
        for g in goals_for(user)
    ]


@exporter("budget_contributions", label=_l("Money put into savings or taken out"), order=35)
def export_budget_contributions(user: User) -> list[dict]:
    return [
        {
            _l("Savings"): g.name,
            _l("Amount"): money.plain(c.amount_minor, g.currency),
            _l("Currency"): g.currency,
            _l("Date"): c.on_date,
            _l("Added"): c.created_at,
        }
        for g in goals_for(user)
        for c in g.contributions
    ]
