"""A month's totals by category against the plan, the six-month trend and its chart."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from ..accounts.models import User
from ..extensions import db
from .categories import (
    CATEGORY_TIPS,
    category_choices,
    category_label,
    custom_categories,
)
from .models import BudgetCategory, BudgetEntry, BudgetSettings, EntryKind
from .months import add_months, month_start
from .plan import plans_for
from .preferences import settings_for


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
        elif kind == EntryKind.INCOME:
            result.income += int(total)
        else:
            spent[category] = spent.get(category, 0) + int(total)
    for key, label in category_choices(user, EntryKind.EXPENSE, custom):
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
        if kind == EntryKind.INCOME:
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
