"""What a mentor does with their own circle: post it, change one session, mark who came."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, select

from ..accounts.models import User
from ..database import utcnow
from ..extensions import db
from . import schedule
from .membership import expected
from .models import Attendance, Circle, CircleLanguage, Format, Repeat, SessionChange, Topic
from .occurrences import Session


def create_circle(mentor: User, data: dict) -> Circle:
    start = schedule.local_start(data["first_date"], data["start_time"], data["timezone"])
    if data["rule"] is not None:
        schedule.check_rule(data["rule"], start)  # never store a rule that never ends
    circle = Circle(
        mentor_id=mentor.id,
        name=data["name"],
        topic=Topic(data["topic"]),
        format=Format(data["format"]),
        place=data["place"],
        capacity=data["capacity"],
        duration_minutes=data["duration"],
        repeat=Repeat(data["repeat"]),
        first_date=data["first_date"],
        start_time=data["start_time"],
        tzid=data["timezone"],
        rrule=data["rule"],
        language_rows=[CircleLanguage(code=c) for c in data["languages"]],
    )
    db.session.add(circle)
    db.session.flush()
    return circle


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
