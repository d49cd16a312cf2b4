"""Small hand-written validators for the report period and the check-in. Each returns
(values, errors); `errors` maps a field name to a translated message, and the view re-renders
the page with what the person typed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

MAX_MONTHS = 60  # five years at most on one page
EARLIEST_YEAR = 2000
NOTE_MAX = 1000
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")

HELPED = {
    "goals": _l("Working on my goals"),
    "appointments": _l("Appointments and support from the team"),
    "groups": _l("Group meetings"),
    "budget": _l("Keeping a budget"),
    "housing": _l("Help with a place to live"),
    "training": _l("Courses and training"),
    "people": _l("People I can talk to"),
    "other": _l("Something else"),
}
HINDERED = {
    "money": _l("Money worries"),
    "housing": _l("Where I live"),
    "health": _l("Health"),
    "time": _l("Not enough time"),
    "language": _l("Language"),
    "paperwork": _l("Paperwork and documents"),
    "nothing": _l("Nothing got in the way"),
    "other": _l("Something else"),
}
SAFE_LABELS = {
    1: _l("1: not safe at all"),
    2: _l("2"),
    3: _l("3"),
    4: _l("4"),
    5: _l("5: completely safe"),
}


@dataclass(frozen=True)
class Period:
    first: date  # the first day of the first month
    last: date  # the first day of the last month

    @property
    def months(self) -> int:
        return (self.last.year - self.first.year) * 12 + self.last.month - self.first.month + 1

    @property
    def end(self) -> date:
        """The day after the period (exclusive end)."""
        y, m = self.last.year + (self.last.month // 12), self.last.month % 12 + 1
        return date(y, m, 1)

    def param(self, which: str) -> str:
        d = self.first if which == "from" else self.last
        return f"{d.year:04d}-{d.month:02d}"


def _text(form, name: str) -> str:
    value = form.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def _month(text: str) -> date | None:
    match = _MONTH.match(text)
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or not EARLIEST_YEAR <= year <= 2100:
        return None
    return date(year, month, 1)


def default_period(today: date) -> Period:
    """The last twelve months, this one included."""
    last = date(today.year, today.month, 1)
    y, m = (last.year - 1, last.month + 1) if last.month < 12 else (last.year, 1)
    return Period(date(y, m, 1), last)


def period(args, today: date) -> tuple[Period, dict, dict]:
    """(period, errors, typed). With errors, the period is the default one."""
    fallback = default_period(today)
    typed = {
        "from": _text(args, "from")[:20] or fallback.param("from"),
        "to": _text(args, "to")[:20] or fallback.param("to"),
    }
    errors: dict[str, object] = {}
    first, last = _month(typed["from"]), _month(typed["to"])
    if first is None:
        errors["from"] = _l("Enter a month like 2026-01.")
    if last is None:
        errors["to"] = _l("Enter a month like 2026-12.")
    if first and last:
        if last < first:
            errors["to"] = _l("The last month must not be before the first month.")
        elif Period(first, last).months > MAX_MONTHS:
            errors["to"] = _l("Choose at most five years.")
        elif first > date(today.year, today.month, 1):
            errors["from"] = _l("The first month must not be in the future.")
    if errors:
        return fallback, errors, typed
    return Period(first, last), {}, typed


def check_in(form) -> tuple[dict, dict]:
    errors: dict[str, object] = {}
    values: dict[str, object] = {"safe_at_home": None, "helped": None, "hindered": None}
    safe = _text(form, "safe_at_home")
    if safe:
        if safe in {"1", "2", "3", "4", "5"}:
            values["safe_at_home"] = int(safe)
        else:
            errors["safe_at_home"] = _l("Choose a number from 1 to 5, or leave it out.")
    helped = _text(form, "helped")
    if helped:
        if helped in HELPED:
            values["helped"] = helped
        else:
            errors["helped"] = _l("Choose one of the answers, or leave it out.")
    hindered = _text(form, "hindered")
    if hindered:
        if hindered in HINDERED:
            values["hindered"] = hindered
        else:
            errors["hindered"] = _l("Choose one of the answers, or leave it out.")
    note = form.get("note", "")
    note = note.strip() if isinstance(note, str) else ""
    if len(note) > NOTE_MAX:
        errors["note"] = _l("Keep it under %(n)s characters.", n=NOTE_MAX)
    values["note"] = note or None
    if not errors and not any(values.values()):
        errors["safe_at_home"] = _l("Answer at least one question, or just leave this page.")
    return values, errors
