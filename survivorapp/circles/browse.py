"""Lists of circles: the one any survivor browses, a survivor's coming sessions and waiting
lists, a mentor's own circles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, func, or_, select

from ..accounts.models import User
from ..database import is_public_id, utcnow
from ..extensions import db
from .models import Circle, CircleLanguage, CircleMember, SessionRsvp
from .occurrences import HOME_AHEAD, Session, changes_by_circle, next_with, sessions, upcoming

PAGE_SIZE = 20


_BATCH = 50  # circles read per query while looking for a page of those with sessions ahead


_MAX_BATCHES = 6  # bound the work per request; past it the page ends with a "more" link


@dataclass
class BrowseRow:
    circle: Circle
    next: Session
    full: bool


def _open_places_by_circle(circles: list[Circle], now: datetime) -> dict[int, int]:
    """open_places() for many circles in two queries."""
    ids = [c.id for c in circles]
    if not ids:
        return {}
    members: dict[int, int] = {}
    waiting: set[int] = set()
    for circle_id, is_waiting, count in db.session.execute(
        select(CircleMember.circle_id, CircleMember.waiting, func.count())
        .where(CircleMember.circle_id.in_(ids))
        .group_by(CircleMember.circle_id, CircleMember.waiting)
    ):
        if is_waiting:
            waiting.add(circle_id)
        else:
            members[circle_id] = count
    peak: dict[int, int] = {}
    for circle_id, _occurrence, count in db.session.execute(
        select(SessionRsvp.circle_id, SessionRsvp.occurrence, func.count())
        .where(SessionRsvp.circle_id.in_(ids), SessionRsvp.occurrence >= now)
        .group_by(SessionRsvp.circle_id, SessionRsvp.occurrence)
    ):
        peak[circle_id] = max(peak.get(circle_id, 0), count)
    return {
        c.id: 0
        if c.id in waiting
        else max(0, c.capacity - members.get(c.id, 0) - peak.get(c.id, 0))
        for c in circles
    }


def browse(
    *,
    language: str | None,
    fmt: str | None,
    topic: str | None,
    after: str | None = None,
    limit: int = PAGE_SIZE,
    now: datetime | None = None,
) -> tuple[list[BrowseRow], str | None]:
    """One page of the circles any survivor may find, filtered at the query, newest first; only
    those with sessions ahead. Returns the rows and the cursor for the next page (the public id
    of the last circle looked at), or None at the end. The work per request is bounded: at
    most _MAX_BATCHES queries of _BATCH circles, and sessions are expanded only for those."""
    now = now or utcnow()
    query = select(Circle)  # languages come with it (lazy="selectin")
    if language:
        query = query.where(
            exists().where(CircleLanguage.circle_id == Circle.id, CircleLanguage.code == language)
        )
    if fmt:
        query = query.where(Circle.format == fmt)
    if topic:
        query = query.where(Circle.topic == topic)
    if is_public_id(after):  # anything else starts from the beginning
        mark = db.session.execute(
            select(Circle.created_at, Circle.id).where(Circle.public_id == after)
        ).first()
        if mark is not None:
            query = query.where(
                or_(
                    Circle.created_at < mark.created_at,
                    and_(Circle.created_at == mark.created_at, Circle.id < mark.id),
                )
            )
    query = query.order_by(Circle.created_at.desc(), Circle.id.desc())
    found: list[tuple[Circle, Session]] = []
    last: Circle | None = None
    more = False
    for batch_number in range(_MAX_BATCHES):
        batch = list(db.session.scalars(query.offset(batch_number * _BATCH).limit(_BATCH)))
        changes = changes_by_circle([c.id for c in batch]) if batch else {}
        for circle in batch:
            if len(found) == limit:
                more = True
                break
            last = circle
            upcoming_session = next_with(circle, now, changes[circle.id])
            if upcoming_session is not None:
                found.append((circle, upcoming_session))
        if more or len(batch) < _BATCH:
            break
    else:
        more = True  # stopped by the bound: let the reader go on from the last one looked at
    free = _open_places_by_circle([c for c, _s in found], now)
    rows = [BrowseRow(c, s, free[c.id] <= 0) for c, s in found]
    return rows, (last.public_id if more and last is not None else None)


def mentor_circles(mentor: User) -> list[Circle]:
    return list(
        db.session.scalars(
            select(Circle)
            .where(Circle.mentor_id == mentor.id)
            .order_by(Circle.created_at.desc(), Circle.id.desc())
        )
    )


@dataclass
class HomeEntry:
    session: Session
    single: bool  # a single-session place rather than membership


def home_sessions(user: User, now: datetime | None = None) -> list[HomeEntry]:
    """A survivor's coming sessions: circles they belong to and single places they took."""
    now = now or utcnow()
    member_circles = db.session.scalars(
        select(Circle)
        .join(CircleMember, CircleMember.circle_id == Circle.id)
        .where(CircleMember.user_id == user.id, CircleMember.waiting.is_(False))
    ).all()
    rsvps = db.session.scalars(
        select(SessionRsvp).where(
            SessionRsvp.user_id == user.id, SessionRsvp.occurrence >= now - timedelta(days=1)
        )
    ).all()
    # The circles of single places and every circle's changes in one query each, however
    # many circles a person is in.
    rsvp_ids = {row.circle_id for row in rsvps}
    by_id = {}
    if rsvp_ids:
        by_id = {c.id: c for c in db.session.scalars(select(Circle).where(Circle.id.in_(rsvp_ids)))}
    changes = changes_by_circle([c.id for c in member_circles] + list(rsvp_ids))
    entries = [
        HomeEntry(s, False)
        for c in member_circles
        for s in upcoming(c, now, HOME_AHEAD, changes[c.id])
    ]
    for row in rsvps:
        found = sessions(
            by_id[row.circle_id], row.occurrence, row.occurrence, changes[row.circle_id]
        )
        entries += [HomeEntry(s, True) for s in found if s.end > now]
    entries.sort(key=lambda e: e.session.start)
    return entries


def waiting_circles(user: User) -> list[Circle]:
    return list(
        db.session.scalars(
            select(Circle)
            .join(CircleMember, CircleMember.circle_id == Circle.id)
            .where(CircleMember.user_id == user.id, CircleMember.waiting.is_(True))
        )
    )
