"""Consent, the access log, export, account deletion and retention.

The calls other features make (see privacy/__init__.py for the whole contract):

    consent.allows(survivor_id, area_key) -> bool       (survivorapp/privacy/consent.py)
    consent.allows_clause(Model.owner_id, area_key)      a SQL expression for .where(...)
    may_open(viewer, subject, area_key) -> bool
    open_or_404(viewer, subject, area_key, what=None)  # check + log in one call
    log_access(viewer, subject, area_key, what=None)
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

from flask import abort
from flask_babel import _, format_date, format_datetime
from sqlalchemy import Select, delete, or_, select, update

from ..accounts.models import Role, User
from ..database import utcnow
from ..extensions import db
from ..people import caseload
from ..security import audit
from ..security.audit import AuditEvent
from ..security.sessions import end_user_sessions
from ..settings import org_setting
from . import consent, core  # noqa: F401  (core registers the built-in exporters/erasers)
from .models import AccessEvent, ClosedAccount
from .registry import areas as consent_areas
from .registry import erasers, exporters, is_access_area

WHAT_MAX = 200


# --- who may open what, and the access log ----------------------------------------------------


def _supports(viewer: User, subject: User) -> bool:
    """Staff support a survivor on their caseload, or one with no case worker (the queue)."""
    if not viewer.has_role(Role.STAFF) or not subject.has_role(Role.SURVIVOR):
        return False
    return caseload.on_caseload(viewer.id, subject.id, shared_list=True)


def may_open(viewer: User, subject: User, area_key: str) -> bool:
    """May `viewer` open `subject`'s records in this area? Consent areas: staff who support the
    person and only when the person shares the area. Other access areas (the profile): staff
    who support the person, or an admin."""
    if not is_access_area(area_key):
        raise KeyError(area_key)
    if viewer.id == subject.id:
        return True
    if area_key in {a.key for a in consent_areas()}:
        return _supports(viewer, subject) and consent.allows(subject.id, area_key)
    return _supports(viewer, subject) or viewer.has_role(Role.ADMIN)


def log_access(
    viewer: User,
    subject: User | int,
    area_key: str,
    what: str | None = None,
    *,
    commit: bool = True,
) -> AccessEvent | None:
    """Record that staff or an admin opened something of a survivor's. A person's own views
    are never logged. Commits by default: a look must stay in the log even when the page that
    showed it then answers with a refusal (4xx), which rolls the request back."""
    if not is_access_area(area_key):
        raise KeyError(area_key)
    subject_id = getattr(subject, "id", subject)
    if viewer is None or viewer.id == subject_id:
        return None
    event = AccessEvent(
        subject_id=subject_id,
        viewer_id=viewer.id,
        area=area_key,
        what=(what[:WHAT_MAX] if what else None),
    )
    db.session.add(event)
    if commit:
        db.session.commit()
    return event


def open_or_404(viewer: User, subject: User, area_key: str, what: str | None = None) -> None:
    """The one call a staff view makes before showing a survivor's data: 404 unless allowed,
    then log the access."""
    if not may_open(viewer, subject, area_key):
        abort(404)
    log_access(viewer, subject, area_key, what)


# --- export --------------------------------------------------------------------------------


def _plain(value):
    """A JSON-able value."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)


def _shown(value) -> str:
    """A readable value for the HTML page, in the person's language and time zone."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return format_datetime(value, "medium")
    if isinstance(value, date):
        return format_date(value, "medium")
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(_shown(v) for v in value)
    return str(value)


def export_data(user: User) -> list[dict]:
    """Every registered exporter's data: [{key, title, items: [[(label, value), ...]]}]."""
    sections = []
    for exp in exporters():
        items = [[(str(k), v) for k, v in item.items()] for item in exp.fn(user)]
        sections.append({"key": exp.name, "title": str(exp.label), "items": items})
    return sections


def export_json(user: User, locale: str) -> str:
    sections = export_data(user)
    document = {
        "format": "survivorapp-export/1",
        "exported_at": utcnow().isoformat(),
        "language": locale,
        "sections": [
            {
                "key": s["key"],
                "title": s["title"],
                "items": [{label: _plain(v) for label, v in item} for item in s["items"]],
            }
            for s in sections
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def export_html_sections(user: User) -> list[dict]:
    return [
        {**s, "items": [[(label, _shown(v)) for label, v in item] for item in s["items"]]}
        for s in export_data(user)
    ]


# --- deletion ------------------------------------------------------------------------------


def _scrub_audit(user: User) -> None:
    """Keep security events but unlink the person and drop details that could identify."""
    about = or_(AuditEvent.actor_id == user.id, AuditEvent.subject_id == user.id)
    mentions = AuditEvent.detail.contains(user.public_id, autoescape=True)
    db.session.execute(update(AuditEvent).where(or_(about, mentions)).values(detail="{}"))
    db.session.execute(
        update(AuditEvent).where(AuditEvent.actor_id == user.id).values(actor_id=None)
    )
    db.session.execute(
        update(AuditEvent).where(AuditEvent.subject_id == user.id).values(subject_id=None)
    )


def delete_account(user: User) -> ClosedAccount:
    """Delete a person and every personal row in one transaction; leave an anonymous marker."""
    link = caseload.link_of(user)
    marker = ClosedAccount(
        roles=",".join(sorted(r.value for r in user.roles)),
        case_worker_id=link.staff_id if link else None,
    )
    for entry in erasers():
        entry.fn(user)
    _scrub_audit(user)
    end_user_sessions(user.id)
    db.session.add(marker)
    db.session.flush()
    audit.record("account_closed", marker=marker.public_id)
    db.session.delete(user)
    db.session.flush()
    return marker


def closed_accounts(staff_id: int, limit: int = 20) -> list[ClosedAccount]:
    return list(db.session.scalars(closed_accounts_query(staff_id).limit(limit)))


def closed_accounts_query(staff_id: int) -> Select:
    """Closed accounts that were on a member of staff's caseload ("account closed")."""
    return (
        select(ClosedAccount)
        .where(ClosedAccount.case_worker_id == staff_id)
        .order_by(ClosedAccount.closed_at.desc())
    )


# --- retention -----------------------------------------------------------------------------


def retention_days() -> int:
    """How long closed accounts' remains are kept: the organisation's setting (Admin →
    Settings), or SURVIVORAPP_RETENTION_DAYS when no admin has chosen one."""
    return int(org_setting("RETENTION_DAYS"))


def purge(now: datetime | None = None) -> dict[str, int]:
    """Delete closed-account markers and unlinked audit events older than the retention."""
    cutoff = (now or utcnow()) - timedelta(days=retention_days())
    markers = db.session.execute(
        delete(ClosedAccount).where(ClosedAccount.closed_at < cutoff)
    ).rowcount
    events = db.session.execute(
        delete(AuditEvent).where(
            AuditEvent.actor_id.is_(None), AuditEvent.subject_id.is_(None), AuditEvent.at < cutoff
        )
    ).rowcount
    db.session.commit()  # run from the command line (privacy purge), outside any request
    return {"markers": markers, "events": events}
