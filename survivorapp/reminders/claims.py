"""Claiming a reminder: inserting its (person, key) row. The unique key makes the insert a
compare-and-swap: of two runners, or a runner and the person cancelling, exactly one wins."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from ..accounts.models import User
from ..extensions import db
from .models import Reminder, State
from .plan import Due

STALE_AFTER_MINUTES = 10  # a claim older than this was a runner that died mid-send


def _insert(user: User, due: Due, state: State, now: datetime) -> bool:
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    stmt = (
        dialect.insert(Reminder)
        .values(
            user_id=user.id,
            key=due.key,
            kind=due.kind,
            state=state,
            event_at=due.event_at,
            due_at=due.due_at,
            attempts=0,
            claimed_at=now if state == State.SENDING else None,
        )
        .on_conflict_do_nothing(index_elements=["user_id", "key"])
        .returning(Reminder.id)  # an ORM insert's rowcount is not reliable; RETURNING is
    )
    return db.session.execute(stmt).scalar() is not None


def claim(user: User, due: Due, now: datetime) -> Reminder | None:
    """The claimed row, or None when another runner (or a cancel) got there first."""
    if not _insert(user, due, State.SENDING, now):
        return None
    return db.session.scalar(
        select(Reminder).where(Reminder.user_id == user.id, Reminder.key == due.key)
    )


def claim_again(row_id: int, state: State, claimed_at: datetime | None, now: datetime) -> bool:
    """Take over a reminder waiting for its retry, or one a dead runner left half sent: only
    if nobody changed it since it was read."""
    stmt = update(Reminder).where(Reminder.id == row_id, Reminder.state == state)
    stmt = stmt.where(
        Reminder.claimed_at.is_(None) if claimed_at is None else Reminder.claimed_at == claimed_at
    )
    return db.session.execute(stmt.values(state=State.SENDING, claimed_at=now)).rowcount == 1


def cancel(user: User, due: Due, now: datetime) -> bool:
    """The person says no to one reminder before it is due."""
    return _insert(user, due, State.CANCELLED, now)


def restore(user: User, key: str) -> bool:
    """Undo a cancel (only a cancel: a reminder on its way or sent stays as it is)."""
    stmt = delete(Reminder).where(
        Reminder.user_id == user.id, Reminder.key == key, Reminder.state == State.CANCELLED
    )
    return db.session.execute(stmt).rowcount == 1


def states(user: User, keys: list[str]) -> dict[str, State]:
    if not keys:
        return {}
    rows = db.session.execute(
        select(Reminder.key, Reminder.state).where(
            Reminder.user_id == user.id, Reminder.key.in_(keys)
        )
    )
    return dict(rows.all())
