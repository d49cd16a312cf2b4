"""The appointment forms, their rules as validators.

Times: a form takes a local date, start and end and a time zone (the viewer's own by default);
`moments()` gives them in UTC. A local time that does not exist (it falls in a daylight-saving
gap, such as 01:30 in London on the last Sunday of March) is refused with a message; one that
happens twice (clocks go back) means its FIRST occurrence (fold=0, still summer time).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation

from ..accounts.models import Role, User
from ..database import utcnow
from ..forms import (
    BooleanField,
    Choice,
    ClockField,
    DayField,
    Form,
    MaxChars,
    Radios,
    Required,
    TextAreaField,
    TextField,
    TimeZoneField,
    ValidationError,
    options,
    strip,
)
from ..localtime import gap_error, to_utc, valid_zone, zone
from .labels import KIND_LABELS, OUTCOME_LABELS
from .models import Appointment

PAST_LIMIT = timedelta(days=366)  # how far back a date may be entered
FUTURE_LIMIT = timedelta(days=5 * 365)  # and how far ahead
MAX_PLACE = 200
MAX_LINK = 500
MAX_NOTE = 2000
MAX_MESSAGE = 1000
MAX_TITLE = 60

DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
TIME_RE = re.compile(r"\d{1,2}:\d{2}(:\d{2})?")
LINK_RE = re.compile(r"https?://[^\s/]+\S*")


# --- fields and validators ------------------------------------------------------------------


class Day(DayField):
    """A date as year-month-day; a badly written one and one that does not exist get
    different messages."""

    invalid = _l("Enter the date as year-month-day, for example 2027-03-28.")
    missing = _l("That date does not exist. Check the day and month.")

    def process_formdata(self, valuelist):
        text = strip(valuelist[0]) if valuelist else ""
        self.data = None
        if not text:
            return
        if not DATE_RE.fullmatch(text):
            raise ValueError(str(self.invalid))
        try:
            self.data = date.fromisoformat(text)
        except ValueError:
            raise ValueError(str(self.missing)) from None


class Clock(ClockField):
    """Hours and minutes (and seconds, if sent), as a time input sends them."""

    invalid = _l("Enter the time as hours and minutes, for example 14:30.")

    def parse(self, text):
        if not TIME_RE.fullmatch(text):
            return None
        try:
            return time.fromisoformat(text if len(text.split(":")[0]) == 2 else "0" + text)
        except ValueError:
            return None


class Tick(BooleanField):
    """A check box, ticked when it sends 1, on or yes."""

    def process_formdata(self, valuelist):
        self.data = bool(valuelist) and valuelist[0] in ("1", "on", "yes")

    def _value(self):
        return "1"


class Within:
    """A date from a year ago to five years ahead."""

    def __init__(self):
        self.message = _l("Choose a date within the next five years.")
        self.too_early = _l("Choose a date within the last year or later.")

    def __call__(self, form, field):
        today = utcnow().date()
        if field.data > today + FUTURE_LIMIT:
            raise StopValidation(self.message)
        if field.data < today - PAST_LIMIT:
            raise StopValidation(self.too_early)


def _when_parts(form, prefix: str):
    """(day, start, end, zone name) once the day, both times and the zone are good, else None.
    The day is checked before the times (the fields' order), the zone by its name."""
    day, start, end = (form[prefix + n] for n in ("date", "start", "end"))
    name = form[prefix + "timezone"].data
    if day.errors or day.data is None or start.data is None or end.data is None:
        return None
    if not valid_zone(name):
        return None
    return day.data, start.data, end.data, name


class NoGap:
    """A time skipped when the clocks go forward (it would be saved as another hour)."""

    def __init__(self, prefix: str):
        self.prefix = prefix
        # The words are gap_error's, which names the time and the zone.
        self.message = _l(
            "%(time)s does not exist on that day in %(zone)s: the clocks go forward. "
            "Choose a later time."
        )

    def __call__(self, form, field):
        parts = _when_parts(form, self.prefix)
        if parts is not None:
            day, _start, _end, name = parts
            problem = gap_error(day, field.data, ZoneInfo(name), name)
            if problem:
                raise StopValidation(problem)


class EndsAfterStart:
    def __init__(self, prefix: str):
        self.prefix = prefix
        self.message = _l("The end must be after the start.")

    def __call__(self, form, field):
        parts = _when_parts(form, self.prefix)
        if parts is None or form[self.prefix + "start"].errors:
            return
        starts, ends = form.moments(self.prefix)
        if ends <= starts:
            raise StopValidation(self.message)


def when_fields(prefix: str = ""):
    """Date, start, end and time zone, in that order (the zones offered are set per request)."""
    return (
        Day(_l("Date"), [Required(_l("Enter a date.")), Within()]),
        Clock(_l("Starts"), [Required(_l("Enter a start time.")), NoGap(prefix)]),
        Clock(
            _l("Ends"),
            [Required(_l("Enter an end time.")), NoGap(prefix), EndsAfterStart(prefix)],
        ),
        Choice(_l("Time zone"), invalid=_l("Choose a time zone from the list.")),
    )


def when_data(starts_at: datetime, ends_at: datetime, zone_name: str, prefix: str = "") -> dict:
    """A time span as a form shows it in a zone."""
    tz = zone(zone_name)
    start, end = starts_at.astimezone(tz), ends_at.astimezone(tz)
    return {
        prefix + "date": start.date(),
        prefix + "start": start.time(),
        prefix + "end": end.time(),
        prefix + "timezone": tz.key,
    }


class _WhenForm(Form):
    """A form with a time span: `zones` are the time zones offered (a valid zone that was
    sent is offered too, so it stays chosen)."""

    when_prefix = ""

    def __init__(self, *args, zones=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self._fields.get(self.when_prefix + "timezone")
        if field is None:  # this base itself
            return
        offered = list(zones)
        if valid_zone(field.data) and field.data not in offered:
            offered.append(field.data)
        field.choices = options((name, name) for name in offered)

    def moments(self, prefix: str | None = None) -> tuple[datetime, datetime]:
        """The start and end in UTC (call once the form is valid)."""
        prefix = self.when_prefix if prefix is None else prefix
        tz = zone(self[prefix + "timezone"].data)
        day = self[prefix + "date"].data
        return (
            to_utc(day, self[prefix + "start"].data, tz),
            to_utc(day, self[prefix + "end"].data, tz),
        )


# --- the forms ------------------------------------------------------------------------------


class AppointmentForm(_WhenForm):
    """A new or changed appointment. `people` are the staff member's caseload (whom they may
    book for); `editing` is the appointment being changed (its person stays)."""

    survivor = Choice(
        _l("For"), invalid=_l("Choose a person from your list."), validate_choice=False
    )
    kind = Choice(
        _l("Kind"),
        [Required(_l("Choose what kind of appointment this is."))],
        choices={"": _l("Choose…"), **{k.value: label for k, label in KIND_LABELS.items()}},
        invalid=_l("Choose what kind of appointment this is."),
    )
    date, start, end, timezone = when_fields()
    place = TextField(
        _l("Place (optional)"),
        [MaxChars(MAX_PLACE, _l("Keep the place under %(n)d characters.", n=MAX_PLACE))],
    )
    link = TextField(
        _l("Online link (optional)"),
        [MaxChars(MAX_LINK, _l("Keep the link under %(n)d characters.", n=MAX_LINK))],
        description=_l("A web address starting with https://"),
    )
    note = TextAreaField(
        _l("Note (optional)"),
        [MaxChars(MAX_NOTE, _l("Keep the note under %(n)d characters.", n=MAX_NOTE))],
        filters=[strip],
    )
    shared = Tick(_l("Let my support contact see this"))

    def __init__(self, *args, user: User | None = None, people=(), editing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.editing, self.person = user, editing, None
        self.people = {p.public_id: p for p in people}
        choices = [SelectChoice("", _("Myself"))] if user and user.has_role(Role.SURVIVOR) else []
        choices += [
            SelectChoice(p.public_id, f"{p.pseudonym} ({p.timezone})", render_kw={"dir": "auto"})
            for p in people
        ]
        self.survivor.choices = choices

    def validate_survivor(self, field):
        """Whom it is for: the person of the appointment being changed; for staff, someone on
        their caseload; for a survivor, themselves."""
        if self.editing is not None:
            self.person = self.editing.survivor
        elif self.user.has_role(Role.STAFF) and field.data:
            self.person = self.people.get(field.data)
            if self.person is None:
                raise ValidationError(str(field.invalid))
        elif self.user.has_role(Role.SURVIVOR):
            self.person = self.user
        else:
            raise ValidationError(str(field.invalid))

    def validate_link(self, field):
        if field.data and not field.errors and not LINK_RE.fullmatch(field.data):
            raise ValidationError(_("Enter a web address starting with https://"))

    def values(self) -> dict:
        """What the services take: kind, start, end, place, link, note and the share tick."""
        starts_at, ends_at = self.moments()
        return {
            "kind": self.kind.data,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "place": self.place.data or None,
            "link": self.link.data or None,
            "note": self.note.data or None,
            "shared": bool(self.shared.data),
        }

    @staticmethod
    def data_of(appointment: Appointment, zone_name: str) -> dict:
        """An appointment as the form shows it, in the viewer's zone."""
        return {
            "survivor": appointment.survivor.public_id,
            "kind": appointment.kind.value,
            **when_data(appointment.starts_at, appointment.ends_at, zone_name),
            "place": appointment.place or "",
            "link": appointment.link or "",
            "note": appointment.note or "",
            "shared": appointment.shared,
        }


class OutcomeForm(Form):
    """Attended or missed, only once the appointment has ended and if it was not cancelled."""

    outcome = Radios(
        _l("Did you go?"),
        choices={o.value: label for o, label in OUTCOME_LABELS.items()},
        invalid=_l("Choose an answer."),
    )

    def __init__(self, *args, appointment: Appointment | None = None, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.appointment, self.now = appointment, now

    def validate_outcome(self, field):
        if self.appointment.cancelled:
            problem = _("This appointment was cancelled.")
        elif not self.appointment.ended(self.now or utcnow()):
            problem = _("You can mark this once the appointment has ended.")
        else:
            return
        field.errors[:] = []  # what happened to the appointment comes before the choice
        raise ValidationError(problem)


class RescheduleForm(_WhenForm):
    """A new time for an appointment: the survivor's own moves, others are asked for."""

    date, start, end, timezone = when_fields()
    message = TextAreaField(
        _l("Message (optional)"),
        [MaxChars(MAX_MESSAGE, _l("Keep the message under %(n)d characters.", n=MAX_MESSAGE))],
        filters=[strip],
    )


DECISIONS = {
    "accept": _l("Accept the suggested time"),
    "decline": _l("Keep the current time"),
    "propose": _l("Propose another time"),
}


class AnswerForm(_WhenForm):
    """Staff answer a request to move: accept, decline, or propose another time (then the
    new time is checked like any other)."""

    when_prefix = "new_"
    decision = Radios(_l("Your answer"), choices=DECISIONS, invalid=_l("Choose an answer."))
    note = TextAreaField(
        _l("Note (optional)"),
        [MaxChars(MAX_MESSAGE, _l("Keep the note under %(n)d characters.", n=MAX_MESSAGE))],
        filters=[strip],
    )
    new_date, new_start, new_end, new_timezone = when_fields("new_")

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if self.decision.data != "propose":  # the new time matters only when proposed
            for name in ("date", "start", "end", "timezone"):
                self["new_" + name].errors = []
            valid = not any(f.errors for f in self) and not self.form_errors
        return valid


class FeedForm(Form):
    """What the survivor's calendar feed shows."""

    title = TextField(
        _l("Title of each entry"),
        [MaxChars(MAX_TITLE, _l("Keep the title under %(n)d characters.", n=MAX_TITLE))],
    )
    show_kind = Tick(_l("What kind of appointment it is"))
    show_place = Tick(_l("The place or online link"))
    show_note = Tick(_l("The note"))
    show_organisation = Tick(_l("The name of this service"))

    def validate_title(self, field):
        if field.data and not field.errors and any(ord(c) < 32 for c in field.data):
            raise ValidationError(_("Use letters, numbers and spaces only."))


class FeedAddressForm(Form):
    """A new private address, shown once in a read-only box to copy; nothing is sent from it."""

    address = TextField(_l("Address"), id="feed-url")


class ZoneForm(Form):
    """A person's own time zone, typed as an IANA name (any letter case)."""

    timezone = TimeZoneField(
        _l("Time zone"),
        [Required(_l("Enter a time zone, for example Asia/Bangkok."))],
        description=_l(
            "Region/City, for example Asia/Bangkok, Europe/London or America/Mexico_City."
        ),
    )
