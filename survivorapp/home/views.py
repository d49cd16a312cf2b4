"""Role home pages."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..accounts.models import Role
from ..navigation import nav_item
from ..security.access import public, roles_required
from .landing import home_endpoint
from .panels import render_panels

bp = Blueprint("home", __name__)


@bp.get("/")
@public
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.sign_in"))
    return redirect(url_for(home_endpoint(current_user)))


def _home(role: Role, heading):
    panels = render_panels(role, current_user)
    return render_template("home/home.html", heading=heading, panels=panels)


@bp.get("/home")
@roles_required(Role.SURVIVOR)
def survivor():
    return _home(Role.SURVIVOR, _l("Today"))


@bp.get("/mentor")
@roles_required(Role.MENTOR)
def mentor():
    return _home(Role.MENTOR, _l("Your groups"))


@bp.get("/staff")
@roles_required(Role.STAFF)
def staff():
    return _home(Role.STAFF, _l("Your work"))


@bp.get("/admin")
@roles_required(Role.ADMIN)
def admin():
    return _home(Role.ADMIN, _l("Organisation"))


nav_item("home.survivor", _l("Today"), roles=(Role.SURVIVOR,), order=1)
nav_item("home.mentor", _l("Groups"), roles=(Role.MENTOR,), order=2)
nav_item("home.staff", _l("Work"), roles=(Role.STAFF,), order=3)
nav_item("home.admin", _l("Organisation"), roles=(Role.ADMIN,), order=4)
