"""Calendar files (RFC 5545) for appointment and circle exports, written by `icalendar`.

Times are in UTC unless an event names a time zone: then its times carry a TZID with the IANA
name (what Google, Apple and Outlook accept), so that a weekly event stays at the same local
hour across daylight-saving changes, and the calendar defines that zone in a VTIMEZONE
covering every instant it names. Summaries stay neutral: callers decide.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
from dateutil.rrule import rrulestr
from flask import current_app

from .settings import org_setting

# Neutral on purpose: the organisation's host could say what the app is for (RFC 2606).
UID_DOMAIN = "calendar.invalid"
RULE_HORIZON = timedelta(days=3660)  # a rule with no end is described for ten years


def event_uid(kind: str, identity: str) -> str:
    """The UID of a calendar event: the same on every fetch (calendar apps match updates and
    cancellations by it), but not the public id, which appears in the app's addresses, so a
    shared .ics file leads nowhere. An HMAC of what the event is, under a key derived from
    SECRET_KEY for this use alone; changing SECRET_KEY changes every UID once."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    key = hmac.new(secret, b"calendar-uid", hashlib.sha256).digest()
    digest = hmac.new(key, f"{kind}:{identity}".encode(), hashlib.sha256).hexdigest()
    return f"{digest[:32]}@{UID_DOMAIN}"


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

    def _at(self, moment: datetime) -> datetime:
        return moment.astimezone(ZoneInfo(self.tzid) if self.tzid else UTC)

    def moments(self) -> list[datetime]:
        """Every instant the event names, its last repetition included (the VTIMEZONE must
        reach it: a monthly rule of 60 sessions runs five years)."""
        extra = [self.recurrence_id] if self.recurrence_id is not None else []
        if self.rrule:
            local = self._at(self.start)
            last = rrulestr(self.rrule, dtstart=local).before(local + RULE_HORIZON, inc=True)
            extra.append((last or local) + (self.end - self.start))
        return [self.start, self.end, *self.exdates, *extra]

    def component(self) -> icalendar.Event:
        event = icalendar.Event()
        event.add("uid", self.uid)
        event.add("dtstamp", (self.stamp or datetime.now(UTC)).astimezone(UTC))
        event.add("dtstart", self._at(self.start))
        event.add("dtend", self._at(self.end))
        event.add("summary", self.summary)
        if self.recurrence_id is not None:
            event.add("recurrence-id", self._at(self.recurrence_id))
        if self.rrule:
            event.add("rrule", icalendar.vRecur.from_ical(self.rrule))
        for moment in self.exdates:
            event.add("exdate", self._at(moment))
        for name, value in (
            ("location", self.location),
            ("description", self.description),
            ("status", self.status),
            ("sequence", self.sequence or None),
        ):
            if value:
                event.add(name, value)
        return event


def vtimezone(tzid: str, first: datetime, last: datetime) -> icalendar.Timezone:
    """The VTIMEZONE for `tzid` between two instants (RFC 5545 3.2.19 requires one for every
    TZID used: a reader that does not know the IANA name would otherwise guess the offset)."""
    return icalendar.Timezone.from_tzinfo(
        ZoneInfo(tzid), tzid, first_date=_day(first), last_date=_day(last)
    )


def _day(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


def calendar(events: Iterable[Event], *, name: str | None = None) -> str:
    events = list(events)
    cal = icalendar.Calendar()
    cal.add("version", "2.0")
    # The organisation's neutral brand, as everywhere else outside the page body.
    cal.add("prodid", f"-//{org_setting('BRAND_NAME')}//Calendar//EN")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if name:
        cal.add("x-wr-calname", name)
    day = timedelta(days=1)
    for tzid in sorted({event.tzid for event in events if event.tzid}):
        moments = [m for event in events if event.tzid == tzid for m in event.moments()]
        cal.add_component(vtimezone(tzid, min(moments) - day, max(moments) + day))
    for event in events:
        cal.add_component(event.component())
    return cal.to_ical().decode()
