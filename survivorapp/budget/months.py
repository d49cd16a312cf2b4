"""Months on the person's own calendar: a month is its first day (a date)."""

from __future__ import annotations

from datetime import date, timedelta

from ..localtime import today_for

EARLIEST = date(2000, 1, 1)


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(first: date, n: int) -> date:
    index = first.year * 12 + first.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def month_param(first: date) -> str:
    """The month as a query string writes it: 2026-03."""
    return f"{first.year:04d}-{first.month:02d}"


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


def latest_allowed(user) -> date:
    """Entries may be dated up to a year ahead (a bill due later), not further."""
    return today_for(user) + timedelta(days=366)
