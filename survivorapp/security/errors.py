"""Error pages: translated, discreet, and revealing nothing about the request or the app."""

from __future__ import annotations

import traceback

from flask import Flask, current_app, g, render_template, session
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from ..extensions import db
from ..i18n import text_direction

MESSAGES = {
    400: (
        _l("Something went wrong"),
        _l("We could not read that request. Please go back and try again."),
    ),
    403: (_l("Not available"), _l("This page is not available to you.")),
    404: (_l("Page not found"), _l("We could not find that page.")),
    405: (_l("Not available"), _l("That action is not available here.")),
    413: (_l("Too much at once"), _l("That was more than we can take at once. Please shorten it.")),
    429: (_l("Please wait"), _l("Too many tries. Please wait a minute and try again.")),
    500: (
        _l("Something went wrong"),
        _l("Something went wrong on our side. Nothing you did caused it. Please try again."),
    ),
}
CSRF_MESSAGE = _l("This page was open for a long time. Please go back, reload it and try again.")


def render_error(code: int, message=None):
    title, default = MESSAGES.get(code, MESSAGES[500])
    context = {"title": title, "message": message or default}
    try:
        return render_template("errors/error.html", **context), code
    except SQLAlchemyError:
        # The database is down (a restart, say): the layout could not reload who is signed in.
        # Render as to someone signed out, which reads nothing from it, rather than let the
        # server answer with its bare error page.
        db.session.rollback()
        g._login_user = current_app.login_manager.anonymous_user()
        g.pop("_layout_context", None)
    try:
        return render_template("errors/error.html", **context), code
    except SQLAlchemyError:
        # Still down while the page was drawn again: the bare page below reads nothing, so a
        # person sees our words (and the way out) rather than the server's own error page.
        db.session.rollback()
        locale = str(get_locale())
        page = current_app.jinja_env.get_template("errors/bare.html").render(
            lang=locale.replace("_", "-"), text_dir=text_direction(locale), **context
        )
        return page, code


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(_e):
        if getattr(session, "unavailable", False):  # not their page's fault: our database's
            return render_error(500)
        return render_error(400, CSRF_MESSAGE)

    @app.errorhandler(HTTPException)
    def http_error(e: HTTPException):
        code = e.code or 500
        if code not in MESSAGES:
            return e
        response = render_error(code)
        if code == 405 and e.valid_methods:
            return (*response, {"Allow": ", ".join(e.valid_methods)})
        return response

    @app.errorhandler(Exception)
    def server_error(e: Exception):
        db.session.rollback()
        # Type and frames only: exception messages can quote the data that caused them.
        frames = "\n".join(
            f"  {f.filename}:{f.lineno} in {f.name}" for f in traceback.extract_tb(e.__traceback__)
        )
        app.logger.error("unhandled %s\n%s", type(e).__name__, frames)
        return render_error(500)
