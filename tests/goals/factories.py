"""Factory functions for goals tests."""

from __future__ import annotations

from survivorapp.extensions import db
from survivorapp.goals import services


def make_goal(owner, *, title="A room of my own", area="housing", steps=(), submit=False, **kw):
    goal = services.create_goal(
        owner,
        area=area,
        title=title,
        why=kw.pop("why", None),
        target_month=kw.pop("target_month", None),
        steps=list(steps),
    )
    if submit:
        services.submit(goal, owner)
    db.session.commit()
    return goal
