"""Queries and writes for the admin workspace. Every change is recorded in the audit trail.

The admin activity log (/admin/audit) shows every action an admin takes with an admin's
powers, and nothing else. The rule: an audit event is on it when it was recorded with
`admin_action=True` (security/audit.py), which is

- always, for what only admins can do here: roles, turning accounts off and on, caseload
  assignment, organisation settings;
- when the actor holds the admin role and acts on someone else (audit.by_admin), for what
  staff and admins share on the people pages (accounts feature): inviting a person
  (account_created, and caseload_assigned when an admin who is also staff takes them on),
  issuing a new sign-in code (enrolment_code_issued), locking an account (account_locked).

Left out: the same actions by staff who are not admins, what a person does to their own
account (sign-in, passkeys, PIN, locking their other devices, their sharing choices), what the
app does by itself (a PIN lock-out), the command line, and case work (goals, appointments),
even by an admin who is also staff: that is on the participant's own history and access log.
Looking at an account is not a change: it goes in the person's access log (record_view).
Details are counts, roles and setting values, never codes, tokens or free text.
"""

from __future__ import annotations

from flask import abort, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from .. import settings as org
from ..accounts.models import Role, User, UserRole
from ..database import utcnow
from ..extensions import db
from ..people import caseload
from ..privacy import areas as privacy_areas
from ..privacy.registry import exporter
from ..privacy.services import log_access
from ..security import audit
from ..security.audit import AuditEvent
from ..security.sessions import end_user_sessions
from .models import ContactName

PEOPLE_LIMIT = 1000  # pseudonyms are encrypted: filter in Python after a bounded query
AUDIT_PAGE = 30


class AdminError(Exception):
    """A change refused for a reason the admin should read (already translated)."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


# --- people -------------------------------------------------------------------------------


def get_person_or_404(public_id: str) -> User:
    """The one place admin pages look a person up: by public id, or 404."""
    if not public_id or len(public_id) > 40:
        abort(404)
    user = db.session.scalar(select(User).where(User.public_id == public_id))
    if user is None:
        abort(404)
    return user


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
    db.session.commit()
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
    db.session.commit()


def enable(actor: User, person: User) -> None:
    if person.disabled_at is None:
        return
    person.disabled_at = None
    audit.record("account_enabled", actor=actor, subject=person, admin_action=True)
    db.session.commit()


def invite_url(role: str | None = None) -> str:
    """Inviting anyone uses the accounts feature's enrolment codes: admins link to its page."""
    return url_for("accounts.invite", role=role) if role else url_for("accounts.invite")


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
    db.session.commit()


# --- the name staff show ------------------------------------------------------------------


def contact_name(staff: User) -> str:
    row = db.session.get(ContactName, staff.id)
    return row.name if row is not None and row.name else staff.pseudonym


def chosen_contact_name(staff: User) -> str:
    row = db.session.get(ContactName, staff.id)
    return row.name if row is not None else ""


def set_contact_name(staff: User, name: str) -> None:
    row = db.session.get(ContactName, staff.id)
    if not name:
        if row is not None:
            db.session.delete(row)
    elif row is None:
        db.session.add(ContactName(user_id=staff.id, name=name))
    else:
        row.name = name
    audit.record("contact_name_changed", actor=staff, subject=staff)
    db.session.commit()


# --- organisation settings ----------------------------------------------------------------


def _settings_row() -> org.OrgSettings:
    row = db.session.get(org.OrgSettings, org.SETTINGS_ROW_ID)
    if row is not None:
        return row
    try:  # two admins saving the very first time at once: one creates, both then update
        with db.session.begin_nested():
            db.session.add(org.OrgSettings(id=org.SETTINGS_ROW_ID))
    except IntegrityError:
        pass
    return db.session.get(org.OrgSettings, org.SETTINGS_ROW_ID)


def _stored_value(name: str, value):
    return ",".join(value) if name == "LANGUAGES" else value


def save_settings(actor: User, clean: dict) -> dict[str, tuple]:
    """Store the settings an admin chose; a value equal to the default is stored as NULL, so
    the SURVIVORAPP_* default keeps applying. Returns {name: (old, new)} of what changed."""
    before = org.effective()
    row = _settings_row()
    changes: dict[str, tuple] = {}
    for name, column in org.COLUMNS.items():
        new = clean[column]
        default = org.default(name)
        setattr(row, column, None if new == default else _stored_value(name, new))
        if before[name] != new:
            changes[name] = (before[name], new)
    if not changes:
        db.session.rollback()
        return {}
    row.updated_at = utcnow()
    audit.record(
        "org_settings_changed",
        actor=actor,
        admin_action=True,
        changes={
            k.lower(): [_stored_value(k, o), _stored_value(k, n)] for k, (o, n) in changes.items()
        },
    )
    db.session.commit()
    org.forget()
    return changes


# --- audit trail --------------------------------------------------------------------------


def audit_page(page: int) -> tuple[list[AuditEvent], bool]:
    stmt = (
        select(AuditEvent)
        .where(AuditEvent.admin_action.is_(True))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .offset((page - 1) * AUDIT_PAGE)
        .limit(AUDIT_PAGE + 1)
    )
    events = list(db.session.scalars(stmt))
    return events[:AUDIT_PAGE], len(events) > AUDIT_PAGE


def people_by_id(ids: set[int]) -> dict[int, User]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}


def pseudonyms_by_public_id(public_ids: set) -> dict[str, str]:
    keys = {k for k in public_ids if isinstance(k, str)}
    if not keys:
        return {}
    return {
        u.public_id: u.pseudonym
        for u in db.session.scalars(select(User).where(User.public_id.in_(keys)))
    }


# --- privacy: export (deletion needs no eraser: contact_name cascades with the user) --------


@exporter("contact_name", label=_l("The name you show to the people you support"), order=6)
def export_contact_name(user: User) -> list[dict]:
    row = db.session.get(ContactName, user.id)
    if row is None:
        return []
    return [{_l("Name"): row.name, _l("Changed"): row.updated_at}]
