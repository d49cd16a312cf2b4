"""The migration that makes the budget sharing switch the privacy consent area: sharing moves
over and never widens on the way (SQLite; the PostgreSQL run checks the schema round trip)."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from survivorapp import create_app
from survivorapp.extensions import db
from tests.conftest import app_config
from tests.factories import make_user

BEFORE = "41129019d8dd"


def test_sharing_moves_into_consent_and_never_widens(tmp_path):
    app = create_app(app_config(f"sqlite:///{tmp_path / 'm.db'}"), instance_path=str(tmp_path))
    with app.app_context():
        upgrade()
        budget_on, chose_shared, chose_private = (make_user("survivor") for _ in range(3))
        ids = budget_on.id, chose_shared.id, chose_private.id
        db.session.remove()
        downgrade(revision=BEFORE)
        with db.engine.begin() as conn:
            for uid, share in ((ids[0], True), (ids[1], False), (ids[2], True)):
                conn.execute(
                    text(
                        "INSERT INTO budget_settings (user_id, currency, share_summary,"
                        " dismissed_tips, updated_at) VALUES (:u, 'EUR', :s, '', :t)"
                    ),
                    {"u": uid, "s": share, "t": "2026-01-01 00:00:00"},
                )
            for uid, shared in ((ids[1], True), (ids[2], False)):
                conn.execute(
                    text(
                        "INSERT INTO consent_choice (survivor_id, area, shared, changed_at)"
                        " VALUES (:u, 'budget_summary', :s, :t)"
                    ),
                    {"u": uid, "s": shared, "t": "2026-01-01 00:00:00"},
                )
        upgrade()
        with db.engine.connect() as conn:
            rows = dict(
                conn.execute(
                    text("SELECT survivor_id, shared FROM consent_choice WHERE area = :a"),
                    {"a": "budget_summary"},
                ).all()
            )
            columns = [r[1] for r in conn.execute(text("PRAGMA table_info(budget_settings)"))]
        assert {uid: bool(v) for uid, v in rows.items()} == {
            ids[0]: True,  # the budget switch was on: shared, as staff saw it
            ids[1]: False,  # "shared" on the privacy page, budget switch off: staff saw nothing
            ids[2]: False,  # budget switch on but "private" on the privacy page: private wins
        }
        assert "share_summary" not in columns
        db.engine.dispose()
