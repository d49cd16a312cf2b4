"""Small helpers for driving the app like a browser would."""

from __future__ import annotations

import re

from flask import g, has_app_context
from flask.testing import FlaskClient

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
        from sqlalchemy import event

        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        from sqlalchemy import event

        event.remove(self.engine, "before_cursor_execute", self._count)

    @property
    def count(self) -> int:
        return len(self.statements)


def queries_for(client, url: str) -> int:
    from survivorapp.extensions import db

    with QueryCounter(db.engine) as counter:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return counter.count
