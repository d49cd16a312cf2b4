"""Who opens which goal: the one place goals answer 404.

Survivors own their goals: `get_goal_or_404` finds only the person's own.

Who reviews a goal (the approval rule):
    A goal stays private until its owner sends it for approval. A goal that has been sent goes
    to the owner's case worker; when the owner has no case worker it is on the shared list that
    every member of staff sees (`people.caseload.works_with(..., shared_list=True)`); once a
    case worker is assigned, only that person sees it. Staff only ever see goals that were
    shared, never private ones, and they can approve or ask for changes with a comment, but
    never change the survivor's words.

Consent (privacy area "goals", shared by default): staff see a shared goal only while its owner
keeps "goals" shared in /privacy/sharing. The rule sits in `shared_with_staff` (part of
`reviewable_by`, and of both halves of the approval queue), so every staff query applies it.
A goal that was sent and whose owner then stops sharing keeps its state (the owner still sees
"Sent"), but staff stop seeing it: it drops out of the approval queue and the caseload counts,
and opening it answers 404. Every staff page that shows one person's goals goes through
`open_for_staff_or_404`, which logs the access: the owner sees it on /privacy/access.
"""

from __future__ import annotations

from flask import abort
from sqlalchemy import ColumnElement, and_, select

from ..accounts.models import User
from ..database import find_or_404
from ..extensions import db
from ..people import caseload
from ..privacy import areas as privacy_areas
from ..privacy import consent
from ..privacy.services import open_or_404
from .models import Goal, Step
from .pathways import Pathway
from .pathways import find as find_pathway


def own_goals_query(user: User):
    return select(Goal).where(Goal.owner_id == user.id)


def get_goal_or_404(public_id: object, user: User) -> Goal:
    """A survivor's own goal; anyone else's goal (or no goal) answers 404."""
    return find_or_404(own_goals_query(user), Goal.public_id, public_id)


def get_step_or_404(goal: Goal, step_public_id: object) -> Step:
    """A step of a goal already opened with `get_goal_or_404`."""
    return find_or_404(select(Step).where(Step.goal_id == goal.id), Step.public_id, step_public_id)


def shared_with_staff(staff: User) -> ColumnElement[bool]:
    """Shared, not archived, not this person's own, and the owner still shares goals."""
    return and_(
        Goal.shared_at.is_not(None),
        Goal.archived_at.is_(None),
        Goal.owner_id != staff.id,
        consent.allows_clause(Goal.owner_id, privacy_areas.GOALS),
    )


def reviewable_by(staff: User) -> ColumnElement[bool]:
    """Shared with staff, and the owner is on this person's caseload or on nobody's."""
    return and_(
        shared_with_staff(staff), caseload.works_with(staff.id, Goal.owner_id, shared_list=True)
    )


def reviewable_goals_query(staff: User):
    return select(Goal).where(reviewable_by(staff))


def open_for_staff_or_404(staff: User, owner: User, goal: Goal | None = None) -> None:
    """404 unless privacy allows it (staff who support the person, "goals" shared), then log
    the access. `goal` names the goal opened (its title, shown to the owner on
    /privacy/access); None for the list."""
    open_or_404(staff, owner, privacy_areas.GOALS, what=goal.title if goal else None)


def get_reviewable_goal_or_404(public_id: object, staff: User, *, log: bool = False) -> Goal:
    """A goal this member of staff may review; with `log`, the opening is logged for its
    owner to see (a page that shows the goal, not a decision on it)."""
    goal = find_or_404(reviewable_goals_query(staff), Goal.public_id, public_id)
    if log:
        open_for_staff_or_404(staff, goal.owner, goal)
    return goal


def shared_goals_of(staff: User, survivor_public_id: object) -> tuple[User, list[Goal]]:
    """One survivor's shared goals, for staff who may review them; 404 otherwise. Logs the
    access. Someone on this person's caseload with nothing shared shows an empty list; someone
    on the shared list shows only while they have a goal shared."""
    owner = find_or_404(select(User), User.public_id, survivor_public_id)
    goals = list(
        db.session.scalars(
            reviewable_goals_query(staff)
            .where(Goal.owner_id == owner.id)
            .order_by(Goal.position, Goal.id)
        )
    )
    if not goals and not caseload.on_caseload(staff.id, owner.id):
        abort(404)
    open_for_staff_or_404(staff, owner)
    return owner, goals


def get_pathway_or_404(key: str) -> Pathway:
    pathway = find_pathway(key)
    if pathway is None:
        abort(404)
    return pathway
