"""The data layer: migrations match the models, SQLite is tuned for concurrent writers, and
a column holding one of a fixed set of values is an enum column that refuses any other."""

import enum
import threading

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import Enum, literal, select, text
from sqlalchemy.exc import StatementError

from survivorapp import create_app
from survivorapp.accounts.models import User
from survivorapp.extensions import db
from survivorapp.reports.models import CheckIn, Helped
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


# Column names that hold one of a fixed set of values wherever they appear. The privacy areas
# are keys of a registry every feature adds to (privacy/registry.py), so they stay strings.
ENUM_NAMES = {"area", "format", "helped", "hindered", "kind", "outcome", "repeat", "role"}
ENUM_NAMES |= {"state", "status", "topic"}
REGISTRY_KEYS = {"consent_choice.area", "consent_change.area", "access_event.area"}


def _columns():
    return [(f"{t.name}.{c.name}", c) for t in db.metadata.sorted_tables for c in t.columns]


def test_columns_of_a_fixed_set_of_values_are_enum_columns(app):
    bare = [
        name
        for name, column in _columns()
        if column.name in ENUM_NAMES
        and name not in REGISTRY_KEYS
        and not isinstance(column.type, Enum)
    ]
    assert bare == []


def test_enum_columns_keep_every_member_and_refuse_anything_else(app):
    columns = [(name, c.type) for name, c in _columns() if isinstance(c.type, Enum)]
    assert len(columns) >= 17, columns  # the enum columns there are today: none is missed
    # Uncached: SQLAlchemy's cache key for an Enum is its length alone, so a cached
    # `SELECT ?` would keep the first enum's processors for every other.
    with db.engine.connect().execution_options(compiled_cache=None) as conn:
        for name, kind in columns:
            assert issubclass(kind.enum_class, enum.StrEnum), name
            assert not kind.native_enum and kind.validate_strings, name
            assert max(len(m.value) for m in kind.enum_class) <= kind.length, name
            for member in kind.enum_class:
                assert conn.scalar(select(literal(member.value, kind))) is member, name
            with pytest.raises(StatementError, match="not among the defined enum values"):
                conn.scalar(select(literal("no-such-value", kind)))


def test_an_unknown_value_is_refused_when_written_and_a_known_one_read_back_as_a_member(app):
    person = make_user("survivor")
    db.session.add(CheckIn(user_id=person.id, helped="goals"))
    db.session.commit()
    db.session.expire_all()
    stored = db.session.scalar(select(CheckIn).where(CheckIn.user_id == person.id))
    assert stored.helped is Helped.GOALS
    assert db.session.execute(text("SELECT helped FROM report_checkin")).scalar() == "goals"
    db.session.add(CheckIn(user_id=person.id, helped="a typo"))
    with pytest.raises(StatementError, match="not among the defined enum values"):
        db.session.flush()
    db.session.rollback()
