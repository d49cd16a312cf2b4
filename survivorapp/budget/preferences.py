"""The person's budget settings: currency, hidden tips, and whether the monthly totals are
shared.

"Share my monthly totals" on /budget/settings and "Budget summary" on /privacy/sharing are ONE
choice: the privacy consent area "budget_summary" (private by default). Both pages read and
write it through privacy.consent, which applies it at once and records each change."""

from __future__ import annotations

from ..accounts.models import User
from ..extensions import db
from ..people.caseload import caseload_query
from ..privacy import areas as privacy_areas
from ..privacy import consent
from ..settings import org_setting
from .models import BudgetSettings


def settings_for(user: User) -> BudgetSettings:
    """The person's settings row, or unsaved defaults (a GET never writes)."""
    row = db.session.get(BudgetSettings, user.id)
    if row is None:
        row = BudgetSettings(
            user_id=user.id,
            currency=org_setting("DEFAULT_CURRENCY"),
            dismissed_tips="",
        )
    return row


def save_settings(row: BudgetSettings) -> None:
    if db.session.get(BudgetSettings, row.user_id) is None:
        db.session.add(row)


def save_preferences(user: User, currency: str, share: bool) -> None:
    """The settings page: the currency, and the sharing choice (recorded by privacy)."""
    set_sharing(user, share)
    row = settings_for(user)
    row.currency = currency
    save_settings(row)


def dismissed(row: BudgetSettings) -> set[str]:
    return {t for t in (row.dismissed_tips or "").split(",") if t}


def dismiss_tip(user: User, key: str) -> None:
    """Hide a tip for good (`key` is one of categories.TIPS: see access.tip_or_404)."""
    row = settings_for(user)
    row.dismissed_tips = ",".join(sorted(dismissed(row) | {key}))
    save_settings(row)


def shares_summary(user: User) -> bool:
    return consent.allows(user.id, privacy_areas.BUDGET_SUMMARY)


def set_sharing(user: User, share: bool) -> bool:
    """Share the monthly totals or stop; True when it changed."""
    changed = consent.set_choices(user, {privacy_areas.BUDGET_SUMMARY: share}, actor=user)
    return bool(changed)


def sharing_with(staff: User) -> list[User]:
    """People on this member of staff's caseload who share their monthly totals."""
    query = caseload_query(staff.id).where(
        consent.allows_clause(User.id, privacy_areas.BUDGET_SUMMARY)
    )
    return list(db.session.scalars(query))
