"""The team's People pages: who a member of staff or an admin sees, inviting someone, and
the record of each look at a person's account."""

from __future__ import annotations

from flask_babel import force_locale
from sqlalchemy import select

from ..accounts.codes import issue_code
from ..accounts.models import Role, User
from ..accounts.services import create_user
from ..extensions import db
from ..privacy import areas as privacy_areas
from ..privacy.services import log_access
from ..security import audit
from ..settings import org_setting
from . import caseload


def people_for(actor: User) -> list[User]:
    if actor.has_role(Role.ADMIN):
        query = select(User).where(User.id != actor.id).order_by(User.id)
    else:
        query = caseload.caseload_query(actor.id)
    return list(db.session.scalars(query))


def record_look(actor: User, person: User, what=None) -> None:
    """A look at a person's account goes in their access log (privacy area "profile", shown on
    /privacy/access). `what` is a lazy string, stored in the person's language."""
    text = None
    if what is not None:
        with force_locale(person.locale or "en"):
            text = str(what)
    log_access(actor, person, privacy_areas.PROFILE, text)


def invitable_roles(actor: User) -> list[Role]:
    if actor.has_role(Role.ADMIN):
        return list(Role)
    if actor.has_role(Role.STAFF):
        return [Role.SURVIVOR]
    return []


def invite(actor: User | None, pseudonym: str, role: str) -> tuple[User, str]:
    """Create an account (pseudonym and role only) and its first enrolment code."""
    user = create_user(pseudonym, [role], timezone=org_setting("DEFAULT_TIMEZONE"))
    if actor is not None and role == Role.SURVIVOR and actor.has_role(Role.STAFF):
        caseload.assign(actor, user, actor=actor)
    audit.record(
        "account_created",
        actor=actor,
        subject=user,
        admin_action=audit.by_admin(actor, user),
        role=str(role),
    )
    code = issue_code(user, actor=actor)
    return user, code
