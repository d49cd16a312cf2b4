"""The data layer: migrations match the models, SQLite is tuned for concurrent writers."""

import threading

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from survivorapp import create_app
from survivorapp.accounts.models import User
from survivorapp.extensions import db
from tests.conftest import PG_URL, app_config
from tests.factories import make_user


def migration_urls(tmp_path):
    urls = [f"sqlite:///{tmp_path / 'migrated.db'}"]
    if PG_URL:
        urls.append(PG_URL + ("&" if "?" in PG_URL else "?") + "options=-csearch_path%3Dmigrations")
    return urls


def test_migrations_build_exactly_the_models(tmp_path):
    for url in migration_urls(tmp_path):
        app = create_app(app_config(url), instance_path=str(tmp_path))
        with app.app_context():
            if db.engine.dialect.name == "postgresql":
                with db.engine.begin() as conn:
                    conn.execute(text("DROP SCHEMA IF EXISTS migrations CASCADE"))
                    conn.execute(text("CREATE SCHEMA migrations"))
            upgrade()
            with db.engine.connect() as conn:
                diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
            assert diff == [], f"{db.engine.dialect.name}: models and migrations differ: {diff}"
            downgrade(revision="base")
            upgrade()
            if db.engine.dialect.name == "postgresql":
                with db.engine.begin() as conn:
                    conn.execute(text("DROP SCHEMA migrations CASCADE"))
            db.engine.dispose()


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_concurrent_writers_never_see_database_is_locked(app):
    """Eight threads read then write at once; deferred SQLite transactions would fail here."""
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def writer(n: int) -> None:
        try:
            with app.app_context():
                start.wait()
                for i in range(10):
                    db.session.scalar(select(User.id).limit(1))  # read first, then write
                    make_user("survivor", pseudonym=f"writer {n}-{i}")
                db.session.remove()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    db.session.expire_all()
    assert len(db.session.scalars(select(User)).all()) == 80


def test_pseudonyms_are_encrypted_at_rest(app):
    make_user("survivor", pseudonym="Nobody-Should-Read-This")
    raw = db.session.execute(text('SELECT pseudonym FROM "user"')).scalars().all()
    assert raw and all(b"Nobody" not in bytes(v) for v in raw)
    assert db.session.scalar(select(User)).pseudonym == "Nobody-Should-Read-This"
