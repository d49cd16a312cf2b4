"""What every budget page shares: the blueprint, the helpers its templates use, and the
month being looked at."""

from __future__ import annotations

from decimal import Decimal

from babel.dates import format_skeleton
from babel.numbers import get_currency_name
from flask import Blueprint, redirect, request, url_for
from flask_babel import format_date, format_percent, get_locale
from flask_login import current_user

from ..i18n import month_year
from ..localtime import today_for
from . import money, preferences, savings
from .categories import TIPS
from .months import add_months, month_param, month_start, parse_month

bp = Blueprint("budget", __name__, url_prefix="/budget")


def month_short(first) -> str:
    return format_skeleton("MMM", first, locale=get_locale())


def percent_label(pct: int) -> str:
    return format_percent(Decimal(pct).scaleb(-2))


@bp.context_processor
def helpers():
    return {
        "money": money.money,
        "month_label": month_year,
        "month_short": month_short,
        "percent": savings.progress_percent,
        "percent_label": percent_label,
        "format_date": format_date,
        "currency_name": lambda code: get_currency_name(code, locale=get_locale()),
        "tips": TIPS,
    }


def current_month():
    return month_start(today_for(current_user))


def month_arg():
    """The month in ?month=2026-03; this month when it is missing, malformed or far off."""
    return parse_month(request.args.get("month"), today_for(current_user))


def months_around(first) -> dict:
    """The month shown and the links to the months either side of it."""
    return {
        "first": first,
        "prev_month": month_param(add_months(first, -1)),
        "next_month": month_param(add_months(first, 1)),
        "show_next": first < current_month(),
    }


def to_budget(first=None):
    """Back to the budget page, on the month `first` (this month when None)."""
    args = {"month": month_param(first)} if first and first != current_month() else {}
    return redirect(url_for("budget.index", **args), code=303)


def person_currency() -> str:
    """The currency this person budgets in now."""
    return preferences.settings_for(current_user).currency
