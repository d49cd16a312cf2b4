"""Joining, the waiting list and single-session places. Each change locks the circle's row
first, so places are counted once however many people tap at the same moment."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from ..accounts.models import User
from ..database import utcnow
from ..extensions import db
from .models import Circle, CircleMember, SessionRsvp
from .occurrences import Session


def lock(circle: Circle) -> Circle:
    """Lock the circle row for the rest of the transaction (PostgreSQL: SELECT ... FOR UPDATE;
    SQLite already serialises writers with BEGIN IMMEDIATE)."""
    return db.session.execute(
        select(Circle).where(Circle.id == circle.id).with_for_update()
    ).scalar_one()


def membership(circle: Circle, user: User) -> CircleMember | None:
    return db.session.scalar(
        select(CircleMember).where(
            CircleMember.circle_id == circle.id, CircleMember.user_id == user.id
        )
    )


def is_member(circle: Circle, user: User) -> bool:
    row = membership(circle, user)
    return row is not None and not row.waiting


def member_count(circle: Circle) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(CircleMember)
        .where(CircleMember.circle_id == circle.id, CircleMember.waiting.is_(False))
    )


def waiting_count(circle: Circle) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(CircleMember)
        .where(CircleMember.circle_id == circle.id, CircleMember.waiting.is_(True))
    )


def rsvp_counts(circle: Circle, since: datetime | None = None) -> Counter:
    query = select(SessionRsvp.occurrence).where(SessionRsvp.circle_id == circle.id)
    if since is not None:
        query = query.where(SessionRsvp.occurrence >= since)
    return Counter(db.session.scalars(query))


def free_places(circle: Circle, now: datetime | None = None, *, user: User | None = None) -> int:
    """Places for a new member: each coming session must fit members plus its single places
    (not counting the places of `user`, who would give them up on joining)."""
    now = now or utcnow()
    query = select(SessionRsvp.occurrence).where(
        SessionRsvp.circle_id == circle.id, SessionRsvp.occurrence >= now
    )
    if user is not None:
        query = query.where(SessionRsvp.user_id != user.id)
    peak = max(Counter(db.session.scalars(query)).values(), default=0)
    return max(0, circle.capacity - member_count(circle) - peak)


def open_places(circle: Circle, now: datetime | None = None, *, user: User | None = None) -> int:
    """Places a newcomer may take: none while anyone is waiting (they go first)."""
    return 0 if waiting_count(circle) > 0 else free_places(circle, now, user=user)


def promote(circle: Circle, now: datetime | None = None) -> list[User]:
    """Move people from the waiting list into free places, first come first served."""
    promoted = []
    places = free_places(circle, now)
    if places <= 0:
        return promoted
    waiting = db.session.scalars(
        select(CircleMember)
        .where(CircleMember.circle_id == circle.id, CircleMember.waiting.is_(True))
        .order_by(CircleMember.joined_at, CircleMember.id)
        .limit(places)
    ).all()
    for row in waiting:
        row.waiting = False
        promoted.append(row.user)
        drop_rsvps(circle, row.user)
    return promoted


def drop_rsvps(circle: Circle, user: User) -> None:
    db.session.execute(
        delete(SessionRsvp).where(
            SessionRsvp.circle_id == circle.id, SessionRsvp.user_id == user.id
        )
    )


def join(circle: Circle, user: User, now: datetime | None = None) -> str:
    """Join, or take a waiting-list place when full. Returns "member", "waiting" or "already"."""
    circle = lock(circle)
    existing = membership(circle, user)
    if existing is not None:
        return "waiting" if existing.waiting else "already"
    # A place may have opened without anyone leaving (a single-session place whose session has
    # passed): the waiting list takes it first, and no newcomer goes ahead of anyone waiting.
    promote(circle, now)
    full = open_places(circle, now, user=user) <= 0
    if not full:
        drop_rsvps(circle, user)  # a member needs no single-session places
    try:
        with db.session.begin_nested():
            db.session.add(CircleMember(circle_id=circle.id, user_id=user.id, waiting=full))
    except IntegrityError:  # joined twice at once: the first one won
        return "already"
    return "waiting" if full else "member"


def leave(circle: Circle, user: User, now: datetime | None = None) -> bool:
    circle = lock(circle)
    row = membership(circle, user)
    if row is None:
        return False
    db.session.delete(row)
    db.session.flush()
    promote(circle, now)
    return True


def has_rsvp(circle: Circle, user: User, key: datetime) -> bool:
    return (
        db.session.scalar(
            select(SessionRsvp.id).where(
                SessionRsvp.circle_id == circle.id,
                SessionRsvp.user_id == user.id,
                SessionRsvp.occurrence == key,
            )
        )
        is not None
    )


def rsvp(circle: Circle, user: User, session: Session) -> str:
    """A place at one session. Returns "ok", "full", "member" or "closed"."""
    if session.cancelled or session.end <= utcnow():
        return "closed"
    circle = lock(circle)
    if is_member(circle, user):
        return "member"
    if has_rsvp(circle, user, session.key):
        return "ok"
    taken = member_count(circle) + rsvp_counts(circle)[session.key]
    if taken >= circle.capacity:
        return "full"
    try:
        with db.session.begin_nested():
            db.session.add(
                SessionRsvp(circle_id=circle.id, user_id=user.id, occurrence=session.key)
            )
    except IntegrityError:  # the same place taken twice at once: the first one counts
        pass
    return "ok"


def cancel_rsvp(circle: Circle, user: User, session: Session) -> None:
    circle = lock(circle)
    db.session.execute(
        delete(SessionRsvp).where(
            SessionRsvp.circle_id == circle.id,
            SessionRsvp.user_id == user.id,
            SessionRsvp.occurrence == session.key,
        )
    )
    db.session.flush()
    promote(circle)


def numbers(circle: Circle, found: list[Session]) -> dict[datetime, int]:
    """How many are expected at each session: members plus single-session places."""
    members = member_count(circle)
    counts = rsvp_counts(circle)
    return {s.key: 0 if s.cancelled else members + counts[s.key] for s in found}


def members(circle: Circle, *, waiting: bool = False) -> list[User]:
    rows = db.session.scalars(
        select(CircleMember)
        .where(CircleMember.circle_id == circle.id, CircleMember.waiting.is_(waiting))
        .order_by(CircleMember.joined_at, CircleMember.id)
    ).all()
    return [r.user for r in rows]


def expected(circle: Circle, session: Session) -> list[tuple[User, bool]]:
    """Everyone expected at a session, as (person, single-session place?), by pseudonym."""
    people = [(u, False) for u in members(circle)]
    rows = db.session.scalars(
        select(SessionRsvp).where(
            SessionRsvp.circle_id == circle.id, SessionRsvp.occurrence == session.key
        )
    ).all()
    people += [(r.user, True) for r in rows]
    return sorted(people, key=lambda p: p[0].pseudonym.casefold())
