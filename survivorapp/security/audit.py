"""Audit trail of security events. Details never hold secrets, tokens or free text.

`admin_action` marks what an admin did with an admin's powers (see by_admin() and the rule in
survivorapp/admin/services.py): those events make the admin activity log (/admin/audit).
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from ..database import UTCDateTime, utcnow
from ..extensions import db


class AuditEvent(db.Model):
    __tablename__ = "audit_event"
    # The admin activity log: a few rows among many sign-ins, newest first.
    __table_args__ = (Index("ix_audit_event_admin_action_at", "admin_action", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    action: Mapped[str] = mapped_column(String(60), index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    subject_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    detail: Mapped[str] = mapped_column(Text, default="{}")
    admin_action: Mapped[bool] = mapped_column(default=False, server_default=false())

    @property
    def details(self) -> dict:
        return json.loads(self.detail or "{}")


def by_admin(actor, subject=None) -> bool:
    """Whether `actor` acts with an admin's powers: they hold the admin role and act on someone
    else (or on no one: the organisation). What an admin does to their own account is theirs."""
    if actor is None or not hasattr(actor, "has_role") or not actor.has_role("admin"):
        return False
    return getattr(subject, "id", subject) != actor.id


def record(
    action: str, *, actor=None, subject=None, admin_action: bool = False, **detail
) -> AuditEvent:
    """Add an audit event to the current transaction; the caller commits. `admin_action`: an
    admin did this with an admin's powers (it shows in the admin activity log)."""
    event = AuditEvent(
        action=action,
        actor_id=getattr(actor, "id", actor),
        subject_id=getattr(subject, "id", subject),
        detail=json.dumps(detail, default=str, sort_keys=True),
        admin_action=admin_action,
    )
    db.session.add(event)
    return event
