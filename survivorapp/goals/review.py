"""What staff see of goals: the approval queue and their caseload's goal counts. Which goals
a member of staff may see at all is the rule in access.py."""

from __future__ import annotations

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import lazyload, load_only, selectinload

from ..accounts.models import User
from ..database import is_public_id
from ..extensions import db
from ..people import caseload
from ..privacy import areas as privacy_areas
from ..privacy import consent
from .access import shared_with_staff
from .models import Goal, GoalState

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
    waiting = and_(Goal.state == GoalState.SUBMITTED, shared_with_staff(staff))
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
    shared_list = select(Goal).where(Goal.owner_id.in_(caseload.unassigned_survivor_ids()), waiting)
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
