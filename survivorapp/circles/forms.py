"""The circles' forms: posting a circle, changing one session, marking who came, the calendar
file and the list's filters. Every error is a translated message next to its field."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, StopValidation

from ..forms import (
    BooleanField,
    Checkboxes,
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
    WholeNumberField,
    options,
    strip,
)
from ..i18n import LANGUAGE_NAMES, bidi
from ..localtime import gap_error, zone
from ..settings import org_setting
from . import schedule
from .models import Format, Repeat, Topic
from .schedule import MAX_COUNT, RuleError

TOPICS = {
    Topic.WELLBEING: _l("Wellbeing"),
    Topic.WORK: _l("Work and training"),
    Topic.MONEY: _l("Money and budgeting"),
    Topic.DAILY_LIFE: _l("Home and daily life"),
    Topic.PARENTING: _l("Parenting"),
    Topic.LANGUAGE: _l("Language practice"),
    Topic.CREATIVE: _l("Creative activities"),
    Topic.MOVEMENT: _l("Sport and movement"),
    Topic.FRIENDSHIP: _l("Friendship and social time"),
}
FORMATS = {
    Format.IN_PERSON: _l("In person"),
    Format.ONLINE: _l("Online"),
    Format.PHONE: _l("By phone"),
}
REPEATS = {
    Repeat.WEEKLY: _l("Every week"),
    Repeat.FORTNIGHTLY: _l("Every other week"),
    Repeat.MONTHLY: _l("Once a month"),
    Repeat.ONCE: _l("Just once"),
}
REPEATING = (Repeat.WEEKLY, Repeat.FORTNIGHTLY, Repeat.MONTHLY)
NTHS = {
    "1": _l("First"),
    "2": _l("Second"),
    "3": _l("Third"),
    "4": _l("Fourth"),
    "-1": _l("Last"),
}
ENDS = {"count": _l("After a number of sessions"), "until": _l("On a date")}
NAME_MAX = 80
PLACE_MAX = 300
NOTE_MAX = 200
TITLE_MAX = 60
CAPACITY_MAX = 50
DURATION_MIN, DURATION_MAX = 15, 240
AHEAD_MAX = timedelta(days=366)  # how far ahead a first date or a moved session may be

CAPACITY_MESSAGE = _l("Choose a number of places from 1 to %(max)s.", max=CAPACITY_MAX)
FIRST_DATE_MESSAGE = _l("Enter the first date, for example 2026-03-24.")
START_MESSAGE = _l("Enter a start time, for example 18:00.")
UNTIL_MESSAGE = _l("Enter the last date, for example 2026-06-30.")
NEW_DATE_MESSAGE = _l("Enter the new date, for example 2026-03-24.")
NEW_TIME_MESSAGE = _l("Enter the new start time, for example 18:00.")
TOPIC_MESSAGE = _l("Choose a topic from the list.")
DURATION_MESSAGE = _l(
    "Choose a length from %(low)s to %(high)s minutes.", low=DURATION_MIN, high=DURATION_MAX
)
COUNT_MESSAGE = _l("Choose between 1 and %(max)s sessions.", max=MAX_COUNT)
RULE_MESSAGES = {  # RuleError code -> (field, message)
    "timezone": ("timezone", _l("Choose a time zone from the list, such as Europe/Madrid.")),
    "endless": (
        "ends",
        _l("A repeating circle needs an end: choose an end date or a number of sessions."),
    ),
    "count": ("count", COUNT_MESSAGE),
    "until": ("until", _l("The end date can be at most one year after the first session.")),
    "empty": ("until", _l("No session falls between the first date and the end date.")),
    "nth": ("nth", _l("Choose which week of the month.")),
    "repeat": ("repeat", _l("Choose how often the circle meets.")),
    "rule": ("repeat", _l("We could not read that schedule. Please choose again.")),
}


def offered_languages() -> list[str]:
    return [c for c in org_setting("LANGUAGES") if c in LANGUAGE_NAMES]


def _language_options(codes) -> list[tuple[str, Markup]]:
    """Each language named in itself, marked with its own `lang`."""
    return [(c, Markup('<span lang="{}">{}</span>').format(c, LANGUAGE_NAMES[c])) for c in codes]


class Day(DayField):
    """A date between the years 1900 and 2200 (no overflow at the edges of time)."""

    def parse(self, text):
        found = super().parse(text)
        return found if found is not None and 1900 <= found.year <= 2200 else None


def _ignore(field) -> None:
    """This field does not apply to what was chosen: whatever it holds, no error."""
    field.errors[:] = []
    raise StopValidation()


class CircleForm(Form):
    """A new circle. `today` is the mentor's date; dates and times are local to the chosen
    zone. Once valid, `circle_data()` is what `hosting.create_circle` stores."""

    name = TextField(
        _l("Name"),
        [
            Required(_l("Give the circle a name.")),
            MaxChars(NAME_MAX, _l("Keep the name under %(max)s characters.", max=NAME_MAX)),
        ],
    )
    topic = Choice(
        _l("Topic"),
        [Required(TOPIC_MESSAGE)],
        choices={"": _l("Choose a topic"), **TOPICS},
        invalid=TOPIC_MESSAGE,
    )
    languages = Checkboxes(
        _l("Languages spoken"),
        [Required(_l("Choose at least one language."))],
        invalid=_l("Choose languages from the list."),
    )
    format = Radios(_l("How it meets"), choices=FORMATS, invalid=_l("Choose how the circle meets."))
    place = TextAreaField(
        _l("Place, link or phone number"),
        [
            Required(_l("Say where the circle meets, or give a link or phone number.")),
            MaxChars(PLACE_MAX, _l("Keep this under %(max)s characters.", max=PLACE_MAX)),
        ],
        filters=[strip],
        description=_l("Only members see this."),
    )
    capacity = WholeNumberField(
        _l("Places"),
        [Required(CAPACITY_MESSAGE), NumberRange(1, CAPACITY_MAX, CAPACITY_MESSAGE)],
        invalid=CAPACITY_MESSAGE,
    )
    duration = WholeNumberField(
        _l("Length in minutes"),
        [
            Required(DURATION_MESSAGE),
            NumberRange(DURATION_MIN, DURATION_MAX, DURATION_MESSAGE),
        ],
        invalid=DURATION_MESSAGE,
    )
    repeat = Radios(
        _l("How often"), choices=REPEATS, invalid=_l("Choose how often the circle meets.")
    )
    nth = Choice(
        _l("For once a month: which week"),
        choices=NTHS,
        invalid=_l("Choose which week of the month."),
        description=_l("The day of the week is the first date's."),
    )
    first_date = Day(_l("First date"), [Required(FIRST_DATE_MESSAGE)], invalid=FIRST_DATE_MESSAGE)
    start_time = ClockField(_l("Start time"), [Required(START_MESSAGE)], invalid=START_MESSAGE)
    timezone = TimeZoneField(
        _l("Time zone"),
        [Required(RULE_MESSAGES["timezone"][1])],
        invalid=RULE_MESSAGES["timezone"][1],
        description=_l("Where the time is counted, for example Europe/Madrid."),
    )
    ends = Radios(
        _l("When it ends (for repeating circles)"),
        choices=ENDS,
        invalid=RULE_MESSAGES["endless"][1],
    )
    count = WholeNumberField(_l("Number of sessions (up to 60)"), invalid=COUNT_MESSAGE)
    until = Day(
        _l("Last date (up to one year after the first)"),
        invalid=UNTIL_MESSAGE,
    )

    def __init__(self, *args, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.rule: str | None = None
        self.languages.choices = options(_language_options(offered_languages()))

    def _ends_with(self, kind: str) -> bool:
        return self.repeat.data in REPEATING and self.ends.data == kind

    def validate_first_date(self, field):
        if self.today is None or field.data is None:
            return
        if not self.today - timedelta(days=1) <= field.data <= self.today + AHEAD_MAX:
            raise ValidationError(_l("Choose a first date from today to one year ahead."))

    def validate_nth(self, field):
        if self.repeat.data != Repeat.MONTHLY:
            _ignore(field)

    def validate_ends(self, field):
        if self.repeat.data not in REPEATING:
            _ignore(field)

    def validate_count(self, field):
        if not self._ends_with("count"):
            _ignore(field)
        if not field.errors and (field.data is None or not 1 <= field.data <= MAX_COUNT):
            raise ValidationError(COUNT_MESSAGE)

    def validate_until(self, field):
        if not self._ends_with("until"):
            _ignore(field)
        if field.errors:
            return
        if field.data is None:
            raise ValidationError(UNTIL_MESSAGE)
        first = self.first_date.data
        if first is not None and not self.first_date.errors and field.data < first:
            raise ValidationError(_l("The end date must be after the first date."))

    def validate(self, extra_validators=None) -> bool:
        """The fields, then the schedule they make together (its first session may come after
        the first date chosen, and must not fall in an hour the clocks skip)."""
        if not super().validate(extra_validators):
            return False
        repeat, first, at, tzid = (
            self.repeat.data,
            self.first_date.data,
            self.start_time.data,
            self.timezone.data,
        )
        try:
            self.rule = schedule.build_rule(
                repeat,
                first,
                nth=int(self.nth.data) if repeat == Repeat.MONTHLY else None,
                until=self.until.data if self._ends_with("until") else None,
                count=self.count.data if self._ends_with("count") else None,
                at=at,
                tzid=tzid,
            )
            start = schedule.first_session(self.rule, schedule.local_start(first, at, tzid))
        except RuleError as e:
            name, message = RULE_MESSAGES.get(e.code, RULE_MESSAGES["rule"])
            self[name].errors.append(message)
            return False
        gap = gap_error(start.date(), at, zone(tzid), tzid)
        if gap:
            self.start_time.errors.append(gap)
            return False
        self.first_date.data = start.date()
        return True

    def circle_data(self) -> dict:
        return {
            "name": self.name.data,
            "topic": self.topic.data,
            "format": self.format.data,
            "place": self.place.data,
            "capacity": self.capacity.data,
            "duration": self.duration.data,
            "languages": sorted(set(self.languages.data)),
            "timezone": self.timezone.data,
            "repeat": self.repeat.data,
            "rule": self.rule,
            "first_date": self.first_date.data,
            "start_time": self.start_time.data,
            "nth": int(self.nth.data) if self.repeat.data == Repeat.MONTHLY else None,
        }


class NoteForm(Form):
    """Cancelling a session, with a note for members."""

    note = TextField(
        _l("Short note for members (optional)"),
        [MaxChars(NOTE_MAX, _l("Keep the note under %(max)s characters.", max=NOTE_MAX))],
    )

    @property
    def note_text(self) -> str | None:
        return self.note.data or None


class MoveForm(NoteForm):
    """Moving a session to a date and time in the circle's zone `tzid`, from now to a year on."""

    new_date = Day(_l("New date"), [Required(NEW_DATE_MESSAGE)], invalid=NEW_DATE_MESSAGE)
    new_time = ClockField(
        _l("New start time"), [Required(NEW_TIME_MESSAGE)], invalid=NEW_TIME_MESSAGE
    )
    note = TextField(
        _l("Short note for members (optional)"),
        [MaxChars(NOTE_MAX, _l("Keep the note under %(max)s characters.", max=NOTE_MAX))],
        id="move-note",
    )

    def __init__(self, *args, tzid: str = "UTC", now: datetime | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.tzid, self.now = tzid, now
        self.new_start: datetime | None = None

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        day, at = self.new_date.data, self.new_time.data
        if self.new_date.errors or self.new_time.errors:
            return False
        gap = gap_error(day, at, zone(self.tzid), self.tzid)
        if gap:
            self.new_time.errors.append(gap)
            return False
        self.new_start = schedule.local_start(day, at, self.tzid)
        if self.now is not None and not self.now <= self.new_start <= self.now + AHEAD_MAX:
            self.new_date.errors.append(_l("Choose a new date from today to one year ahead."))
            return False
        return valid


class AttendanceForm(Form):
    """Who came to a session. The choices are the people expected (set per request); an id
    that is not among them is ignored, as is anyone who left meanwhile."""

    present = Checkboxes(
        _l("Who came"), invalid=_l("Choose people from the list."), validate_choice=False
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        single = _l("this session only")
        self.present.choices = options(
            (
                person.public_id,
                Markup('{} <span class="tag">{}</span>').format(bidi(person.pseudonym), single)
                if only
                else bidi(person.pseudonym),
            )
            for person, only in people
        )

    @property
    def present_ids(self) -> set[str]:
        return {value for value in self.present.data or () if isinstance(value, str)}


class CalendarForm(Form):
    """The calendar file's own words: a neutral title the person picks, and the place only if
    they ask for it."""

    title = TextField(
        _l("Name in your calendar"),
        default=_l("Meeting"),
        id="calendar-title",
        description=_l("Anyone who sees your calendar sees this name."),
    )
    place = BooleanField(_l("Include where it meets"), id="calendar-place")

    @property
    def title_text(self) -> str:
        return " ".join(str(self.title.data or "").split())[:TITLE_MAX] or str(_l("Meeting"))

    @property
    def with_place(self) -> bool:
        """Only the page's own check box ("1") asks for the place."""
        return (self.place.raw_data or [None])[0] == "1"


class FilterForm(Form):
    """The list's filters (a GET form): an unknown value is an error, and is not applied."""

    language = Choice(
        _l("Language"),
        invalid=_l("Choose a language from the list."),
        default="",
        id="filter-language",
    )
    format = Choice(
        _l("How it meets"),
        choices={"": _l("Any way"), **FORMATS},
        invalid=_l("Choose a way of meeting from the list."),
        default="",
        id="filter-format",
    )
    topic = Choice(
        _l("Topic"),
        choices={"": _l("Any topic"), **TOPICS},
        invalid=TOPIC_MESSAGE,
        default="",
        id="filter-topic",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = [SelectChoice("", _l("Any language"))] + [
            SelectChoice(c, LANGUAGE_NAMES[c], {"lang": c}) for c in offered_languages()
        ]

    def chosen(self) -> dict[str, str]:
        """The filters that apply: those chosen and valid."""
        return {
            f.name: f.data
            for f in (self.language, self.format, self.topic)
            if f.data and not f.errors
        }
