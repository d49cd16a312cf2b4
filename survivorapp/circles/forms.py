"""Small hand-written validators for circles: every error is a translated message next to its
field, and the form keeps everything the person typed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from ..i18n import LANGUAGE_NAMES
from ..localtime import gap_error
from ..settings import org_setting
from . import schedule
from .schedule import MAX_COUNT, RuleError

TOPICS = {
    "wellbeing": _l("Wellbeing"),
    "work": _l("Work and training"),
    "money": _l("Money and budgeting"),
    "daily_life": _l("Home and daily life"),
    "parenting": _l("Parenting"),
    "language": _l("Language practice"),
    "creative": _l("Creative activities"),
    "movement": _l("Sport and movement"),
    "friendship": _l("Friendship and social time"),
}
FORMATS = {"in_person": _l("In person"), "online": _l("Online"), "phone": _l("By phone")}
REPEATS = {
    "weekly": _l("Every week"),
    "fortnightly": _l("Every other week"),
    "monthly": _l("Once a month"),
    "once": _l("Just once"),
}
NTHS = {
    "1": _l("First"),
    "2": _l("Second"),
    "3": _l("Third"),
    "4": _l("Fourth"),
    "-1": _l("Last"),
}
NAME_MAX = 80
PLACE_MAX = 300
NOTE_MAX = 200
CAPACITY_MAX = 50
DURATION_MIN, DURATION_MAX = 15, 240
AHEAD_MAX = timedelta(days=366)  # how far ahead a first date or a moved session may be

RULE_MESSAGES = {
    "timezone": ("timezone", _l("Choose a time zone from the list, such as Europe/Madrid.")),
    "endless": (
        "ends",
        _l("A repeating circle needs an end: choose an end date or a number of sessions."),
    ),
    "count": (
        "count",
        _l("Choose between 1 and %(max)s sessions.", max=MAX_COUNT),
    ),
    "until": ("until", _l("The end date can be at most one year after the first session.")),
    "empty": ("until", _l("No session falls between the first date and the end date.")),
    "nth": ("nth", _l("Choose which week of the month.")),
    "repeat": ("repeat", _l("Choose how often the circle meets.")),
    "rule": ("repeat", _l("We could not read that schedule. Please choose again.")),
}
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def offered_languages() -> list[str]:
    return [c for c in org_setting("LANGUAGES") if c in LANGUAGE_NAMES]


def parse_date(text: str | None) -> date | None:
    text = (text or "").strip()
    if not _DATE.match(text):
        return None
    try:
        found = date.fromisoformat(text)
    except ValueError:
        return None
    return found if 1900 <= found.year <= 2200 else None  # no overflow at the edges of time


def parse_time(text: str | None) -> time | None:
    match = _TIME.match((text or "").strip())
    return time(int(match.group(1)), int(match.group(2))) if match else None


def parse_int(text: str | None, low: int, high: int) -> int | None:
    text = (text or "").strip()
    if not text.isdigit() or len(text) > 6:
        return None
    value = int(text)
    return value if low <= value <= high else None


@dataclass
class Form:
    values: MultiDict = field(default_factory=MultiDict)
    errors: dict[str, object] = field(default_factory=dict)
    data: dict[str, object] = field(default_factory=dict)

    def get(self, name: str, default: str = "") -> str:
        return self.values.get(name, default)

    def getlist(self, name: str) -> list[str]:
        return self.values.getlist(name)

    def fail(self, name: str, message) -> None:
        self.errors.setdefault(name, message)


def circle_form(values: MultiDict, *, today: date) -> Form:
    """Check a new circle. `today` is the mentor's date; dates are local to the chosen zone."""
    form = Form(values=values)
    text = form.get("name").strip()
    if not text:
        form.fail("name", _l("Give the circle a name."))
    elif len(text) > NAME_MAX:
        form.fail("name", _l("Keep the name under %(max)s characters.", max=NAME_MAX))
    form.data["name"] = text

    topic = form.get("topic")
    if topic not in TOPICS:
        form.fail("topic", _l("Choose a topic from the list."))
    form.data["topic"] = topic

    offered = offered_languages()
    languages = form.getlist("languages")
    if not languages:
        form.fail("languages", _l("Choose at least one language."))
    elif len(languages) > len(offered) or any(code not in offered for code in languages):
        form.fail("languages", _l("Choose languages from the list."))
    form.data["languages"] = sorted(set(languages))

    fmt = form.get("format")
    if fmt not in FORMATS:
        form.fail("format", _l("Choose how the circle meets."))
    form.data["format"] = fmt

    place = form.get("place").strip()
    if not place:
        form.fail("place", _l("Say where the circle meets, or give a link or phone number."))
    elif len(place) > PLACE_MAX:
        form.fail("place", _l("Keep this under %(max)s characters.", max=PLACE_MAX))
    form.data["place"] = place

    capacity = parse_int(form.get("capacity"), 1, CAPACITY_MAX)
    if capacity is None:
        form.fail("capacity", _l("Choose a number of places from 1 to %(max)s.", max=CAPACITY_MAX))
    form.data["capacity"] = capacity

    duration = parse_int(form.get("duration"), DURATION_MIN, DURATION_MAX)
    if duration is None:
        form.fail(
            "duration",
            _l(
                "Choose a length from %(low)s to %(high)s minutes.",
                low=DURATION_MIN,
                high=DURATION_MAX,
            ),
        )
    form.data["duration"] = duration

    tzid = form.get("timezone").strip()
    try:
        schedule.zone(tzid)
    except RuleError:
        form.fail("timezone", RULE_MESSAGES["timezone"][1])
        tzid = None
    form.data["timezone"] = tzid

    first = parse_date(form.get("first_date"))
    if first is None:
        form.fail("first_date", _l("Enter the first date, for example 2026-03-24."))
    elif first < today - timedelta(days=1) or first > today + AHEAD_MAX:
        form.fail("first_date", _l("Choose a first date from today to one year ahead."))
        first = None
    at = parse_time(form.get("start_time"))
    if at is None:
        form.fail("start_time", _l("Enter a start time, for example 18:00."))

    repeat = form.get("repeat")
    nth = until = count = None
    if repeat not in REPEATS:
        form.fail("repeat", _l("Choose how often the circle meets."))
    if repeat == "monthly":
        nth_text = form.get("nth")
        if nth_text not in NTHS:
            form.fail("nth", _l("Choose which week of the month."))
        else:
            nth = int(nth_text)
    if repeat in ("weekly", "fortnightly", "monthly"):
        ends = form.get("ends")
        if ends == "until":
            until = parse_date(form.get("until"))
            if until is None:
                form.fail("until", _l("Enter the last date, for example 2026-06-30."))
            elif first is not None and until < first:
                form.fail("until", _l("The end date must be after the first date."))
        elif ends == "count":
            count = parse_int(form.get("count"), 1, MAX_COUNT)
            if count is None:
                form.fail("count", RULE_MESSAGES["count"][1])
        else:
            form.fail("ends", RULE_MESSAGES["endless"][1])

    if form.errors or first is None or at is None or tzid is None:
        return form
    try:
        rule = schedule.build_rule(
            repeat, first, nth=nth, until=until, count=count, at=at, tzid=tzid
        )
        start = schedule.first_session(rule, schedule.local_start(first, at, tzid))
    except RuleError as e:
        name, message = RULE_MESSAGES.get(e.code, RULE_MESSAGES["rule"])
        form.fail(name, message)
        return form
    gap = gap_error(start.date(), at, schedule.zone(tzid), tzid)
    if gap:
        form.fail("start_time", gap)
        return form
    form.data.update(
        repeat=repeat,
        rule=rule,
        first_date=start.date(),
        start_time=at,
        nth=nth,
    )
    return form


def note_form(values: MultiDict) -> Form:
    form = Form(values=values)
    note = form.get("note").strip()
    if len(note) > NOTE_MAX:
        form.fail("note", _l("Keep the note under %(max)s characters.", max=NOTE_MAX))
    form.data["note"] = note or None
    return form


def move_form(values: MultiDict, *, tzid: str, now: datetime) -> Form:
    form = note_form(values)
    day = parse_date(form.get("new_date"))
    at = parse_time(form.get("new_time"))
    if day is None:
        form.fail("new_date", _l("Enter the new date, for example 2026-03-24."))
    if at is None:
        form.fail("new_time", _l("Enter the new start time, for example 18:00."))
    if day is not None and at is not None:
        gap = gap_error(day, at, schedule.zone(tzid), tzid)
        if gap:
            form.fail("new_time", gap)
            return form
        start = schedule.local_start(day, at, tzid)
        if start < now or start > now + AHEAD_MAX:
            form.fail("new_date", _l("Choose a new date from today to one year ahead."))
        form.data["new_start"] = start
    return form
