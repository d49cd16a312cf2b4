"""Admin's people and caseload pages: the lists, roles, turning accounts off and on, and who
is on whose caseload. Every change is on the admin activity log (admin/services.py says what
that log holds). Nothing here commits: the request does (security/transactions.py).
"""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..accounts.models import Role, User, UserRole
from ..database import utcnow
from ..extensions import db
from ..privacy import areas as privacy_areas
from ..privacy.services import log_access
from ..security import audit
from ..security.sessions import end_user_sessions
from . import caseload

PEOPLE_LIMIT = 1000  # pseudonyms are encrypted: filter in Python after a bounded query


class AdminError(Exception):
    """A change refused for a reason the admin should read (already translated)."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


def record_view(actor: User, person: User) -> None:
    """An admin opened a participant's account page: it goes in their access log (privacy
    area "profile"), which they see on /privacy/access. That log is the one record of who
    looked at whom; the audit trail keeps what was changed.

    Admin pages show account facts only (pseudonym, roles, dates, contact on staff), never
    goals, budget, appointments or circles; the record keeps even that look visible."""
    if person.has_role(Role.SURVIVOR) and person.id != actor.id:
        log_access(actor, person, privacy_areas.PROFILE)


def list_people(*, role: str | None = None, query: str = "", status: str = "") -> list[User]:
    stmt = select(User).order_by(User.created_at.desc(), User.id.desc()).limit(PEOPLE_LIMIT)
    if role in {r.value for r in Role}:
        stmt = stmt.where(User.id.in_(select(UserRole.user_id).where(UserRole.role == Role(role))))
    if status == "disabled":
        stmt = stmt.where(User.disabled_at.is_not(None))
    elif status == "active":
        stmt = stmt.where(User.disabled_at.is_(None))
    people = list(db.session.scalars(stmt))
    needle = query.strip().casefold()
    if needle:
        people = [p for p in people if needle in (p.pseudonym or "").casefold()]
    return people


def count_by_role() -> dict[str, int]:
    rows = db.session.execute(
        select(UserRole.role, func.count())
        .join(User, User.id == UserRole.user_id)
        .where(User.disabled_at.is_(None))
        .group_by(UserRole.role)
    )
    counts = {r.value: 0 for r in Role}
    for role, n in rows:
        counts[Role(role).value] = n
    return counts


def active_admin_ids() -> set[int]:
    return set(
        db.session.scalars(
            select(User.id)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == Role.ADMIN, User.disabled_at.is_(None))
        )
    )


def _would_leave_no_admin(person: User) -> bool:
    return active_admin_ids() - {person.id} == set()


def set_roles(actor: User, person: User, roles: list[str]) -> bool:
    """Give a person exactly these roles. Returns False when nothing changed."""
    before = sorted(r.value for r in person.roles)
    after = sorted(set(roles))
    if before == after:
        return False
    if person.has_role(Role.ADMIN) and "admin" not in after and _would_leave_no_admin(person):
        raise AdminError(
            _l("You are the last admin. Make someone else an admin before removing this role."),
            field="roles",
        )
    for role in Role:
        if role.value in after:
            person.add_role(role)
        else:
            person.remove_role(role)
    # Someone who is no longer staff holds no caseload; someone no longer a participant
    # is on none. Their survivors go back to the shared queue, and the audit trail says so.
    if "staff" in before and "staff" not in after:
        caseload.release_all(person, actor=actor)
    if "survivor" in before and "survivor" not in after:
        caseload.unassign(person, actor=actor)
    audit.record(
        "roles_changed",
        actor=actor,
        subject=person,
        admin_action=True,
        before=before,
        after=after,
    )
    db.session.flush()
    return True


def disable(actor: User, person: User) -> None:
    if person.id == actor.id:
        raise AdminError(_l("You cannot turn off your own account."))
    if person.disabled_at is not None:
        return
    person.disabled_at = utcnow()
    ended = end_user_sessions(person.id)
    audit.record(
        "account_disabled", actor=actor, subject=person, admin_action=True, sessions_ended=ended
    )
    db.session.flush()


def enable(actor: User, person: User) -> None:
    if person.disabled_at is None:
        return
    person.disabled_at = None
    audit.record("account_enabled", actor=actor, subject=person, admin_action=True)
    db.session.flush()


def invite_url(role: str | None = None) -> str:
    """Inviting anyone uses the accounts feature's enrolment codes: admins link to its page."""
    return url_for("people.invite", role=role) if role else url_for("people.invite")


# --- caseloads ----------------------------------------------------------------------------


def staff_members(*, active_only: bool = True) -> list[User]:
    stmt = (
        select(User)
        .join(UserRole, (UserRole.user_id == User.id) & (UserRole.role == Role.STAFF))
        .order_by(User.created_at, User.id)
    )
    if active_only:
        stmt = stmt.where(User.disabled_at.is_(None))
    return list(db.session.scalars(stmt))


def caseload_counts() -> dict[int, int]:
    return caseload.sizes()


def unassigned_survivors() -> list[User]:
    return list(db.session.scalars(caseload.unassigned_survivors_query().limit(PEOPLE_LIMIT)))


def caseload_of(staff: User) -> list[User]:
    return list(db.session.scalars(caseload.caseload_query(staff.id).limit(PEOPLE_LIMIT)))


def assign(actor: User, survivor: User, staff: User | None) -> None:
    if not survivor.has_role(Role.SURVIVOR):
        raise AdminError(_l("Only participants can be on a caseload."), field="survivor")
    if staff is None:
        caseload.unassign(survivor, actor=actor)
    else:
        if not staff.has_role(Role.STAFF) or not staff.is_active:
            raise AdminError(_l("Choose a member of staff."), field="staff")
        current = caseload.case_worker_of(survivor)
        if current is not None and current.id == staff.id:
            return
        caseload.assign(staff, survivor, actor=actor)
    db.session.flush()
