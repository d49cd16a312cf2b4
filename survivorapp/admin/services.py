"""Organisation settings and the admin activity log. Every change is on the audit trail.

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
Looking at an account is not a change: it goes in the person's access log
(people/admin_services.record_view).
Details are counts, roles and setting values, never codes, tokens or free text.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import settings as org
from ..accounts.models import User
from ..database import utcnow
from ..extensions import db
from ..security import audit
from ..security.audit import AuditEvent

AUDIT_PAGE = 30


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
    changes = {
        name: (before[name], clean[column])
        for name, column in org.COLUMNS.items()
        if before[name] != clean[column]
    }
    if not changes:
        return {}
    row = _settings_row()
    for name, column in org.COLUMNS.items():
        new = clean[column]
        setattr(row, column, None if new == org.default(name) else _stored_value(name, new))
    row.updated_at = utcnow()
    audit.record(
        "org_settings_changed",
        actor=actor,
        admin_action=True,
        changes={
            k.lower(): [_stored_value(k, o), _stored_value(k, n)] for k, (o, n) in changes.items()
        },
    )
    db.session.flush()
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
