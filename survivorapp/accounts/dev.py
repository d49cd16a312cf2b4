"""Demo sign-in links for trying the app locally. Registered only in debug mode when the
origin is localhost (access.demo_links_allowed), and even then they answer only requests from
this machine (access.demo_person_or_404)."""

from __future__ import annotations

from flask import Blueprint, redirect, url_for

from ..security.access import public
from . import services
from .access import demo_person_or_404

bp = Blueprint("dev", __name__, url_prefix="/dev")


@bp.get("/sign-in/<public_id>")
@public
def sign_in_as(public_id: str):
    services.start_session(demo_person_or_404(public_id), method="demo_link")
    return redirect(url_for("home.index"))
