"""Budget queries and writes. Every query is filtered by the owner in SQL; access to a single
object goes through get_owned_or_404. Arithmetic is on ints of minor units only."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import abort
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select

from ..accounts.models import User
from ..csvsafe import csv_cell
from ..extensions import db
from ..i18n import month_year
from ..people.caseload import on_caseload
from ..privacy import areas as privacy_areas
from ..privacy import consent
from ..privacy.registry import exporter
from ..privacy.services import open_or_404
from ..settings import org_setting
from . import money
from .models import (
    BudgetCategory,
    BudgetEntry,
    BudgetPlan,
    BudgetSettings,
    SavingsContribution,
    SavingsGoal,
)

EXPENSE = "expense"
INCOME = "income"

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
EARLIEST = date(2000, 1, 1)


# -- time ------------------------------------------------------------------------------------


def zone_of(user: User) -> ZoneInfo:
    try:
        return ZoneInfo(user.timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def today_for(user: User, now: datetime | None = None) -> date:
    """Today on the person's own calendar (23:30 on 31 January in Lima is still January)."""
    now = now or datetime.now(UTC)
    return now.astimezone(zone_of(user)).date()


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(first: date, n: int) -> date:
    index = first.year * 12 + first.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def parse_month(text: str | None, default: date) -> date:
    """ "2026-11" -> date(2026, 11, 1); anything else, or a far-off year, -> the default."""
    try:
        year, month = (int(p) for p in (text or "").split("-"))
        first = date(year, month, 1)
    except (ValueError, TypeError):
        return month_start(default)
    if not EARLIEST <= first <= add_months(month_start(default), 12):
        return month_start(default)
    return first


def latest_allowed(user: User) -> date:
    """Entries may be dated up to a year ahead (a bill due later), not further."""
    return today_for(user) + timedelta(days=366)


# -- settings --------------------------------------------------------------------------------


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


def dismissed(row: BudgetSettings) -> set[str]:
    return {t for t in (row.dismissed_tips or "").split(",") if t}


def dismiss_tip(user: User, key: str) -> None:
    if key not in TIPS:
        abort(404)
    row = settings_for(user)
    row.dismissed_tips = ",".join(sorted(dismissed(row) | {key}))
    save_settings(row)


# -- access ----------------------------------------------------------------------------------


def get_owned_or_404(model, public_id: str, user: User):
    """The one way to reach a single budget object: by public id AND owner, or 404."""
    if not isinstance(public_id, str) or len(public_id) > 24:
        abort(404)
    obj = db.session.scalar(
        select(model).where(model.public_id == public_id, model.user_id == user.id)
    )
    if obj is None:
        abort(404)
    return obj


# -- categories ------------------------------------------------------------------------------


def custom_categories(user: User) -> list[BudgetCategory]:
    rows = db.session.scalars(
        select(BudgetCategory).where(BudgetCategory.user_id == user.id).order_by(BudgetCategory.id)
    ).all()
    return list(rows)


def category_choices(user: User, kind: str, custom=None) -> list[tuple[str, str]]:
    """(key, label) pairs. Custom categories are for spending."""
    if kind == INCOME:
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


# -- plan ------------------------------------------------------------------------------------


def plans_for(user: User, currency: str) -> dict[str, int]:
    rows = db.session.execute(
        select(BudgetPlan.category, BudgetPlan.amount_minor).where(
            BudgetPlan.user_id == user.id, BudgetPlan.currency == currency
        )
    ).all()
    return {cat: int(amount) for cat, amount in rows}


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


# -- entries ---------------------------------------------------------------------------------


def entries_query(user: User, first: date, end: date):
    return (
        select(BudgetEntry)
        .where(BudgetEntry.user_id == user.id, BudgetEntry.on_date >= first)
        .where(BudgetEntry.on_date < end)
        .order_by(BudgetEntry.on_date.desc(), BudgetEntry.id.desc())
    )


def entries_in_month(user: User, first: date) -> list[BudgetEntry]:
    return list(db.session.scalars(entries_query(user, first, add_months(first, 1))))


def add_entry(user: User, **values) -> BudgetEntry:
    entry = BudgetEntry(user_id=user.id, **values)
    db.session.add(entry)
    return entry


# -- summary ---------------------------------------------------------------------------------


@dataclass
class Line:
    key: str
    label: str
    planned: int
    spent: int
    tip: str | None = None

    @property
    def left(self) -> int:
        return self.planned - self.spent


@dataclass
class Summary:
    month: date
    currency: str
    lines: list[Line] = field(default_factory=list)
    income: int = 0
    other_currencies: int = 0

    @property
    def planned(self) -> int:
        return sum(line.planned for line in self.lines)

    @property
    def spent(self) -> int:
        return sum(line.spent for line in self.lines)

    @property
    def left(self) -> int:
        """What is left to spend this month: the plan minus what was spent."""
        return self.planned - self.spent

    @property
    def has_plan(self) -> bool:
        return self.planned > 0


def _totals(user: User, first: date, end: date):
    """The month's sums by currency, category and kind, with how many entries each holds."""
    return db.session.execute(
        select(
            BudgetEntry.currency,
            BudgetEntry.category,
            BudgetEntry.kind,
            func.sum(BudgetEntry.amount_minor),
            func.count(BudgetEntry.id),
        )
        .where(
            BudgetEntry.user_id == user.id,
            BudgetEntry.on_date >= first,
            BudgetEntry.on_date < end,
        )
        .group_by(BudgetEntry.currency, BudgetEntry.category, BudgetEntry.kind)
    ).all()


def summary(
    user: User,
    first: date,
    settings: BudgetSettings | None = None,
    custom: list[BudgetCategory] | None = None,
) -> Summary:
    settings = settings or settings_for(user)
    currency = settings.currency
    end = add_months(first, 1)
    custom = custom_categories(user) if custom is None else custom
    names = {c.public_id: c.name for c in custom}
    plans = plans_for(user, currency)
    spent: dict[str, int] = {}
    result = Summary(month=first, currency=currency)
    for entry_currency, category, kind, total, count in _totals(user, first, end):
        if entry_currency != currency:  # not added up: amounts in two currencies do not mix
            result.other_currencies += count
        elif kind == INCOME:
            result.income += int(total)
        else:
            spent[category] = spent.get(category, 0) + int(total)
    for key, label in category_choices(user, EXPENSE, custom):
        result.lines.append(
            Line(key, label, plans.get(key, 0), spent.pop(key, 0), CATEGORY_TIPS.get(key))
        )
    for key, total in spent.items():  # a category deleted since: still counted
        result.lines.append(Line(key, category_label(key, names), 0, total))
    return result


@dataclass
class TrendMonth:
    month: date
    spent: int
    income: int


def trend(user: User, last: date, currency: str, months: int = 6) -> list[TrendMonth]:
    """Spending and income for the six months ending with `last`, oldest first."""
    first = add_months(last, -(months - 1))
    buckets = {add_months(first, i): TrendMonth(add_months(first, i), 0, 0) for i in range(months)}
    rows = db.session.execute(
        select(BudgetEntry.on_date, BudgetEntry.kind, func.sum(BudgetEntry.amount_minor))
        .where(
            BudgetEntry.user_id == user.id,
            BudgetEntry.currency == currency,
            BudgetEntry.on_date >= first,
            BudgetEntry.on_date < add_months(last, 1),
        )
        .group_by(BudgetEntry.on_date, BudgetEntry.kind)
    ).all()
    for day, kind, total in rows:
        bucket = buckets[month_start(day)]
        if kind == INCOME:
            bucket.income += int(total)
        else:
            bucket.spent += int(total)
    return list(buckets.values())


@dataclass
class Bar:
    x: int
    y: int
    width: int
    height: int
    label_x: int
    month: date
    spent: int
    over: bool


def chart(points: list[TrendMonth], planned: int, *, rtl: bool, width=320, height=160):
    """Bar geometry in integers for the server-drawn SVG. Right-to-left mirrors the x-axis
    so time runs the way the person reads (the oldest month at the reading start)."""
    top, bottom, side = 12, 28, 8
    plot_h = height - top - bottom
    scale = max([planned, *[p.spent for p in points], 1])
    slot = (width - 2 * side) // len(points)
    bar_w = slot * 3 // 5
    bars = []
    for i, p in enumerate(points):
        position = len(points) - 1 - i if rtl else i
        x = side + position * slot + (slot - bar_w) // 2
        h = p.spent * plot_h // scale
        bars.append(
            Bar(
                x=x,
                y=top + plot_h - h,
                width=bar_w,
                height=h,
                label_x=x + bar_w // 2,
                month=p.month,
                spent=p.spent,
                over=planned > 0 and p.spent > planned,
            )
        )
    plan_y = top + plot_h - planned * plot_h // scale if planned else None
    return {
        "bars": bars,
        "width": width,
        "height": height,
        "baseline": top + plot_h,
        "plan_y": plan_y,
        "side": side,
    }


# -- savings ---------------------------------------------------------------------------------


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


# -- sharing ----------------------------------------------------------------------------------
#
# "Share my monthly totals" on /budget/settings and "Budget summary" on /privacy/sharing are ONE
# choice: the privacy consent area "budget_summary" (private by default). Both pages read and
# write it through privacy.consent, which applies it at once and records each change.
# Staff see a shared summary only when the person is on their own caseload (a stricter rule
# than privacy's, which also lets any member of staff support people with no case worker: the
# settings page promises "nobody would see it" until someone is assigned). Each view is logged
# in the person's access log (/privacy/access) with the month that was looked at.


def shares_summary(user: User) -> bool:
    return consent.allows(user.id, privacy_areas.BUDGET_SUMMARY)


def set_sharing(user: User, share: bool) -> bool:
    """Share the monthly totals or stop; True when it changed. Caller commits."""
    changed = consent.set_choices(user, {privacy_areas.BUDGET_SUMMARY: share}, actor=user)
    return bool(changed)


def open_shared_summary_or_404(
    staff: User, public_id: str, month_text: str | None
) -> tuple[User, date]:
    """The one access helper for staff: (survivor, month) when this member of staff may see
    the person's shared summary, or 404. Logs the access."""
    if not isinstance(public_id, str) or len(public_id) > 24:
        abort(404)
    survivor = db.session.scalar(select(User).where(User.public_id == public_id))
    if survivor is None or not on_caseload(staff.id, survivor.id):
        abort(404)
    first = parse_month(month_text, today_for(survivor))
    with force_locale(survivor.locale or org_setting("DEFAULT_LOCALE")):  # the log is theirs
        month = month_year(first)
    open_or_404(staff, survivor, privacy_areas.BUDGET_SUMMARY, what=month)
    return survivor, first


def sharing_with(staff: User) -> list[User]:
    """People on this member of staff's caseload who share their monthly totals."""
    from ..people.caseload import caseload_query

    query = caseload_query(staff.id).where(
        consent.allows_clause(User.id, privacy_areas.BUDGET_SUMMARY)
    )
    return list(db.session.scalars(query))


# -- export ----------------------------------------------------------------------------------


def export_csv(user: User) -> str:
    names = {c.public_id: c.name for c in custom_categories(user)}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            csv_cell(h)
            for h in (
                _l("Date"),
                _l("Type"),
                _l("Category"),
                _l("Amount"),
                _l("Currency"),
                _l("Note"),
            )
        ]
    )
    rows = db.session.scalars(
        select(BudgetEntry)
        .where(BudgetEntry.user_id == user.id)
        .order_by(BudgetEntry.on_date, BudgetEntry.id)
    )
    kinds = {EXPENSE: _l("Spent"), INCOME: _l("Money in")}
    for e in rows:
        writer.writerow(
            [
                csv_cell(v)
                for v in (
                    e.on_date.isoformat(),
                    kinds.get(e.kind, e.kind),
                    category_label(e.category, names),
                    money.plain(e.amount_minor, e.currency),
                    e.currency,
                    e.note or "",
                )
            ]
        )
    return out.getvalue()


# -- export of everything (privacy) ------------------------------------------------------------
#
# Deletion needs no eraser: every budget table points at user.id with ON DELETE CASCADE
# (settings, categories, plan, entries, savings goals; contributions cascade from their goal),
# and the sharing choice is a privacy consent row, which privacy erases.

SAVINGS_KINDS = {"goal": _l("Something I am saving for"), "bills": _l("Put aside for a bill")}
ENTRY_KINDS = {EXPENSE: _l("Spent"), INCOME: _l("Money in")}


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
            _l("Type"): ENTRY_KINDS.get(e.kind, e.kind),
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
            _l("Kind"): SAVINGS_KINDS.get(g.kind, g.kind),
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
