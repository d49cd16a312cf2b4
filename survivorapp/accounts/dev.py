"""Demo sign-in links for trying the app locally. Registered only in debug mode when the
origin is localhost, and even then they answer only requests from this machine."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, request, url_for
from sqlalchemy import select

from ..extensions import db
from ..security.access import public
from . import services
from .models import User

bp = Blueprint("dev", __name__, url_prefix="/dev")

LOOPBACK = {"127.0.0.1", "::1"}


def allowed(app) -> bool:
    return bool(app.debug) and app.config["RP_ID"] == "localhost"


@bp.get("/sign-in/<public_id>")
@public
def sign_in_as(public_id: str):
    app = current_app
    if not (app.debug and app.config["RP_ID"] == "localhost" and request.remote_addr in LOOPBACK):
        abort(404)
    user = db.session.scalar(select(User).where(User.public_id == public_id))
    if user is None or not user.is_active:
        abort(404)
    services.start_session(user, method="demo_link")
    return redirect(url_for("home.index"))
