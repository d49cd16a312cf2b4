"""The one way a circles page opens a circle or one of its sessions, or answers 404.

need="see": any survivor may look at any circle (the place is shown only to members).
need="member": members (not the waiting list) and the circle's own mentor (the calendar file).
need="host": the mentor's own circle; another mentor's circle is a 404.
Staff and admins have no special access here.
"""

from __future__ import annotations

from flask import abort
from sqlalchemy import exists, select

from ..accounts.models import User
from ..database import find_or_404
from . import occurrences, schedule
from .models import Circle, CircleMember


def get_circle_or_404(public_id: object, user: User, *, need: str = "see") -> Circle:
    query = select(Circle)
    if need == "host":
        query = query.where(Circle.mentor_id == user.id)
    elif need == "member":
        is_member = exists().where(
            CircleMember.circle_id == Circle.id,
            CircleMember.user_id == user.id,
            CircleMember.waiting.is_(False),
        )
        query = query.where(is_member | (Circle.mentor_id == user.id))
    elif need != "see":
        raise ValueError(need)
    return find_or_404(query, Circle.public_id, public_id)


def get_session_or_404(circle: Circle, token: object) -> occurrences.Session:
    """The session of `circle` whose original start the URL's token names."""
    key = schedule.Token.load(token)
    found = occurrences.sessions(circle, key, key) if key is not None else []
    if not found:
        abort(404)
    return found[0]
