"""What is due when: the due-time rules, and each source's reminders between two instants.

Rules, all in the person's own time zone:
- a lead of whole days ("24 h before") means the same wall-clock time that many days before,
  so a 10:00 appointment is reminded at 10:00 the day before even across a clock change (a
  time the clocks skip moves on by the gap; a time they repeat is its first occurrence);
  shorter leads ("1 h before") are plain durations;
- quiet hours hold a reminder until they end; one that would then arrive after its thing has
  started is not sent at all;
- a reminder due before the thing was booked or joined is not sent (booking at 09:30 for
  10:00 does not remind at once of "24 h before").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from ..accounts.models import User
from ..appointments.models import Appointment, Status
from ..circles import occurrences
from ..circles.models import Circle, CircleMember, SessionChange, SessionRsvp
from ..extensions import db
from ..goals.access import reviewable_by
from ..goals.models import Goal, GoalState
from ..localtime import zone_of
from .models import Kind, ReminderSettings

DEFAULT_LEADS = (1440, 60)
LEAD_CHOICES = (10080, 2880, 1440, 180, 120, 60, 30, 15)  # minutes: 1 week … 15 min
GOAL_CLOCK = time(10, 0)  # a goal's month is reminded on its first day, at this hour
DIGEST_CLOCK = time(9, 0)  # staff: the day's goals waiting for them
QUIET = (time(21, 0), time(8, 0))  # the quiet hours of someone who never chose any


@dataclass(frozen=True)
class Due:
    key: str  # what and when: a moved thing is a new key, so its old reminder lapses
    kind: Kind
    due_at: datetime
    event_at: datetime | None = None
    count: int = 0  # the digest's number of goals waiting


def settings_of(user: User) -> ReminderSettings:
    """The person's choices; the defaults when they never saved any (not added)."""
    row = db.session.get(ReminderSettings, user.id)
    if row is None:
        row = ReminderSettings(
            user_id=user.id,
            appointments=True,
            circles=True,
            goals=True,
            approvals=True,
            leads=",".join(map(str, DEFAULT_LEADS)),
            quiet_start=QUIET[0],
            quiet_end=QUIET[1],
        )
    return row


def leads_of(settings: ReminderSettings) -> list[int]:
    found = {int(p) for p in (settings.leads or "").split(",") if p.strip().isdigit()}
    return sorted(found & set(LEAD_CHOICES), reverse=True)


def before(event_at: datetime, minutes: int, zone: ZoneInfo) -> datetime:
    """When a reminder `minutes` before `event_at` is due (see the module's rules)."""
    if minutes % 1440:
        return event_at - timedelta(minutes=minutes)
    local = event_at.astimezone(zone)
    day = local.date() - timedelta(days=minutes // 1440)
    return datetime.combine(day, local.time(), tzinfo=zone).astimezone(UTC)


def at_local(day: date, clock: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, clock, tzinfo=zone).astimezone(UTC)


def after_quiet(due: datetime, settings: ReminderSettings, zone: ZoneInfo) -> datetime:
    """`due`, or the end of the quiet hours it falls in."""
    start, end = settings.quiet_start, settings.quiet_end
    if start is None or end is None or start == end:
        return due
    local = due.astimezone(zone)
    clock = local.time().replace(tzinfo=None)
    quiet = start <= clock < end if start < end else (clock >= start or clock < end)
    if not quiet:
        return due
    day = local.date() if clock < end else local.date() + timedelta(days=1)
    return at_local(day, end, zone)


class Planner:
    """One person's reminders due in (start, stop]."""

    def __init__(self, user: User, start: datetime, stop: datetime):
        self.user, self.start, self.stop = user, start, stop
        self.settings = settings_of(user)
        self.zone = zone_of(user)
        self.leads = leads_of(self.settings)
        # Reach far enough ahead for the longest lead, plus a day for clock changes.
        self.reach = timedelta(minutes=max(self.leads, default=0)) + timedelta(days=1)

    def all(self) -> list[Due]:
        s, found = self.settings, []
        if self.user.has_role("survivor"):
            if s.appointments:
                found += self.appointments()
            if s.circles:
                found += self.circles() + self.changes()
            if s.goals:
                found += self.goals()
        if self.user.has_role("staff") and s.approvals:
            found += self.digest()
        return sorted(found, key=lambda d: (d.due_at, d.key))

    def _due(self, key, kind, due_at, event_at=None, *, since=None, count=0) -> Due | None:
        due_at = after_quiet(due_at, self.settings, self.zone)
        if not self.start < due_at <= self.stop:
            return None
        if event_at is not None and due_at >= event_at:
            return None
        if since is not None and due_at < since:
            return None
        return Due(key, kind, due_at, event_at, count)

    def _reminders(self, prefix: str, kind: Kind, event_at: datetime, since: datetime):
        stamp = int(event_at.timestamp())
        for lead in self.leads:
            due = self._due(
                f"{prefix}:{lead}:{stamp}",
                kind,
                before(event_at, lead, self.zone),
                event_at,
                since=since,
            )
            if due is not None:
                yield due

    def appointments(self) -> list[Due]:
        rows = db.session.execute(
            select(Appointment.id, Appointment.starts_at, Appointment.created_at).where(
                Appointment.survivor_id == self.user.id,
                Appointment.status != Status.CANCELLED,
                Appointment.starts_at > self.start,
                Appointment.starts_at <= self.stop + self.reach,
            )
        )
        return [
            due
            for row in rows
            for due in self._reminders(
                f"a:{row.id}", Kind.APPOINTMENT, row.starts_at, row.created_at
            )
        ]

    def _attended(self) -> tuple[dict[int, datetime], dict[int, dict[datetime, datetime]]]:
        """Circles joined (id -> joined at) and single sessions booked (id -> {key: at})."""
        joined = dict(
            db.session.execute(
                select(CircleMember.circle_id, CircleMember.joined_at).where(
                    CircleMember.user_id == self.user.id, CircleMember.waiting.is_(False)
                )
            ).all()
        )
        booked: dict[int, dict[datetime, datetime]] = {}
        for row in db.session.execute(
            select(SessionRsvp.circle_id, SessionRsvp.occurrence, SessionRsvp.created_at).where(
                SessionRsvp.user_id == self.user.id,
                SessionRsvp.occurrence > self.start - self.reach,
            )
        ):
            booked.setdefault(row.circle_id, {})[row.occurrence] = row.created_at
        return joined, booked

    def circles(self) -> list[Due]:
        joined, booked = self._attended()
        ids = sorted(set(joined) | set(booked))
        if not ids:
            return []
        changes = occurrences.changes_by_circle(ids)
        found = []
        for circle in db.session.scalars(select(Circle).where(Circle.id.in_(ids))):
            window = occurrences.sessions(
                circle, self.start - self.reach, self.stop + self.reach, changes[circle.id]
            )
            for session in window:
                since = joined.get(circle.id) or booked.get(circle.id, {}).get(session.key)
                if session.cancelled or since is None or session.start <= self.start:
                    continue
                found += self._reminders(f"c:{circle.id}", Kind.CIRCLE, session.start, since)
        return found

    def changes(self) -> list[Due]:
        """A session the person attends was cancelled or moved (quiet hours may hold the
        notice half a day, so changes made since a day before the window count)."""
        joined, booked = self._attended()
        ids = sorted(set(joined) | set(booked))
        if not ids:
            return []
        rows = db.session.scalars(
            select(SessionChange).where(
                SessionChange.circle_id.in_(ids),
                SessionChange.changed_at > self.start - timedelta(days=1),
                SessionChange.changed_at <= self.stop,
            )
        )
        found = []
        for change in rows:
            since = joined.get(change.circle_id) or booked.get(change.circle_id, {}).get(
                change.occurrence
            )
            upcoming = max(change.occurrence, change.new_start or change.occurrence)
            stamp = int(change.changed_at.timestamp())
            due = self._due(
                f"x:{change.id}:{stamp}", Kind.CHANGE, change.changed_at, upcoming, since=since
            )
            if since is not None and due is not None:
                found.append(due)
        return found

    def goals(self) -> list[Due]:
        first = self.start.astimezone(self.zone).date() - timedelta(days=1)
        last = self.stop.astimezone(self.zone).date() + timedelta(days=1)
        rows = db.session.execute(
            select(Goal.id, Goal.target_month).where(
                Goal.owner_id == self.user.id,
                Goal.target_month.between(first, last),
                Goal.achieved_at.is_(None),
                Goal.archived_at.is_(None),
            )
        )
        found = []
        for row in rows:
            when = at_local(row.target_month, GOAL_CLOCK, self.zone)
            due = self._due(f"g:{row.id}:{row.target_month.isoformat()}", Kind.GOAL, when)
            if due is not None:
                found.append(due)
        return found

    def digest(self) -> list[Due]:
        day = self.start.astimezone(self.zone).date()
        last = self.stop.astimezone(self.zone).date()
        count = None
        found = []
        while day <= last:
            when = at_local(day, DIGEST_CLOCK, self.zone)
            if self._due("d", Kind.DIGEST, when) is not None:
                count = waiting_for(self.user) if count is None else count
                if count:
                    found.append(self._due(f"d:{day.isoformat()}", Kind.DIGEST, when, count=count))
            day += timedelta(days=1)
        return found


def waiting_for(staff: User) -> int:
    """How many goals wait for this person's decision (the digest's only number)."""
    return db.session.scalar(
        select(func.count(Goal.id)).where(Goal.state == GoalState.SUBMITTED, reviewable_by(staff))
    )


def due(user: User, start: datetime, stop: datetime) -> list[Due]:
    return Planner(user, start, stop).all()
