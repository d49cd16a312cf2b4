"""What a person's export holds of their goals. Nothing to erase: goals, steps and history go
with their owner (ON DELETE CASCADE), and staff's comments on others' goals stay with those
goals (see services.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..extensions import db
from ..privacy.registry import exporter
from .access import own_goals_query
from .forms import AREAS
from .labels import EVENT_LABELS, STATE_LABELS
from .models import Goal, GoalEvent


def _own_goals_in_order(user: User) -> list[Goal]:
    return list(db.session.scalars(own_goals_query(user).order_by(Goal.position, Goal.id)))


@exporter("goals", label=_l("Goals"), order=20)
def export_goals(user: User) -> list[dict]:
    return [
        {
            _l("Goal"): goal.title,
            _l("Why it matters"): goal.why,
            _l("Area"): AREAS[goal.area],
            _l("Aiming for"): goal.target_month.strftime("%Y-%m") if goal.target_month else None,
            _l("State"): STATE_LABELS[goal.state],
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
                _l("What happened"): EVENT_LABELS[event.kind],
                _l("By"): by,
                _l("Comment"): event.comment,
                _l("When"): event.at,
            }
        )
    return rows
