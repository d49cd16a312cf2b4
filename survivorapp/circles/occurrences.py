"""A circle's sessions: the schedule expanded, with each session's change (cancelled or moved)
applied, and the whole schedule as one calendar event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from ..database import utcnow
from ..extensions import db
from ..ics import Event, calendar, event_uid
from . import schedule
from .models import Circle, SessionChange

AHEAD = timedelta(weeks=8)  # "the coming weeks"


HOME_AHEAD = timedelta(weeks=4)


@dataclass
class Session:
    circle: Circle
    key: datetime  # the original start in UTC: what every per-session row is keyed by
    start: datetime  # the actual start (moved or not), UTC
    end: datetime
    cancelled: bool = False
    moved: bool = False
    note: str | None = None

    @property
    def token(self) -> str:
        return schedule.Token.dump(self.key)


def dtstart(circle: Circle) -> datetime:
    return schedule.local_start(circle.first_date, circle.start_time, circle.tzid)


def changes_for(circle: Circle) -> dict[datetime, SessionChange]:
    rows = db.session.scalars(select(SessionChange).where(SessionChange.circle_id == circle.id))
    return {row.occurrence: row for row in rows}


def changes_by_circle(ids: list[int]) -> dict[int, dict[datetime, SessionChange]]:
    out: dict[int, dict[datetime, SessionChange]] = {i: {} for i in ids}
    if not ids:
        return out
    for row in db.session.scalars(select(SessionChange).where(SessionChange.circle_id.in_(ids))):
        out[row.circle_id][row.occurrence] = row
    return out


def sessions(
    circle: Circle,
    after: datetime,
    before: datetime,
    changes: dict[datetime, SessionChange] | None = None,
) -> list[Session]:
    """Sessions whose original start falls between two instants, with changes applied."""
    length = timedelta(minutes=circle.duration_minutes)
    if changes is None:
        changes = changes_for(circle)
    out = []
    for key in schedule.occurrences(circle.rrule, dtstart(circle), after, before):
        session = Session(circle, key, key, key + length)
        change = changes.get(key)
        if change is not None:
            session.note = change.note
            if change.cancelled:
                session.cancelled = True
            elif change.new_start is not None:
                session.moved = True
                session.start = change.new_start
                session.end = change.new_start + length
        out.append(session)
    out.sort(key=lambda s: s.start)
    return out


def upcoming(
    circle: Circle,
    now: datetime | None = None,
    ahead: timedelta = AHEAD,
    changes: dict[datetime, SessionChange] | None = None,
):
    now = now or utcnow()
    # Look back a little so a session moved later still shows, and drop what has ended.
    found = sessions(circle, now - timedelta(days=31), now + ahead, changes)
    return [s for s in found if s.end > now and s.start <= now + ahead]


def next_session(circle: Circle, now: datetime | None = None) -> Session | None:
    found = [s for s in upcoming(circle, now, schedule.MAX_SPAN) if not s.cancelled]
    return found[0] if found else None


def next_with(circle: Circle, now: datetime, changes: dict) -> Session | None:
    found = sessions(circle, now - timedelta(days=31), now + schedule.MAX_SPAN, changes)
    for s in found:
        if s.end > now and s.start <= now + schedule.MAX_SPAN and not s.cancelled:
            return s
    return None


def ics(circle: Circle, *, title: str, place: str | None, stamp: datetime | None = None) -> str:
    """ONE recurring event: RRULE with DTSTART;TZID, EXDATE for cancelled sessions and a
    RECURRENCE-ID override for each moved one. The title is neutral; the caller chooses it."""
    uid = event_uid("circle", circle.public_id)
    start = dtstart(circle)
    length = timedelta(minutes=circle.duration_minutes)
    changes = changes_for(circle)
    main = Event(
        uid=uid,
        start=start,
        end=start + length,
        summary=title,
        location=place,
        tzid=circle.tzid,
        rrule=circle.rrule,
        sequence=circle.sequence,
        stamp=stamp,
    )
    events = [main]
    if circle.rrule is None:  # a one-off: change the event itself
        change = changes.get(start.astimezone(UTC))
        if change is not None and change.cancelled:
            main.status = "CANCELLED"
        elif change is not None and change.new_start is not None:
            main.start, main.end = change.new_start, change.new_start + length
        return calendar(events)
    for key, change in sorted(changes.items()):
        if change.cancelled:
            main.exdates.append(key)
        elif change.new_start is not None:
            events.append(
                Event(
                    uid=uid,
                    start=change.new_start,
                    end=change.new_start + length,
                    summary=title,
                    location=place,
                    tzid=circle.tzid,
                    recurrence_id=key,
                    sequence=circle.sequence,
                    stamp=stamp,
                )
            )
    return calendar(events)
