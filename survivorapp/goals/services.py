"""Goals: the survivor's lists, and every change to a goal (by its owner, or a decision by
staff). Who may open which goal is in access.py; the staff's lists in review.py.

Deletion: goals, steps and history go with their owner (ON DELETE CASCADE). A member of
staff's decisions and comments on someone else's goal stay with that goal when the staff
account is deleted; the link to them is nulled (GoalEvent.actor_id ON DELETE SET NULL) and the
history shows "A former team member". No eraser is needed.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..database import new_public_id, utcnow
from ..extensions import db
from ..privacy import areas as privacy_areas
from ..privacy import consent
from ..security import audit
from .access import own_goals_query
from .models import Area, EventKind, Goal, GoalEvent, GoalState, Step
from .pathways import Pathway

# --- survivor lists ------------------------------------------------------------------------


def active_goals(user: User) -> list[Goal]:
    return list(
        db.session.scalars(
            own_goals_query(user)
            .where(Goal.archived_at.is_(None), Goal.achieved_at.is_(None))
            .order_by(Goal.position, Goal.id)
        )
    )


def achieved_goals(user: User) -> list[Goal]:
    return list(
        db.session.scalars(
            own_goals_query(user)
            .where(Goal.archived_at.is_(None), Goal.achieved_at.is_not(None))
            .order_by(Goal.achieved_at.desc(), Goal.id)
        )
    )


def archived_goals(user: User) -> list[Goal]:
    return list(
        db.session.scalars(
            own_goals_query(user)
            .where(Goal.archived_at.is_not(None))
            .order_by(Goal.archived_at.desc(), Goal.id)
        )
    )


def unread_decisions(user: User) -> list[Goal]:
    return list(
        db.session.scalars(
            own_goals_query(user)
            .where(Goal.decision_unread.is_(True), Goal.archived_at.is_(None))
            .order_by(Goal.decided_at, Goal.id)
        )
    )


def shares_goals(user: User) -> bool:
    """Whether the person currently shares goals with staff (privacy area "goals")."""
    return consent.allows(user.id, privacy_areas.GOALS)


# --- writes --------------------------------------------------------------------------------


def _event(goal: Goal, actor: User, kind: EventKind, comment: str | None = None) -> None:
    goal.events.append(GoalEvent(actor_id=actor.id, kind=kind, comment=comment))


def _next_position(user: User) -> int:
    top = db.session.scalar(select(func.max(Goal.position)).where(Goal.owner_id == user.id))
    return (top or 0) + 1


def create_goal(
    user: User,
    *,
    area: Area | str,
    title: str,
    why: str | None,
    target_month: date | None,
    steps: list[str] | tuple = (),
    pathway: str | None = None,
) -> Goal:
    goal = Goal(
        public_id=new_public_id(),
        owner_id=user.id,
        area=Area(area),
        title=title,
        why=why,
        target_month=target_month,
        position=_next_position(user),
        pathway=pathway,
        # Set here, not left to column defaults, so that the state is right before a flush.
        state=GoalState.PRIVATE,
        decision_unread=False,
    )
    for n, text in enumerate(steps, start=1):
        goal.steps.append(Step(text=text, position=n))
    db.session.add(goal)
    _event(goal, user, EventKind.ADOPTED if pathway else EventKind.CREATED)
    return goal


def adopt_pathway(user: User, pathway: Pathway) -> Goal:
    """A private copy of a pathway, in the person's language at this moment."""
    return create_goal(
        user,
        area=pathway.area,
        title=str(pathway.title),
        why=str(pathway.why),
        target_month=None,
        steps=[str(s) for s in pathway.steps],
        pathway=pathway.key,
    )


def update_goal(goal: Goal, user: User, *, area, title, why, target_month) -> None:
    changed = (goal.area, goal.title, goal.why, goal.target_month) != (
        area,
        title,
        why,
        target_month,
    )
    goal.area, goal.title, goal.why, goal.target_month = Area(area), title, why, target_month
    if changed and goal.shared:
        _event(goal, user, EventKind.EDITED)


def add_step(goal: Goal, text: str) -> Step:
    position = max((s.position for s in goal.steps), default=0) + 1
    step = Step(text=text, position=position)
    goal.steps.append(step)
    db.session.flush()  # the card drawn next links to the step by its public id
    return step


def toggle_step(step: Step) -> None:
    step.done_at = None if step.done_at else utcnow()


def remove_step(goal: Goal, step: Step) -> None:
    goal.steps.remove(step)


def move_goal(user: User, goal: Goal, direction: str) -> None:
    """Swap a goal with its neighbour in the list of active goals."""
    goals = active_goals(user)
    if goal not in goals:
        return
    # Positions may have gaps or ties (older data): renumber before swapping.
    for n, g in enumerate(goals, start=1):
        g.position = n
    i = goals.index(goal)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(goals):
        goals[i].position, goals[j].position = goals[j].position, goals[i].position


class NotAllowed(Exception):
    """The goal is not in a state where this can happen (for example, approving twice)."""


def submit(goal: Goal, user: User) -> None:
    if goal.archived or goal.state == GoalState.SUBMITTED:
        raise NotAllowed
    now = utcnow()
    first = goal.state == GoalState.PRIVATE
    goal.shared_at = goal.shared_at or now
    goal.submitted_at = now
    goal.state = GoalState.SUBMITTED
    goal.decision_unread = False
    _event(goal, user, EventKind.SUBMITTED if first else EventKind.RESUBMITTED)


def decide(goal: Goal, staff: User, *, approve: bool, comment: str | None) -> None:
    if goal.state != GoalState.SUBMITTED:
        raise NotAllowed
    goal.state = GoalState.APPROVED if approve else GoalState.CHANGES_REQUESTED
    goal.decided_at = utcnow()
    goal.decision_unread = True
    kind = EventKind.APPROVED if approve else EventKind.CHANGES_REQUESTED
    _event(goal, staff, kind, comment)
    # The decision is audited; the comment is free text and stays out of the audit log.
    audit.record(
        f"goal_{kind.value}",
        actor=staff,
        subject=goal.owner_id,
        goal=goal.public_id,
        with_comment=bool(comment),
    )


def disagree(goal: Goal, user: User, note: str | None) -> None:
    if goal.state != GoalState.CHANGES_REQUESTED:
        raise NotAllowed
    goal.state = GoalState.DISAGREED
    goal.decision_unread = False
    _event(goal, user, EventKind.DISAGREED, note)


def mark_read(goal: Goal) -> None:
    goal.decision_unread = False


def achieve(goal: Goal, user: User) -> None:
    if goal.achieved or goal.archived:
        raise NotAllowed
    goal.achieved_at = utcnow()
    _event(goal, user, EventKind.ACHIEVED)


def reopen(goal: Goal, user: User) -> None:
    if not goal.achieved:
        raise NotAllowed
    goal.achieved_at = None
    goal.position = _next_position(user)
    _event(goal, user, EventKind.REOPENED)


def archive(goal: Goal, user: User) -> None:
    if goal.archived:
        raise NotAllowed
    goal.archived_at = utcnow()
    _event(goal, user, EventKind.ARCHIVED)


def restore(goal: Goal, user: User) -> None:
    if not goal.archived:
        raise NotAllowed
    goal.archived_at = None
    goal.position = _next_position(user)
    _event(goal, user, EventKind.RESTORED)


def history(goal: Goal) -> list[GoalEvent]:
    return list(
        db.session.scalars(
            select(GoalEvent)
            .where(GoalEvent.goal_id == goal.id)
            .options(selectinload(GoalEvent.actor))  # one query for everyone in the history
            .order_by(GoalEvent.id)
        )
    )


def latest_staff_comment(goal: Goal) -> GoalEvent | None:
    """The last decision, for showing its comment next to the goal."""
    return db.session.scalar(
        select(GoalEvent)
        .where(
            GoalEvent.goal_id == goal.id,
            GoalEvent.kind.in_([EventKind.APPROVED, EventKind.CHANGES_REQUESTED]),
        )
        .order_by(GoalEvent.id.desc())
        .limit(1)
    )
