"""Small helpers shared by the test packages: driving the app like a browser would, reading
its pages, dates relative to today. Data builders are in tests/factories.py."""

from __future__ import annotations

import base64
import re
import socket
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import g, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import event, select

from survivorapp.database import utcnow
from survivorapp.extensions import db
from survivorapp.privacy.models import AccessEvent

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


class Client(FlaskClient):
    """A test client that signs its forms with a real CSRF token, as the page would."""

    def open(self, *args, **kwargs):
        # Tests hold an app context open, which requests then share; a real request starts
        # with an empty `g` (no cached user, locale or time zone from the last one).
        if has_app_context():
            g.__dict__.clear()
        return super().open(*args, **kwargs)

    def csrf_token(self, page: str = "/sign-in") -> str:
        html = self.get(page, follow_redirects=True).get_data(as_text=True)
        match = TOKEN.search(html)
        assert match, f"no CSRF token on {page}"
        return match.group(1)

    def post_form(self, url: str, data: dict | None = None, *, page: str = "/sign-in", **kw):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token(page))
        return self.post(url, data=data, **kw)


def sign_in(client: FlaskClient, user) -> None:
    """Sign in through the real server-side session store (a row and a random cookie)."""
    with client.session_transaction() as sess:
        sess["_user_id"] = str(user.id)
        sess["_fresh"] = True


class QueryCounter:
    """Counts the SQL statements run while it is active (for N+1 checks, never for timing)."""

    def __init__(self, engine):
        self.engine = engine
        self.statements: list[str] = []

    def _count(self, conn, cursor, statement, *args):
        if not statement.lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE", "PRAGMA")):
            self.statements.append(statement)

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._count)

    @property
    def count(self) -> int:
        return len(self.statements)


def queries_for(client, url: str) -> int:
    with QueryCounter(db.engine) as counter:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return counter.count


def text(response) -> str:
    """The page as text with tags removed, spaces made plain (CLDR uses U+202F) and the
    en dash between two times written as a hyphen."""
    html = response.get_data(as_text=True)
    plain = re.sub(r"<[^>]+>", " ", html)
    return re.sub(
        r"\s+", " ", plain.replace("\u202f", " ").replace("\xa0", " ").replace("\u2013", "-")
    )


def access_events(person) -> list[AccessEvent]:
    """Who on staff looked at `person`'s records, oldest first, as stored now."""
    db.session.expire_all()
    return db.session.scalars(
        select(AccessEvent).where(AccessEvent.subject_id == person.id).order_by(AccessEvent.id)
    ).all()


# -- Dates ----------------------------------------------------------------------------------


def soon(days: int = 2, tzid: str = "Europe/Madrid") -> date:
    """The date `days` from today where `tzid` is."""
    return datetime.now(ZoneInfo(tzid)).date() + timedelta(days=days)


def next_date(month: int, day: int) -> date:
    """The next month/day strictly after today (so always in the future, never far)."""
    today = utcnow().date()
    candidate = date(today.year, month, day)
    return candidate if candidate > today else date(today.year + 1, month, day)


def last_sunday(year: int, month: int) -> date:
    day = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() + 1) % 7)


def next_last_sunday(month: int) -> date:
    """The next last Sunday of `month` (when Europe moves its clocks in March and October)."""
    today = utcnow().date()
    candidate = last_sunday(today.year, month)
    return candidate if candidate > today else last_sunday(today.year + 1, month)


# -- Stand-ins for the outside world (a push service, an authenticator, a live server) ------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def b64(data: bytes) -> str:
    """base64url without padding, as WebAuthn and Web Push write bytes."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
