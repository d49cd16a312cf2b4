"""Fixtures: the app on SQLite (and PostgreSQL when TEST_DATABASE_URL is set), clients,
a CLI runner, and people signed in by role."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import text

from survivorapp import create_app
from survivorapp.extensions import db, limiter
from tests.factories import make_user
from tests.helpers import Client, sign_in

ENCRYPTION_KEY = "Yq2cWZ0dQ6c6bq0m4mTq8mXn0cE1hYt5w2qI7Jr3s9o="
VAPID_KEY = "Yb3yQ2Yp6fG5bQmS2A7yxq0m6m6cE1hYt5w2qI7Jr3s"  # any 32 bytes, base64url
PG_URL = os.environ.get("TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


def app_config(database_url: str, **extra) -> dict:
    return {
        "TESTING": True,
        "DEBUG": False,
        "SECRET_KEY": "test-secret",
        "ENCRYPTION_KEYS": ENCRYPTION_KEY,
        "ORIGIN": "http://localhost",
        "VAPID_PRIVATE_KEY": VAPID_KEY,
        "DATABASE_URL": database_url,
        "RATELIMIT_STORAGE_URI": os.environ.get("SURVIVORAPP_RATELIMIT_STORAGE_URI", "memory://"),
        **extra,
    }


def reset_schema(app) -> None:
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        else:
            db.drop_all()
        db.create_all()


def empty_tables(app) -> None:
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture
def make_app(tmp_path):
    """A separate app on its own SQLite file, for tests that need other settings."""

    def make(**extra):
        app = create_app(
            app_config(f"sqlite:///{tmp_path / 'other.db'}", **extra), instance_path=str(tmp_path)
        )
        app.test_client_class = Client
        reset_schema(app)
        return app

    return make


@pytest.fixture(scope="session", params=BACKENDS)
def backend_url(request, tmp_path_factory) -> str:
    if request.param == "postgresql":
        return PG_URL
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def _app(backend_url, tmp_path_factory):
    app = create_app(
        app_config(backend_url), instance_path=str(tmp_path_factory.mktemp("instance"))
    )
    app.test_client_class = Client
    reset_schema(app)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def app(_app):
    with _app.app_context():
        limiter.reset()
        yield _app
        db.session.remove()
    empty_tables(_app)


@pytest.fixture
def client(app) -> Client:
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def as_role(app):
    """as_role("staff") -> (client signed in as a new staff member, that user)."""

    def make(*roles: str, **fields):
        user = make_user(*roles, **fields)
        client = app.test_client()
        sign_in(client, user)
        return client, user

    return make


def pytest_collection_modifyitems(config, items):
    """Load and fault tests run last: they restart servers and leave broken connections
    behind that no other test should meet."""
    items.sort(key=lambda item: "tests/load/" in item.nodeid.replace("\\", "/"))
