"""Recurrence for circles: RFC 5545 rules built from a simple form, expanded with dateutil.

The rule is expanded with an AWARE local DTSTART (zoneinfo), so dateutil keeps the wall-clock
time: a weekly 18:00 in Europe/Madrid stays 18:00 local across daylight-saving changes, and its
UTC instant shifts by an hour. UNTIL is written in UTC, as RFC 5545 requires with a TZID.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import rrulestr

from ..localtime import valid_zone
from .models import Repeat

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
NTHS = (1, 2, 3, 4, -1)
MAX_COUNT = 60  # sessions in one recurring schedule
MAX_SPAN = timedelta(days=366)  # from the first session to the end of the schedule
STAMP = "%Y%m%dT%H%M%SZ"


class RuleError(ValueError):
    """A schedule we refuse; `code` names the reason (the form turns it into a message)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def zone(name: str) -> ZoneInfo:
    """A named IANA zone, or RuleError("timezone")."""
    if not valid_zone(name):
        raise RuleError("timezone")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as e:
        raise RuleError("timezone") from e


def local_start(first: date, at: time, tzid: str) -> datetime:
    return datetime.combine(first, at.replace(tzinfo=None), tzinfo=zone(tzid))


def build_rule(
    repeat: Repeat | str,
    first: date,
    *,
    nth: int | None = None,
    until: date | None = None,
    count: int | None = None,
    at: time,
    tzid: str,
) -> str | None:
    """The RRULE for the form's choice (None for a one-off). The weekday is the first date's."""
    if repeat == Repeat.ONCE:
        return None
    day = WEEKDAYS[first.weekday()]
    if repeat == Repeat.WEEKLY:
        rule = f"FREQ=WEEKLY;BYDAY={day}"
    elif repeat == Repeat.FORTNIGHTLY:
        rule = f"FREQ=WEEKLY;INTERVAL=2;BYDAY={day}"
    elif repeat == Repeat.MONTHLY:
        if nth not in NTHS:
            raise RuleError("nth")
        rule = f"FREQ=MONTHLY;BYDAY={nth}{day}"
    else:
        raise RuleError("repeat")
    if count is not None:
        rule += f";COUNT={count}"
    elif until is not None:
        end = datetime.combine(until, time(23, 59, 59), tzinfo=zone(tzid))
        rule += f";UNTIL={end.astimezone(UTC).strftime(STAMP)}"
    check_rule(rule, local_start(first, at, tzid))
    return rule


def _parts(rule: str) -> dict[str, str]:
    parts = {}
    for piece in rule.split(";"):
        name, sep, value = piece.partition("=")
        if not sep or not name or not value:
            raise RuleError("rule")
        parts[name.upper()] = value
    return parts


def check_rule(rule: str, dtstart: datetime) -> None:
    """Refuse a rule that never ends, runs too long, or yields no session at all."""
    if len(rule) > 200:
        raise RuleError("rule")
    parts = _parts(rule)
    if "UNTIL" not in parts and "COUNT" not in parts:
        raise RuleError("endless")
    count = parts.get("COUNT")
    if count is not None and (not count.isdigit() or not 1 <= int(count) <= MAX_COUNT):
        raise RuleError("count")
    try:
        expanded = rrulestr(rule, dtstart=dtstart)
    except (ValueError, TypeError) as e:
        raise RuleError("rule") from e
    if "UNTIL" in parts:
        until = Token.load(parts["UNTIL"])
        if until is None:
            raise RuleError("rule")
        if until > (dtstart + MAX_SPAN).astimezone(UTC):
            raise RuleError("until")
    sessions = expanded.between(dtstart, dtstart + MAX_SPAN + timedelta(days=1), inc=True)
    if not sessions:
        raise RuleError("empty")
    if len(sessions) > MAX_COUNT:
        raise RuleError("count")


def first_session(rule: str | None, dtstart: datetime) -> datetime:
    """The first real occurrence (a monthly rule may start after the first date chosen)."""
    if rule is None:
        return dtstart
    found = rrulestr(rule, dtstart=dtstart).after(dtstart, inc=True)
    if found is None:
        raise RuleError("empty")
    return found


def occurrences(
    rule: str | None, dtstart: datetime, after: datetime, before: datetime
) -> list[datetime]:
    """Original session starts (aware UTC) between two instants, inclusive."""
    if rule is None:
        return [dtstart.astimezone(UTC)] if after <= dtstart <= before else []
    found = _by_whole_days(
        rule, dtstart, after.astimezone(UTC).date(), before.astimezone(UTC).date()
    )
    return [o for o in found if after <= o <= before]


@lru_cache(maxsize=2048)
def _by_whole_days(rule: str, dtstart: datetime, first: date, last: date) -> tuple[datetime, ...]:
    """Expanding a rule is most of the cost of the circles pages (dateutil walks it in Python,
    time zone by time zone), and the same circles are expanded on every request: keep the
    expansion over whole UTC days, which stays the same all day. Schedules only, nothing
    about any person; a rule or start that changes is a new key."""
    low = datetime.combine(first, time.min, UTC)
    high = datetime.combine(last, time.max, UTC)
    expanded = rrulestr(rule, dtstart=dtstart).between(low, high, inc=True)
    return tuple(o.astimezone(UTC) for o in expanded)


@dataclass(frozen=True)
class Token:
    """A session in a URL: its original start in UTC, as an iCalendar stamp."""

    @staticmethod
    def dump(moment: datetime) -> str:
        return moment.astimezone(UTC).strftime(STAMP)

    @staticmethod
    def load(text: str) -> datetime | None:
        if not isinstance(text, str) or len(text) != 16:
            return None
        try:
            found = datetime.strptime(text, STAMP).replace(tzinfo=UTC)
        except ValueError:
            return None
        return found if 1900 <= found.year <= 2200 else None
