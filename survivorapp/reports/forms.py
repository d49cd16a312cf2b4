"""The report period (a GET query string) and the survivor's check-in, as WTForms forms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from ..forms import (
    Choice,
    Form,
    MaxChars,
    MonthField,
    Radios,
    TextAreaField,
    ValidationError,
    parse_month,
    strip,
)
from .models import Helped, Hindered

MAX_MONTHS = 60  # five years at most on one page
EARLIEST_YEAR = 2000
LATEST_YEAR = 2100
NOTE_MAX = 1000
TYPED_MAX = 20  # what is shown again of a month typed into the query string

HELPED = {
    Helped.GOALS: _l("Working on my goals"),
    Helped.APPOINTMENTS: _l("Appointments and support from the team"),
    Helped.GROUPS: _l("Group meetings"),
    Helped.BUDGET: _l("Keeping a budget"),
    Helped.HOUSING: _l("Help with a place to live"),
    Helped.TRAINING: _l("Courses and training"),
    Helped.PEOPLE: _l("People I can talk to"),
    Helped.OTHER: _l("Something else"),
}
HINDERED = {
    Hindered.MONEY: _l("Money worries"),
    Hindered.HOUSING: _l("Where I live"),
    Hindered.HEALTH: _l("Health"),
    Hindered.TIME: _l("Not enough time"),
    Hindered.LANGUAGE: _l("Language"),
    Hindered.PAPERWORK: _l("Paperwork and documents"),
    Hindered.NOTHING: _l("Nothing got in the way"),
    Hindered.OTHER: _l("Something else"),
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


def default_period(today: date) -> Period:
    """The last twelve months, this one included."""
    last = date(today.year, today.month, 1)
    y, m = (last.year - 1, last.month + 1) if last.month < 12 else (last.year, 1)
    return Period(date(y, m, 1), last)


# -- the period --------------------------------------------------------------------------------


class ReportMonth(MonthField):
    """A month from EARLIEST_YEAR to LATEST_YEAR. Left out, it is the default period's (set by
    PeriodForm); shown again as typed, to TYPED_MAX characters."""

    def parse(self, text):
        month = parse_month(text)
        return month if month and EARLIEST_YEAR <= month.year <= LATEST_YEAR else None

    def process_formdata(self, valuelist):
        text = strip(valuelist[0]) if valuelist else ""
        self.raw_data = [text[:TYPED_MAX]] if text else []
        super().process_formdata(valuelist)


class PeriodForm(Form):
    """From and to months, read from the query string: `PeriodForm(request.args, today=...)`.
    A month left out is the default period's (the last twelve months)."""

    first = ReportMonth(_l("First month"), name="from", invalid=_l("Enter a month like 2026-01."))
    last = ReportMonth(_l("Last month"), name="to", invalid=_l("Enter a month like 2026-12."))

    def __init__(self, formdata=None, *, today: date | None = None, **kwargs):
        super().__init__(formdata=formdata, **kwargs)
        self.today = today or date.today()
        self.fallback = default_period(self.today)
        for f, month in ((self.first, self.fallback.first), (self.last, self.fallback.last)):
            if f.data is None and not f.process_errors:
                f.data, f.raw_data = month, []

    def _span_problem(self) -> tuple[str, object] | None:
        """(field name, message) for two good months that do not make a period."""
        first, last = self.first.data, self.last.data
        if first is None or last is None:
            return None
        if last < first:
            return "last", _l("The last month must not be before the first month.")
        if Period(first, last).months > MAX_MONTHS:
            return "last", _l("Choose at most five years.")
        if first > date(self.today.year, self.today.month, 1):
            return "first", _l("The first month must not be in the future.")
        return None

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        problem = self._span_problem()
        if problem:
            name, message = problem
            self[name].errors.append(message)  # name: "first" or "last"
            return False
        return valid

    @property
    def period(self) -> Period:
        """The period asked for; the default one when the form has errors (validate first)."""
        if self.errors:
            return self.fallback
        return Period(self.first.data, self.last.data)


# -- the check-in ------------------------------------------------------------------------------


class LeftOutOrOneOf:
    """Nothing chosen, or one of the field's choices."""

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        if field.data and field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(self.message)


SAFE_INVALID = _l("Choose a number from 1 to 5, or leave it out.")


class CheckInForm(Form):
    """Every question may be left out, but not all of them."""

    safe_at_home = Radios(
        _l("How safe do you feel where you live? (1 to 5)"),
        [LeftOutOrOneOf(SAFE_INVALID)],
        choices={str(n): label for n, label in SAFE_LABELS.items()},
        invalid=SAFE_INVALID,
        validate_choice=False,  # optional: LeftOutOrOneOf
        filters=[strip],
    )
    helped = Choice(
        _l("What helped most lately?"),
        choices={"": _l("(skip)"), **HELPED},
        default="",
        invalid=_l("Choose one of the answers, or leave it out."),
    )
    hindered = Choice(
        _l("What got in the way?"),
        choices={"": _l("(skip)"), **HINDERED},
        default="",
        invalid=_l("Choose one of the answers, or leave it out."),
    )
    note = TextAreaField(
        _l("Anything else, in your own words (only you will see this)"),
        [MaxChars(NOTE_MAX, _l("Keep it under %(n)s characters.", n=NOTE_MAX))],
        filters=[strip],
    )

    def answers(self) -> dict:
        """What was answered: None for a question left out."""
        return {
            "safe_at_home": int(self.safe_at_home.data) if self.safe_at_home.data else None,
            "helped": Helped(self.helped.data) if self.helped.data else None,
            "hindered": Hindered(self.hindered.data) if self.hindered.data else None,
            "note": self.note.data or None,
        }

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if not any(self.answers().values()):
            self.safe_at_home.errors.append(
                _l("Answer at least one question, or just leave this page.")
            )
            return False
        return True
