"""Retention: closed accounts' remains are purged after the period an admin chose in the
settings (SURVIVORAPP_RETENTION_DAYS until one does)."""

from __future__ import annotations

from datetime import timedelta

from flask import g
from sqlalchemy import select

from survivorapp.database import utcnow
from survivorapp.extensions import db
from survivorapp.privacy.models import ClosedAccount
from survivorapp.security.audit import AuditEvent
from tests.factories import make_user


def test_purge_removes_only_old_anonymous_remains(app, runner):
    person = make_user("survivor")
    old, recent = utcnow() - timedelta(days=400), utcnow() - timedelta(days=10)
    db.session.add_all(
        [
            ClosedAccount(closed_at=old, roles="survivor"),
            ClosedAccount(closed_at=recent, roles="survivor"),
            AuditEvent(action="old_anonymous", at=old),
            AuditEvent(action="recent_anonymous", at=recent),
            AuditEvent(action="old_linked", at=old, subject_id=person.id),
        ]
    )
    db.session.commit()
    result = runner.invoke(args=["privacy", "purge"])
    assert result.exit_code == 0, result.output
    assert "1 closed-account markers and 1 unlinked audit events older than 365 days" in (
        result.output
    )
    db.session.expire_all()
    assert [m.closed_at.date() for m in db.session.scalars(select(ClosedAccount))] == [
        recent.date()
    ]
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert actions == {"recent_anonymous", "old_linked"}


def test_retention_is_a_setting(make_app):
    app = make_app(RETENTION_DAYS=5)
    with app.app_context():
        db.session.add(ClosedAccount(closed_at=utcnow() - timedelta(days=6)))
        db.session.commit()
        result = app.test_cli_runner().invoke(args=["privacy", "purge"])
        assert "1 closed-account markers" in result.output
        assert db.session.scalar(select(ClosedAccount)) is None


def test_purge_uses_the_period_an_admin_chose(app, runner, as_role):
    from tests.admin.conftest import settings_form

    client, _admin = as_role("admin")
    response = client.post_form(
        "/admin/settings", settings_form(retention_days="30"), page="/admin/settings"
    )
    assert response.status_code == 303
    db.session.add_all(
        [
            ClosedAccount(closed_at=utcnow() - timedelta(days=31), roles="survivor"),
            ClosedAccount(closed_at=utcnow() - timedelta(days=29), roles="survivor"),
            AuditEvent(action="old_anonymous", at=utcnow() - timedelta(days=31)),
        ]
    )
    db.session.commit()
    g.__dict__.clear()  # the command starts afresh, as a cron job would
    result = runner.invoke(args=["privacy", "purge"])
    assert result.exit_code == 0, result.output
    assert "1 closed-account markers and 1 unlinked audit events older than 30 days" in (
        result.output
    )
    db.session.expire_all()
    assert len(db.session.scalars(select(ClosedAccount)).all()) == 1
