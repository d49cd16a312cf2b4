"""Circles and privacy (issue 9): reports, export, deletion.

- Attendance that mentors mark (Attendance rows) is kept for outcome reports later. Nothing
  staff-visible shows it today. Any report that shows attendance per person MUST start from
  `reportable_attendance_query()`, which keeps only people who share "circle_attendance" with
  staff (privacy consent area, private by default), filtered at the query. The mentor of a
  circle sees who came to their own circle; that is how they run it, not a staff view.
- Export: memberships, waiting-list places, single-session places, attendance marked about the
  person and, for mentors, the circles they run.
- Deletion (eraser "circles"; the FKs also cascade): a survivor's memberships, waiting-list
  places, single-session places and attendance rows go, and each circle they left promotes
  from its waiting list exactly as when someone leaves. A mentor's circles are removed with
  everything in them (members, waiting lists, single places, changes, attendance): a circle
  cannot run without its host, and the members keep nothing of it but their own export taken
  earlier. (Members are not notified: there is no notification channel yet.)
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from ..accounts.models import User
from ..extensions import db
from ..privacy import areas as privacy_areas
from ..privacy import consent
from ..privacy.registry import eraser, exporter
from .browse import mentor_circles
from .forms import FORMATS, REPEATS, TOPICS
from .membership import lock, member_count, promote, waiting_count
from .models import Attendance, Circle, CircleMember, SessionChange, SessionRsvp


def reportable_attendance_query():
    """Attendance that a staff-facing report may show per person: only people who share
    "circle_attendance" with staff (filtered at the query). Reports start from this."""
    return select(Attendance).where(
        consent.allows_clause(Attendance.user_id, privacy_areas.CIRCLE_ATTENDANCE)
    )


def _circle_names(ids) -> dict[int, str]:
    ids = set(ids)
    if not ids:
        return {}
    return {c.id: c.name for c in db.session.scalars(select(Circle).where(Circle.id.in_(ids)))}


@exporter("circle_memberships", label=_l("Groups you joined or wait for"), order=40)
def export_memberships(user: User) -> list[dict]:
    rows = db.session.execute(
        select(CircleMember, Circle)
        .join(Circle, Circle.id == CircleMember.circle_id)
        .where(CircleMember.user_id == user.id)
        .order_by(CircleMember.joined_at, CircleMember.id)
    ).all()
    return [
        {
            _l("Group"): circle.name,
            _l("Topic"): TOPICS[circle.topic],
            _l("How it meets"): FORMATS[circle.format],
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
    rows = []
    for circle in mentor_circles(user):
        rows.append(
            {
                _l("Group"): circle.name,
                _l("Topic"): TOPICS[circle.topic],
                _l("How it meets"): FORMATS[circle.format],
                _l("Place"): circle.place,
                _l("Places"): circle.capacity,
                _l("Languages"): circle.languages,
                _l("Repeats"): REPEATS[circle.repeat],
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
        promote(lock(circle))
