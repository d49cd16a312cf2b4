"""Queries and writes for circles. Access checks live here, one helper per role:

- get_own_circle_or_404(public_id, user): a mentor's own circle (another mentor's is a 404);
- get_visible_circle_or_404(public_id): a circle any survivor may look at (no place shown);
- get_member_circle_or_404(public_id, user): a circle the person belongs to (calendar file).

Staff and admins have no special access here.

Privacy (issue 9):
- Attendance that mentors mark (Attendance rows) is kept for outcome reports later. Nothing
  staff-visible shows it today. Any report that shows attendance per person MUST start from
  `reportable_attendance_query()`, which keeps only people who share "circle_attendance" with
  staff (privacy consent area, private by default), filtered at the query. The mentor of a
  circle sees who came to their own circle; that is how they run it, not a staff view.
- Export: memberships, waiting-list places, single-session places, attendance marked about the
  person and, for mentors, the circles they run (see "export" below).
- Deletion (eraser "circles", below; the FKs also cascade): a survivor's memberships,
  waiting-list places, single-session places and attendance rows go, and each circle they left
  promotes from its waiting list exactly as when someone leaves. A mentor's circles are removed
  with everything in them (members, waiting lists, single places, changes, attendance): a
  circle cannot run without its host, and the members keep nothing of it but their own
  export taken earlier. (Members are not notified: there is no notification channel yet.)
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, delete, exists, func, or_, select
from sqlalchemy.exc import IntegrityError

from ..accounts.models import User
from ..database import is_public_id, utcnow
from ..extensions import db
from ..ics import Event, calendar, event_uid
from ..privacy import areas as privacy_areas
from ..privacy import consent
from ..privacy.registry import eraser, exporter
from . import schedule
from .models import Attendance, Circle, CircleLanguage, CircleMember, SessionChange, SessionRsvp

AHEAD = timedelta(weeks=8)  # "the coming weeks"
HOME_AHEAD = timedelta(weeks=4)


# --- membership ---------------------------------------------------------------------------


def membership(circle: Circle, user: User) -> CircleMember | None:
    return db.session.scalar(
        select(CircleMember).where(
            CircleMember.circle_id == circle.id, CircleMember.user_id == user.id
        )
    )


def is_member(circle: Circle, user: User) -> bool:
    row = membership(circle, user)
    return row is not None and not row.waiting


# --- writing circles ----------------------------------------------------------------------


def create_circle(mentor: User, data: dict) -> Circle:
    start = schedule.local_start(data["first_date"], data["start_time"], data["timezone"])
    if data["rule"] is not None:
        schedule.check_rule(data["rule"], start)  # never store a rule that never ends
    circle = Circle(
        mentor_id=mentor.id,
        name=data["name"],
        topic=data["topic"],
        format=data["format"],
        place=data["place"],
        capacity=data["capacity"],
        duration_minutes=data["duration"],
        repeat=data["repeat"],
        first_date=data["first_date"],
        start_time=data["start_time"],
        tzid=data["timezone"],
        rrule=data["rule"],
        language_rows=[CircleLanguage(code=c) for c in data["languages"]],
    )
    db.session.add(circle)
    db.session.flush()
    return circle


# --- sessions -----------------------------------------------------------------------------


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


# --- joining, waiting, single-session places -----------------------------------------------


def _lock(circle: Circle) -> Circle:
    """Lock the circle row for the rest of the transaction (PostgreSQL: SELECT ... FOR UPDATE;
    SQLite already serialises writers with BEGIN IMMEDIATE)."""
    return db.session.execute(
        select(Circle).where(Circle.id == circle.id).with_for_update()
    ).scalar_one()


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


def _promote(circle: Circle, now: datetime | None = None) -> list[User]:
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
        _drop_rsvps(circle, row.user)
    return promoted


def _drop_rsvps(circle: Circle, user: User) -> None:
    db.session.execute(
        delete(SessionRsvp).where(
            SessionRsvp.circle_id == circle.id, SessionRsvp.user_id == user.id
        )
    )


def join(circle: Circle, user: User, now: datetime | None = None) -> str:
    """Join, or take a waiting-list place when full. Returns "member", "waiting" or "already"."""
    circle = _lock(circle)
    existing = membership(circle, user)
    if existing is not None:
        return "waiting" if existing.waiting else "already"
    # A place may have opened without anyone leaving (a single-session place whose session has
    # passed): the waiting list takes it first, and no newcomer goes ahead of anyone waiting.
    _promote(circle, now)
    full = open_places(circle, now, user=user) <= 0
    if not full:
        _drop_rsvps(circle, user)  # a member needs no single-session places
    try:
        with db.session.begin_nested():
            db.session.add(CircleMember(circle_id=circle.id, user_id=user.id, waiting=full))
    except IntegrityError:  # joined twice at once: the first one won
        return "already"
    return "waiting" if full else "member"


def leave(circle: Circle, user: User, now: datetime | None = None) -> bool:
    circle = _lock(circle)
    row = membership(circle, user)
    if row is None:
        return False
    db.session.delete(row)
    db.session.flush()
    _promote(circle, now)
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
    circle = _lock(circle)
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
    circle = _lock(circle)
    db.session.execute(
        delete(SessionRsvp).where(
            SessionRsvp.circle_id == circle.id,
            SessionRsvp.user_id == user.id,
            SessionRsvp.occurrence == session.key,
        )
    )
    db.session.flush()
    _promote(circle)


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


# --- mentor changes to one session ----------------------------------------------------------


def _change(circle: Circle, session: Session) -> SessionChange:
    row = db.session.scalar(
        select(SessionChange).where(
            SessionChange.circle_id == circle.id, SessionChange.occurrence == session.key
        )
    )
    if row is None:
        row = SessionChange(circle_id=circle.id, occurrence=session.key)
        db.session.add(row)
    return row


def cancel_session(circle: Circle, session: Session, note: str | None) -> None:
    row = _change(circle, session)
    row.cancelled, row.new_start, row.note, row.changed_at = True, None, note, utcnow()
    circle.sequence += 1
    db.session.flush()


def move_session(circle: Circle, session: Session, new_start: datetime, note: str | None):
    row = _change(circle, session)
    row.cancelled, row.new_start, row.note = False, new_start.astimezone(UTC), note
    row.changed_at = utcnow()
    circle.sequence += 1
    db.session.flush()


def restore_session(circle: Circle, session: Session) -> None:
    db.session.execute(
        delete(SessionChange).where(
            SessionChange.circle_id == circle.id, SessionChange.occurrence == session.key
        )
    )
    circle.sequence += 1
    db.session.flush()


def attendance(circle: Circle, session: Session) -> dict[int, bool]:
    rows = db.session.scalars(
        select(Attendance).where(
            Attendance.circle_id == circle.id, Attendance.occurrence == session.key
        )
    )
    return {r.user_id: r.present for r in rows}


def mark_attendance(circle: Circle, session: Session, present_ids: set[str]) -> int:
    """Store who came, for everyone expected; `present_ids` holds people's public ids."""
    marked = attendance(circle, session)
    rows = {
        r.user_id: r
        for r in db.session.scalars(
            select(Attendance).where(
                Attendance.circle_id == circle.id, Attendance.occurrence == session.key
            )
        )
    }
    came = 0
    for person, _single in expected(circle, session):
        present = person.public_id in present_ids
        came += present
        if person.id in marked:
            rows[person.id].present = present
            rows[person.id].marked_at = utcnow()
        else:
            db.session.add(
                Attendance(
                    circle_id=circle.id,
                    user_id=person.id,
                    occurrence=session.key,
                    present=present,
                )
            )
    db.session.flush()
    return came


# --- lists ------------------------------------------------------------------------------------


PAGE_SIZE = 20
_BATCH = 50  # circles read per query while looking for a page of those with sessions ahead
_MAX_BATCHES = 6  # bound the work per request; past it the page ends with a "more" link


@dataclass
class BrowseRow:
    circle: Circle
    next: Session
    full: bool


def _changes_by_circle(ids: list[int]) -> dict[int, dict[datetime, SessionChange]]:
    out: dict[int, dict[datetime, SessionChange]] = {i: {} for i in ids}
    if not ids:
        return out
    for row in db.session.scalars(select(SessionChange).where(SessionChange.circle_id.in_(ids))):
        out[row.circle_id][row.occurrence] = row
    return out


def _next_with(circle: Circle, now: datetime, changes: dict) -> Session | None:
    found = sessions(circle, now - timedelta(days=31), now + schedule.MAX_SPAN, changes)
    for s in found:
        if s.end > now and s.start <= now + schedule.MAX_SPAN and not s.cancelled:
            return s
    return None


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
        changes = _changes_by_circle([c.id for c in batch]) if batch else {}
        for circle in batch:
            if len(found) == limit:
                more = True
                break
            last = circle
            upcoming_session = _next_with(circle, now, changes[circle.id])
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
    changes = _changes_by_circle([c.id for c in member_circles] + list(rsvp_ids))
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


# --- calendar -------------------------------------------------------------------------------


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


# --- privacy: reports, export, deletion -------------------------------------------------------


def reportable_attendance_query():
    """Attendance that a staff-facing report may show per person: only people who share
    "circle_attendance" with staff (filtered at the query). Reports start from this."""
    return select(Attendance).where(
        consent.allows_clause(Attendance.user_id, privacy_areas.CIRCLE_ATTENDANCE)
    )


def _names() -> tuple[dict, dict, dict]:
    from .forms import FORMATS, REPEATS, TOPICS

    return TOPICS, FORMATS, REPEATS


def _circle_names(ids) -> dict[int, str]:
    ids = set(ids)
    if not ids:
        return {}
    return {c.id: c.name for c in db.session.scalars(select(Circle).where(Circle.id.in_(ids)))}


@exporter("circle_memberships", label=_l("Groups you joined or wait for"), order=40)
def export_memberships(user: User) -> list[dict]:
    topics, formats, _repeats = _names()
    rows = db.session.execute(
        select(CircleMember, Circle)
        .join(Circle, Circle.id == CircleMember.circle_id)
        .where(CircleMember.user_id == user.id)
        .order_by(CircleMember.joined_at, CircleMember.id)
    ).all()
    return [
        {
            _l("Group"): circle.name,
            _l("Topic"): topics.get(circle.topic, circle.topic),
            _l("How it meets"): formats.get(circle.format, circle.format),
            _l("On the waiting list"): member.waiting,
            _l("Since"): member.joined_at,
        }
        for member, circle in rows
    ]


@exporter("circle_places", label=_l("Single group meetings you signed up for"), order=41)
def export_single_places(user: User) -> list[dict]:
    rows = list(
        db.session.scalars(
            select(SessionRsvp)
            .where(SessionRsvp.user_id == user.id)
            .order_by(SessionRsvp.occurrence, SessionRsvp.id)
        )
    )
    names = _circle_names(r.circle_id for r in rows)
    return [
        {
            _l("Group"): names.get(r.circle_id),
            _l("Meeting"): r.occurrence,
            _l("Signed up"): r.created_at,
        }
        for r in rows
    ]


@exporter("circle_attendance_marked", label=_l("Group meetings: who came"), order=42)
def export_attendance(user: User) -> list[dict]:
    rows = list(
        db.session.scalars(
            select(Attendance)
            .where(Attendance.user_id == user.id)
            .order_by(Attendance.occurrence, Attendance.id)
        )
    )
    names = _circle_names(r.circle_id for r in rows)
    return [
        {
            _l("Group"): names.get(r.circle_id),
            _l("Meeting"): r.occurrence,
            _l("Marked as there"): r.present,
            _l("Marked by the group host on"): r.marked_at,
        }
        for r in rows
    ]


@exporter("circles_run", label=_l("Groups you run"), order=43)
def export_circles_run(user: User) -> list[dict]:
    topics, formats, repeats = _names()
    rows = []
    for circle in mentor_circles(user):
        rows.append(
            {
                _l("Group"): circle.name,
                _l("Topic"): topics.get(circle.topic, circle.topic),
                _l("How it meets"): formats.get(circle.format, circle.format),
                _l("Place"): circle.place,
                _l("Places"): circle.capacity,
                _l("Languages"): circle.languages,
                _l("Repeats"): repeats.get(circle.repeat, circle.repeat),
                _l("First meeting"): circle.first_date,
                _l("Starts at"): circle.start_time.strftime("%H:%M"),
                _l("Time zone"): circle.tzid,
                _l("Minutes"): circle.duration_minutes,
                _l("Members"): member_count(circle),
                _l("Waiting"): waiting_count(circle),
                _l("Added"): circle.created_at,
            }
        )
    return rows


@exporter("circle_changes", label=_l("Changes to meetings of groups you run"), order=44)
def export_session_changes(user: User) -> list[dict]:
    rows = db.session.execute(
        select(SessionChange, Circle.name)
        .join(Circle, Circle.id == SessionChange.circle_id)
        .where(Circle.mentor_id == user.id)
        .order_by(SessionChange.occurrence, SessionChange.id)
    ).all()
    return [
        {
            _l("Group"): name,
            _l("Meeting"): change.occurrence,
            _l("Cancelled"): change.cancelled,
            _l("Moved to"): change.new_start,
            _l("Note"): change.note,
        }
        for change, name in rows
    ]


@eraser("circles", order=20)
def erase_circles(user: User) -> None:
    """A mentor's circles go with everything in them; a member's places go and each circle
    they leave promotes from its waiting list (see the module docstring)."""
    db.session.execute(delete(Circle).where(Circle.mentor_id == user.id))
    held = select(CircleMember.circle_id).where(
        CircleMember.user_id == user.id, CircleMember.waiting.is_(False)
    )
    single = select(SessionRsvp.circle_id).where(SessionRsvp.user_id == user.id)
    left = set(db.session.scalars(held)) | set(db.session.scalars(single))
    db.session.execute(delete(CircleMember).where(CircleMember.user_id == user.id))
    db.session.execute(delete(SessionRsvp).where(SessionRsvp.user_id == user.id))
    db.session.execute(delete(Attendance).where(Attendance.user_id == user.id))
    db.session.flush()
    for circle in db.session.scalars(select(Circle).where(Circle.id.in_(left))).all():
        _promote(_lock(circle))
