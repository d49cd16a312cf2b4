"""The one way a page opens a person's account: by public id, for a viewer, or 404."""

from __future__ import annotations

from flask import abort
from sqlalchemy import select

from ..accounts.models import Role, User
from ..database import find_or_404
from . import caseload


def get_person_or_404(public_id: object, viewer: User, *, need: str = "support") -> User:
    """need="support" (the team's People pages): an admin reaches anyone else, a member of
    staff only the survivors on their caseload. need="admin" (admin pages): an admin reaches
    anyone, themselves included. Everyone else, and any other id, gets a 404."""
    person = find_or_404(select(User), User.public_id, public_id)
    if need == "admin":
        allowed = viewer.has_role(Role.ADMIN)
    elif need == "support":
        allowed = person.id != viewer.id and (
            viewer.has_role(Role.ADMIN)
            or (viewer.has_role(Role.STAFF) and caseload.on_caseload(viewer.id, person.id))
        )
    else:
        raise ValueError(need)
    if not allowed:
        abort(404)
    return person


def get_staff_or_404(public_id: object, viewer: User) -> User:
    """A member of staff, for an admin's caseload pages (need="admin"); anyone else is a 404."""
    staff = get_person_or_404(public_id, viewer, need="admin")
    if not staff.has_role(Role.STAFF):
        abort(404)
    return staff
