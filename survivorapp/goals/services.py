"""Queries and writes for goals. Access is checked here, in one helper per role.

Who reviews a goal (the approval rule):
    A goal stays private until its owner sends it for approval. A goal that has been sent goes
    to the owner's case worker (`people.caseload.case_worker_of`). When the owner has no case
    worker, it goes to a shared queue that every member of staff sees
    (`people.caseload.unassigned_survivor_ids`); once a case worker is assigned, only that
    person sees it. Staff only ever see goals that were shared, never private ones, and they
    can approve or ask for changes with a comment, but never change the survivor's words.

Consent (privacy area "goals", shared by default): staff see a shared goal only while its owner
keeps "goals" shared in /privacy/sharing. The rule sits in `_shared_with_staff` (part of
`_reviewable_by`, and of both halves of the approval queue), so every staff query (the approval
queue, one person's shared goals, one goal, a decision) applies it at the query. A goal that
was sent for approval and whose owner then stops sharing keeps its state (the owner still sees
"Sent"), but staff stop seeing it: it drops out of the approval queue and
out of the caseload counts, and opening it answers 404. If the owner shares goals again, it is
back in the queue as it was. Every staff page that shows one person's goals goes through
`open_for_staff_or_404`, which logs the access (privacy.services.open_or_404): the owner sees
it on /privacy/access.

Deletion: goals, steps and history go with their owner (ON DELETE CASCADE). A member of
staff's decisions and comments on someone else's goal stay with that goal when the staff
account is deleted; the link to them is nulled (GoalEvent.actor_id ON DELETE SET NULL) and the
history shows "A former team member". No eraser is needed.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import abort
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import lazyload, load_only, selectinload

from ..accounts.models import User
from ..database import is_public_id, new_public_id, utcnow
from ..extensions import db
from ..people import caseload
from ..privacy import areas as privacy_areas
from ..privacy import consent
from ..privacy.registry import exporter
from ..privacy.services import open_or_404
from ..security import audit
from .models import EventKind, Goal, GoalEvent, GoalState, Step
from .pathways import Pathway

# --- access -------------------------------------------------------------------------------


def _public_id(value: object) -> str:
    """A well-formed public id, or 404."""
    if not is_public_id(value):
        abort(404)
    return value


def own_goals_query(user: User):
    return select(Goal).where(Goal.owner_id == user.id)


def get_own_goal_or_404(public_id: str, user: User) -> Goal:
    """A survivor's own goal; anyone else's goal (or no goal) answers 404."""
    goal = db.session.scalar(own_goals_query(user).where(Goal.public_id == _public_id(public_id)))
    if goal is None:
        abort(404)
    return goal


def get_own_step_or_404(goal: Goal, step_public_id: str) -> Step:
    step = db.session.scalar(
        select(Step).where(Step.goal_id == goal.id, Step.public_id == _public_id(step_public_id))
    )
    if step is None:
        abort(404)
    return step


def _shared_with_staff(staff: User) -> ColumnElement[bool]:
    """Shared, not archived, not this person's own, and the owner still shares goals."""
    return and_(
        Goal.shared_at.is_not(None),
        Goal.archived_at.is_(None),
        Goal.owner_id != staff.id,
        consent.allows_clause(Goal.owner_id, privacy_areas.GOALS),
    )


def _on_no_caseload() -> ColumnElement[bool]:
    return Goal.owner_id.in_(caseload.unassigned_survivor_ids())


def _reviewable_by(staff: User) -> ColumnElement[bool]:
    """Shared with staff, and the owner is on this person's caseload or on nobody's."""
    return and_(
        _shared_with_staff(staff), caseload.works_with(staff.id, Goal.owner_id, shared_list=True)
    )


def reviewable_goals_query(staff: User):
    return select(Goal).where(_reviewable_by(staff))


def get_reviewable_goal_or_404(public_id: str, staff: User) -> Goal:
    goal = db.session.scalar(
        reviewable_goals_query(staff).where(Goal.public_id == _public_id(public_id))
    )
    if goal is None:
        abort(404)
    return goal


def open_for_staff_or_404(staff: User, owner: User, goal: Goal | None = None) -> None:
    """The one access helper for staff pages that show a person's goals: 404 unless privacy
    allows it (staff who support the person, "goals" shared), then log the access. `goal` names
    the goal opened (its title, shown to the owner on /privacy/access); None for the list."""
    open_or_404(staff, owner, privacy_areas.GOALS, what=goal.title if goal else None)


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


# --- staff lists ---------------------------------------------------------------------------


QUEUE_PAGE = 20


def approval_queue(
    staff: User, *, after: str | None = None, limit: int = QUEUE_PAGE
) -> tuple[list[tuple[Goal, bool]], str | None]:
    """One page of the goals waiting for this person's decision, oldest first, each with
    whether it came from the shared list (its owner has no case worker), and the cursor for
    the next page (the public id of the last goal shown), or None at the end.

    The caseload and the shared list are two queries, each bounded by the page size: one
    OR-ed query would read every goal sent for approval in the organisation to find this
    person's few (`docs/performance.md`)."""
    waiting = and_(Goal.state == GoalState.SUBMITTED.value, _shared_with_staff(staff))
    if is_public_id(after):  # anything else starts from the beginning
        mark = db.session.execute(
            select(Goal.submitted_at, Goal.id).where(Goal.public_id == after)
        ).first()
        if mark is not None:
            waiting = and_(
                waiting,
                or_(
                    Goal.submitted_at > mark.submitted_at,
                    and_(Goal.submitted_at == mark.submitted_at, Goal.id > mark.id),
                ),
            )
    mine = select(Goal).where(caseload.works_with(staff.id, Goal.owner_id), waiting)
    shared_list = select(Goal).where(_on_no_caseload(), waiting)
    # Only what the queue shows: no steps, no encrypted title to decrypt, no owner's roles.
    shown = (
        load_only(Goal.public_id, Goal.owner_id, Goal.area, Goal.submitted_at),
        lazyload(Goal.steps),
        selectinload(Goal.owner).lazyload(User.role_rows),
    )
    found = []
    for query, shared in ((mine, False), (shared_list, True)):
        goals = db.session.scalars(
            query.options(*shown).order_by(Goal.submitted_at, Goal.id).limit(limit + 1)
        )
        found += [(goal, shared) for goal in goals]
    found.sort(key=lambda item: (item[0].submitted_at, item[0].id))
    if len(found) > limit:
        return found[:limit], found[limit - 1][0].public_id
    return found, None


def caseload_summary(staff: User) -> list[tuple[User, int | None]]:
    """Survivors on this person's caseload with how many goals each has shared; None for
    someone who keeps goals private (/privacy/sharing), so the page can say so."""
    shared = (
        select(func.count(Goal.id))
        .where(Goal.owner_id == User.id, Goal.shared_at.is_not(None), Goal.archived_at.is_(None))
        .correlate(User)
        .scalar_subquery()
    )
    shares = consent.allows_clause(User.id, privacy_areas.GOALS)
    query = caseload.caseload_query(staff.id).add_columns(shared, shares)
    rows = db.session.execute(query.options(lazyload(User.role_rows))).all()  # roles unused
    return [(user, count if allowed else None) for user, count, allowed in rows]


def shared_goals_of(staff: User, survivor_public_id: str) -> tuple[User, list[Goal]]:
    """One survivor's shared goals, for staff who may review them; 404 otherwise. Logs the
    access."""
    owner = db.session.scalar(select(User).where(User.public_id == _public_id(survivor_public_id)))
    if owner is None:
        abort(404)
    goals = list(
        db.session.scalars(
            reviewable_goals_query(staff)
            .where(Goal.owner_id == owner.id)
            .order_by(Goal.position, Goal.id)
        )
    )
    linked = caseload.case_worker_id(owner.id)
    if linked is not None and linked != staff.id:
        abort(404)
    if linked is None and not goals:
        abort(404)
    open_for_staff_or_404(staff, owner)
    return owner, goals


def shares_goals(user: User) -> bool:
    """Whether the person currently shares goals with staff (privacy area "goals")."""
    return consent.allows(user.id, privacy_areas.GOALS)


# --- writes --------------------------------------------------------------------------------


def _event(goal: Goal, actor: User, kind: EventKind, comment: str | None = None) -> None:
    goal.events.append(GoalEvent(actor_id=actor.id, kind=kind.value, comment=comment))


def _next_position(user: User) -> int:
    top = db.session.scalar(select(func.max(Goal.position)).where(Goal.owner_id == user.id))
    return (top or 0) + 1


def create_goal(
    user: User,
    *,
    area: str,
    title: str,
    why: str | None,
    target_month: date | None,
    steps: list[str] | tuple = (),
    pathway: str | None = None,
) -> Goal:
    goal = Goal(
        public_id=new_public_id(),
        owner_id=user.id,
        area=area,
        title=title,
        why=why,
        target_month=target_month,
        position=_next_position(user),
        pathway=pathway,
        # Set here, not left to column defaults, so that the state is right before a flush.
        state=GoalState.PRIVATE.value,
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
    goal.area, goal.title, goal.why, goal.target_month = area, title, why, target_month
    if changed and goal.shared:
        _event(goal, user, EventKind.EDITED)


def add_step(goal: Goal, text: str) -> Step:
    position = max((s.position for s in goal.steps), default=0) + 1
    step = Step(text=text, position=position)
    goal.steps.append(step)
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
    if goal.archived or goal.state == GoalState.SUBMITTED.value:
        raise NotAllowed
    now = utcnow()
    first = goal.state == GoalState.PRIVATE.value
    goal.shared_at = goal.shared_at or now
    goal.submitted_at = now
    goal.state = GoalState.SUBMITTED.value
    goal.decision_unread = False
    _event(goal, user, EventKind.SUBMITTED if first else EventKind.RESUBMITTED)


def decide(goal: Goal, staff: User, *, approve: bool, comment: str | None) -> None:
    if goal.state != GoalState.SUBMITTED.value:
        raise NotAllowed
    goal.state = (GoalState.APPROVED if approve else GoalState.CHANGES_REQUESTED).value
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
    if goal.state != GoalState.CHANGES_REQUESTED.value:
        raise NotAllowed
    goal.state = GoalState.DISAGREED.value
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
            GoalEvent.kind.in_([EventKind.APPROVED.value, EventKind.CHANGES_REQUESTED.value]),
        )
        .order_by(GoalEvent.id.desc())
        .limit(1)
    )


def local_today(user: User) -> date:
    from zoneinfo import ZoneInfo

    try:
        zone = ZoneInfo(user.timezone or "UTC")
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    return datetime.now(zone).date()


# --- export (privacy) ----------------------------------------------------------------------


def _own_goals_in_order(user: User) -> list[Goal]:
    return list(db.session.scalars(own_goals_query(user).order_by(Goal.position, Goal.id)))


@exporter("goals", label=_l("Goals"), order=20)
def export_goals(user: User) -> list[dict]:
    from .forms import AREAS
    from .labels import STATE_LABELS

    return [
        {
            _l("Goal"): goal.title,
            _l("Why it matters"): goal.why,
            _l("Area"): AREAS.get(goal.area, goal.area),
            _l("Aiming for"): goal.target_month.strftime("%Y-%m") if goal.target_month else None,
            _l("State"): STATE_LABELS.get(goal.state, goal.state),
            _l("Added"): goal.created_at,
            _l("First sent for approval"): goal.shared_at,
            _l("Achieved"): goal.achieved_at,
            _l("Put away"): goal.archived_at,
        }
        for goal in _own_goals_in_order(user)
    ]


@exporter("goal_steps", label=_l("Steps of your goals"), order=21)
def export_goal_steps(user: User) -> list[dict]:
    return [
        {
            _l("Goal"): goal.title,
            _l("Step"): step.text,
            _l("Done"): step.done_at,
        }
        for goal in _own_goals_in_order(user)
        for step in goal.steps
    ]


@exporter("goal_history", label=_l("History and comments on your goals"), order=22)
def export_goal_history(user: User) -> list[dict]:
    from .labels import EVENT_LABELS

    events = db.session.execute(
        select(Goal.title, GoalEvent)
        .join(GoalEvent, GoalEvent.goal_id == Goal.id)
        .where(Goal.owner_id == user.id)
        .options(selectinload(GoalEvent.actor))
        .order_by(GoalEvent.at, GoalEvent.id)
    ).all()
    rows = []
    for title, event in events:
        if event.actor_id == user.id:
            by = _l("You")
        elif event.actor is not None:
            by = event.actor.pseudonym
        else:
            by = _l("A former team member")
        rows.append(
            {
                _l("Goal"): title,
                _l("What happened"): EVENT_LABELS.get(event.kind, event.kind),
                _l("By"): by,
                _l("Comment"): event.comment,
                _l("When"): event.at,
            }
        )
    return rows
