"""Server-side sessions: the cookie carries a random token, the data lives in a table.

Deleting a row ends that session at once, which is what sign-out, lock-out and
"end my other sessions" need. Rows keep only a hash of the token, so a copy of the
database cannot be used to hijack a session.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import datetime, timedelta

from flask import Flask, Request, Response, has_request_context, request, session
from flask.sessions import SessionInterface, SessionMixin
from sqlalchemy import ForeignKey, String, Text, delete, select, update
from sqlalchemy.exc import InvalidRequestError, SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.datastructures import CallbackDict

from ..database import UTCDateTime, utcnow
from ..extensions import db
from ..settings import org_setting

TOUCH_EVERY = timedelta(seconds=30)  # last-active is refreshed at most this often


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class UserSession(db.Model):
    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), index=True
    )
    data: Mapped[str] = mapped_column(Text, default="{}")
    device: Mapped[str] = mapped_column(String(40), default="")
    # The passkey that opened this session: removing the passkey ends the session.
    passkey_id: Mapped[int | None] = mapped_column(
        ForeignKey("passkey.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class ServerSession(CallbackDict, SessionMixin):
    def __init__(self, initial=None, row: UserSession | None = None, expired: bool = False):
        def on_update(_self):
            _self.modified = True

        super().__init__(initial or {}, on_update)
        self.row = row
        # The row's id and data as read, for claim() (the row may be gone by then).
        self.row_id = row.id if row is not None else None
        self.stored = row.data if row is not None else None
        self.last_seen = row.last_seen_at if row is not None else None
        self.new = row is None
        self.expired = expired  # a cookie came in but its session had ended
        self.modified = False
        self.rotate = False
        self.destroy = False
        self.unavailable = False  # the store could not be read: never write or forget it


def claim(sess: ServerSession) -> bool:
    """Write the session's data now, only if no other request has changed it since this one
    read it; False when one has. Two requests answering one challenge at the same moment
    carry the same cookie: only the first to claim may use it (a synced passkey's sign count
    stays 0, so the count cannot tell a replay apart)."""
    if sess.row_id is None:
        return False
    data = json.dumps(dict(sess), separators=(",", ":"))
    done = db.session.execute(
        update(UserSession)
        .where(UserSession.id == sess.row_id, UserSession.data == sess.stored)
        .values(data=data)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if done.rowcount != 1:
        return False
    sess.stored = data
    return True


def limits() -> tuple[timedelta, timedelta]:
    """Idle and absolute session lengths: the admin's value, else app.config."""
    return (
        timedelta(minutes=int(org_setting("SESSION_IDLE_MINUTES"))),
        timedelta(hours=int(org_setting("SESSION_MAX_HOURS"))),
    )


def is_live(row: UserSession, now: datetime) -> bool:
    idle, absolute = limits()
    return now - row.last_seen_at < idle and now - row.created_at < absolute


def rough_device(user_agent: str) -> str:
    """A coarse label ("Android · Chrome") for the sessions list; never the full string."""
    ua = user_agent or ""
    system = next(
        (
            name
            for key, name in (
                ("Android", "Android"),
                ("iPhone", "iPhone"),
                ("iPad", "iPad"),
                ("Windows", "Windows"),
                ("Mac OS", "Mac"),
                ("CrOS", "ChromeOS"),
                ("Linux", "Linux"),
            )
            if key in ua
        ),
        "",
    )
    browser = next(
        (
            name
            for key, name in (
                ("Edg/", "Edge"),
                ("Firefox/", "Firefox"),
                ("Chrome/", "Chrome"),
                ("Safari/", "Safari"),
            )
            if key in ua
        ),
        "",
    )
    return " · ".join(p for p in (system, browser) if p)[:40]


class DbSessionInterface(SessionInterface):
    def open_session(self, app: Flask, request: Request) -> ServerSession:
        if request.path.startswith(app.static_url_path + "/"):
            return ServerSession()  # static files never need the session: skip the lookup
        token = request.cookies.get(app.config["SESSION_COOKIE_NAME"])
        if not token or len(token) > 100:
            return ServerSession()
        try:
            row = db.session.scalar(
                select(UserSession).where(UserSession.token_hash == _digest(token))
            )
        except SQLAlchemyError:
            # The database is away (restarting, locked too long): answer as signed out for
            # this one request, keep the cookie, and let the page show a friendly error.
            db.session.rollback()
            app.logger.warning("session store unavailable")
            sess = ServerSession()
            sess.unavailable = True
            return sess
        if row is None:
            return ServerSession(expired=True)
        if not is_live(row, utcnow()):
            return ServerSession(expired=True)
        try:
            data = json.loads(row.data)
        except ValueError:
            data = {}
        return ServerSession(data, row=row)

    def save_session(self, app: Flask, sess: ServerSession, response: Response) -> None:
        if sess.unavailable:
            return
        try:
            self._save(app, sess, response)
        except SQLAlchemyError:
            db.session.rollback()
            app.logger.warning("session not saved: database unavailable")

    def _save(self, app: Flask, sess: ServerSession, response: Response) -> None:
        # The view's own transaction ends here: a view commits what it means to keep.
        db.session.rollback()
        now = utcnow()
        row = sess.row
        unchanged = not (sess.destroy or sess.rotate or sess.modified or not sess)
        if row is not None and unchanged and now - sess.last_seen < TOUCH_EVERY:
            return  # nothing to save, and last-active is fresh enough
        if row is not None:
            try:
                db.session.refresh(row)
            except InvalidRequestError:  # ended meanwhile (lock-out, sign-out elsewhere)
                row = None
                sess.destroy = True
        if sess.destroy or not sess:
            if row is not None:
                db.session.delete(row)
                db.session.commit()
            # A dead cookie is left for the next page (the sign-in page) to replace, so that
            # page can say the session ended; it matches no row and opens nothing.
            if row is not None or sess.destroy:
                self._forget(app, response)
            return
        token = None
        if row is None or sess.rotate:
            if row is not None:
                db.session.delete(row)
            token = secrets.token_urlsafe(32)
            row = UserSession(
                token_hash=_digest(token),
                created_at=now,
                device=rough_device(request.headers.get("User-Agent", "")),
            )
            db.session.add(row)
        row.data = json.dumps(dict(sess), separators=(",", ":"))
        user_id = sess.get("_user_id")
        row.user_id = int(user_id) if user_id else None
        passkey_id = sess.get("passkey_id")
        row.passkey_id = passkey_id if isinstance(passkey_id, int) else None
        row.last_seen_at = now
        db.session.commit()
        if token is not None:
            response.set_cookie(
                app.config["SESSION_COOKIE_NAME"],
                token,
                path="/",
                secure=app.config["HTTPS"],
                httponly=True,
                samesite="Lax",
            )

    @staticmethod
    def _forget(app: Flask, response: Response) -> None:
        response.delete_cookie(
            app.config["SESSION_COOKIE_NAME"],
            path="/",
            secure=app.config["HTTPS"],
            httponly=True,
            samesite="Lax",
        )


def rotate_session() -> None:
    """A new token (and row) at sign-in, so a token planted before sign-in is worthless."""
    session.rotate = True


def end_session() -> None:
    session.clear()
    session.destroy = True


def end_user_sessions(user_id: int, *, keep_current: bool = False) -> int:
    """End every session of a user now (lock-out, disable, "sign out everywhere else")."""
    stmt = delete(UserSession).where(UserSession.user_id == user_id)
    current = getattr(session, "row", None) if has_request_context() else None
    if keep_current and current is not None:
        stmt = stmt.where(UserSession.id != current.id)
    return db.session.execute(stmt).rowcount


def end_passkey_sessions(passkey_id: int) -> int:
    """End every session opened with one passkey (it was removed), this one included."""
    return db.session.execute(
        delete(UserSession).where(UserSession.passkey_id == passkey_id)
    ).rowcount


def purge_expired() -> int:
    idle, absolute = limits()
    now = utcnow()
    stmt = delete(UserSession).where(
        (UserSession.last_seen_at < now - idle) | (UserSession.created_at < now - absolute)
    )
    return db.session.execute(stmt).rowcount
