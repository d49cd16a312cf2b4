"""Time zones and wall-clock times, for every feature: a person's zone and today, the
organisation's, the zones there are, and local hours that do not exist (a clock change)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel.dates import format_time
from flask_babel import get_locale
from flask_babel import gettext as _

ZONE_MAX = 64


@cache
def zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def valid_zone(name: object) -> bool:
    return isinstance(name, str) and 0 < len(name) <= ZONE_MAX and name in zone_names()


def zone(name: str | None) -> ZoneInfo:
    """The named zone, or UTC for a name that is empty or unknown."""
    try:
        return ZoneInfo(name) if valid_zone(name) else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def zone_of(user) -> ZoneInfo:
    return zone(user.timezone)


def today_for(user, now: datetime | None = None) -> date:
    """Today on the person's own calendar (23:30 on 31 January in Lima is still January)."""
    return (now or datetime.now(UTC)).astimezone(zone_of(user)).date()


class NonExistentTime(ValueError):
    """A local time inside a daylight-saving gap."""


def to_utc(day: date, clock: time, zone: ZoneInfo) -> datetime:
    """A local wall-clock time in `zone` as an aware UTC datetime.

    Raises NonExistentTime for a time skipped when clocks go forward. An ambiguous time (clocks
    go back, the hour happens twice) is read as its first occurrence (fold=0).
    """
    naive = datetime.combine(day, clock)
    local = naive.replace(tzinfo=zone, fold=0)
    moment = local.astimezone(UTC)
    if moment.astimezone(zone).replace(tzinfo=None) != naive:
        raise NonExistentTime(naive.isoformat())
    return moment


def gap_error(day: date, clock: time, zone: ZoneInfo, zone_name: str) -> str | None:
    """The form error for a time skipped when the clocks go forward (it would be saved as
    another hour), else None."""
    try:
        to_utc(day, clock, zone)
    except NonExistentTime:
        return _(
            "%(time)s does not exist on that day in %(zone)s: the clocks go forward. "
            "Choose a later time.",
            time=format_time(clock, "short", locale=get_locale()),
            zone=zone_name,
        )
    return None
