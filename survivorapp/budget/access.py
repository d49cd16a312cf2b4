"""The one way a page reaches a single budget object: by public id AND owner, or 404.

A survivor's budget is theirs alone. Staff see a shared monthly summary only when the person
is on their own caseload (stricter than privacy's rule, which also lets any member of staff
support people with no case worker: the settings page promises "nobody would see it" until
someone is assigned) and has chosen to share it; each view is written to the person's access
log (/privacy/access) with the month that was looked at."""

from __future__ import annotations

from datetime import date

from flask import abort
from flask_babel import force_locale
from sqlalchemy import select

from ..accounts.models import User
from ..database import find_or_404
from ..i18n import month_year
from ..localtime import today_for
from ..people.caseload import on_caseload
from ..privacy import areas as privacy_areas
from ..privacy.services import open_or_404
from ..settings import org_setting
from .categories import TIPS
from .models import BudgetCategory, BudgetEntry, SavingsGoal
from .months import parse_month


def _owned_or_404(model, public_id: object, user: User):
    return find_or_404(select(model).where(model.user_id == user.id), model.public_id, public_id)


def get_entry_or_404(public_id: object, user: User) -> BudgetEntry:
    return _owned_or_404(BudgetEntry, public_id, user)


def get_goal_or_404(public_id: object, user: User) -> SavingsGoal:
    return _owned_or_404(SavingsGoal, public_id, user)


def get_category_or_404(public_id: object, user: User) -> BudgetCategory:
    return _owned_or_404(BudgetCategory, public_id, user)


def tip_or_404(key: str) -> str:
    if key not in TIPS:
        abort(404)
    return key


def open_shared_summary_or_404(
    staff: User, public_id: object, month_text: str | None
) -> tuple[User, date]:
    """(survivor, month) when this member of staff may see the person's shared summary, or
    404. Logs the access."""
    survivor = find_or_404(select(User), User.public_id, public_id)
    if not on_caseload(staff.id, survivor.id):
        abort(404)
    first = parse_month(month_text, today_for(survivor))
    with force_locale(survivor.locale or org_setting("DEFAULT_LOCALE")):  # the log is theirs
        month = month_year(first)
    open_or_404(staff, survivor, privacy_areas.BUDGET_SUMMARY, what=month)
    return survivor, first
