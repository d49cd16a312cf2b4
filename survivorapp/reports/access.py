"""Who may open what in reports: the report's scope, and a survivor's own check-in."""

from __future__ import annotations

from flask import abort

from ..accounts.models import Role, User
from ..database import is_public_id
from .check_ins import owned_check_in
from .models import CheckIn
from .scope import Scope


def scope_for(user: User) -> Scope:
    """The organisation for an admin, the caseload for staff; 403 for anyone else."""
    if user.has_role(Role.ADMIN):
        return Scope(None)
    if user.has_role(Role.STAFF):
        return Scope(user.id)
    abort(403)


def get_check_in_or_404(public_id: str, user: User) -> CheckIn:
    """One of the person's own check-ins; 404 for anyone else's, as for one that is not."""
    row = owned_check_in(public_id, user) if is_public_id(public_id) else None
    if row is None:
        abort(404)
    return row
