"""Column types and engine tuning shared by every feature's models."""

from __future__ import annotations

import enum
import re
import secrets
import sqlite3
from datetime import UTC, datetime

from flask import abort
from sqlalchemy import DateTime, Engine, Enum, LargeBinary, Select, event
from sqlalchemy.types import TypeDecorator

from .extensions import db
from .security.crypto import decrypt, encrypt


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_public_id() -> str:
    """An unguessable id for URLs, so that row numbers never leak or enumerate. Never starting
    with "-": a command line (`flask assign Sam <id>`) would read that as an option."""
    while (value := secrets.token_urlsafe(12)).startswith("-"):
        pass
    return value


_PUBLIC_ID = re.compile(r"[A-Za-z0-9_-]{1,24}")


def is_public_id(value: object) -> bool:
    """Whether a value from a URL or a form is shaped like a public id: only such strings reach
    the database (PostgreSQL refuses some characters, NUL among them, outright)."""
    return isinstance(value, str) and _PUBLIC_ID.fullmatch(value) is not None


def find_or_404(query: Select, column, public_id: object):
    """The row of `query` whose public id (`column`) is `public_id`, or 404: the one lookup
    behind every feature's get_<thing>_or_404. An id of the wrong shape never reaches the
    database; `query` carries the feature's rule of who may open what."""
    row = db.session.scalar(query.where(column == public_id)) if is_public_id(public_id) else None
    if row is None:
        abort(404)
    return row


def enum_type(cls: type[enum.StrEnum], length: int) -> Enum:
    """A column of one StrEnum, stored as the member's value in a VARCHAR(length): no native
    database type and no CHECK constraint, so the schema is a plain string column and adding a
    member needs no migration. A value outside the enum is refused when it is written (and
    a row holding one fails when it is read), so a typo never reaches the table."""
    return Enum(
        cls,
        native_enum=False,
        create_constraint=False,
        length=length,
        validate_strings=True,
        values_callable=lambda members: [m.value for m in members],
    )


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes on every backend (SQLite keeps no zone, so store naive UTC)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=UTC)


class EncryptedText(TypeDecorator):
    """Free text encrypted at rest with the app's keys (see security/crypto.py)."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return encrypt(value)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return decrypt(bytes(value))


def tune_sqlite(engine: Engine) -> None:
    """WAL, a busy timeout and BEGIN IMMEDIATE: concurrent writers wait instead of failing.

    Deferred transactions that read and then write can fail at once with "database is locked"
    when another connection wrote in between; taking the write lock at BEGIN avoids that.
    """

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn, _record):
        if not isinstance(dbapi_conn, sqlite3.Connection):
            return
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=15000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
