"""Wall-clock times in a named zone, shared by the features that book a local hour."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from babel.dates import format_time
from flask_babel import get_locale
from flask_babel import gettext as _


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
