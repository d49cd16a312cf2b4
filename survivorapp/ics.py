"""A small RFC 5545 (iCalendar) writer for appointment and circle exports.

Times are written in UTC ("Z") unless a time zone is given, in which case DTSTART carries a
TZID with an IANA name (what Google, Apple and Outlook accept) so that a weekly event stays at
the same local hour across daylight-saving changes; the calendar then carries a VTIMEZONE for
that name. Summaries stay neutral: callers decide.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from flask import current_app

from .settings import org_setting

# Neutral on purpose: the organisation's host could say what the app is for (RFC 2606).
UID_DOMAIN = "calendar.invalid"


def event_uid(kind: str, identity: str) -> str:
    """The UID of a calendar event: the same on every fetch (calendar apps match updates and
    cancellations by it), but not the public id, which appears in the app's addresses, so a
    shared .ics file leads nowhere. An HMAC of what the event is, under a key derived from
    SECRET_KEY for this use alone; changing SECRET_KEY changes every UID once."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    key = hmac.new(secret, b"calendar-uid", hashlib.sha256).digest()
    digest = hmac.new(key, f"{kind}:{identity}".encode(), hashlib.sha256).hexdigest()
    return f"{digest[:32]}@{UID_DOMAIN}"


def escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1)."""
    out, current = [], b""
    for ch in line:
        encoded = ch.encode("utf-8")
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode("utf-8"))
            current = b""
        current += encoded
    out.append(current.decode("utf-8"))
    return "\r\n ".join(out)


def utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def local_stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


RULE_HORIZON = timedelta(days=3660)  # a rule with no end is described for ten years


@dataclass
class Event:
    uid: str
    start: datetime  # aware
    end: datetime  # aware
    summary: str
    location: str | None = None
    description: str | None = None
    tzid: str | None = None  # IANA name: times written as local wall-clock time in that zone
    rrule: str | None = None  # e.g. "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"
    exdates: list[datetime] = field(default_factory=list)
    recurrence_id: datetime | None = None  # for a moved occurrence of a recurring event
    status: str | None = None  # CONFIRMED, CANCELLED, TENTATIVE
    sequence: int = 0
    stamp: datetime | None = None

    def _when(self, name: str, moment: datetime) -> str:
        if self.tzid:
            local = moment.astimezone(ZoneInfo(self.tzid))
            return f"{name};TZID={self.tzid}:{local_stamp(local)}"
        return f"{name}:{utc_stamp(moment)}"

    def moments(self) -> list[datetime]:
        """Every instant the event names, its last repetition included (the VTIMEZONE must
        reach it: a monthly rule of 60 sessions runs five years)."""
        extra = [self.recurrence_id] if self.recurrence_id is not None else []
        if self.rrule:
            local = self.start.astimezone(ZoneInfo(self.tzid)) if self.tzid else self.start
            rule = rrulestr(self.rrule, dtstart=local)
            last = rule.before(local + RULE_HORIZON, inc=True)
            extra.append((last or local) + (self.end - self.start))
        return [self.start, self.end, *self.exdates, *extra]

    def lines(self) -> list[str]:
        out = [
            "BEGIN:VEVENT",
            f"UID:{escape(self.uid)}",
            f"DTSTAMP:{utc_stamp(self.stamp or datetime.now(UTC))}",
            self._when("DTSTART", self.start),
            self._when("DTEND", self.end),
            f"SUMMARY:{escape(self.summary)}",
        ]
        if self.recurrence_id is not None:
            out.append(self._when("RECURRENCE-ID", self.recurrence_id))
        if self.rrule:
            out.append(f"RRULE:{self.rrule}")
        out.extend(self._when("EXDATE", d) for d in self.exdates)
        if self.location:
            out.append(f"LOCATION:{escape(self.location)}")
        if self.description:
            out.append(f"DESCRIPTION:{escape(self.description)}")
        if self.status:
            out.append(f"STATUS:{self.status}")
        if self.sequence:
            out.append(f"SEQUENCE:{self.sequence}")
        out.append("END:VEVENT")
        return out


def _offset(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    hours, rest = divmod(abs(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{'-' if seconds < 0 else '+'}{hours:02d}{minutes:02d}"
    return f"{text}{secs:02d}" if secs else text


def vtimezone(tzid: str, first: datetime, last: datetime) -> list[str]:
    """The VTIMEZONE for `tzid` between two instants, built from zoneinfo.

    RFC 5545 3.2.19 requires one for every TZID used: a reader that does not know the IANA name
    (or knows an older rule) would otherwise guess the offset. One component at `first`, then
    one per transition: found by scanning day by day in UTC, then bisecting to the second.
    """
    zone = ZoneInfo(tzid)

    def state(second: int) -> tuple[timedelta, timedelta, str]:
        local = datetime.fromtimestamp(second, zone)
        return local.utcoffset(), local.dst(), local.tzname()

    def component(second: int, before: timedelta) -> list[str]:
        offset, dst, tzname = state(second)
        kind = "DAYLIGHT" if dst > timedelta(0) else "STANDARD"  # Dublin: winter dst < 0
        wall = datetime.fromtimestamp(second, UTC) + before  # local time in the OLD offset
        return [
            f"BEGIN:{kind}",
            f"DTSTART:{local_stamp(wall)}",
            f"TZOFFSETFROM:{_offset(before)}",
            f"TZOFFSETTO:{_offset(offset)}",
            f"TZNAME:{escape(tzname)}",
            f"END:{kind}",
        ]

    day = 86_400
    second, end = int(first.timestamp()), int(last.timestamp())
    out = ["BEGIN:VTIMEZONE", f"TZID:{tzid}", *component(second, state(second)[0])]
    while second < end:
        low, high = second, second + day
        if state(low) != state(high):
            while high - low > 1:  # state(low) is the old one, state(high) the new one
                middle = (low + high) // 2
                low, high = (middle, high) if state(middle) == state(low) else (low, middle)
            out += component(high, state(low)[0])
        second += day
    return [*out, "END:VTIMEZONE"]


def calendar(events: Iterable[Event], *, name: str | None = None) -> str:
    events = list(events)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        # The organisation's neutral brand, as everywhere else outside the page body.
        f"PRODID:-//{escape(org_setting('BRAND_NAME'))}//Calendar//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    if name:
        lines.append(f"X-WR-CALNAME:{escape(name)}")
    for tzid in sorted({event.tzid for event in events if event.tzid}):
        moments = [m for event in events if event.tzid == tzid for m in event.moments()]
        day = timedelta(days=1)
        lines += vtimezone(tzid, min(moments) - day, max(moments) + day)
    for event in events:
        lines.extend(event.lines())
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
