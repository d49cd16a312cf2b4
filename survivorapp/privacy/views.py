"""Privacy pages: what is shared, who looked, take your data, close your account."""

from __future__ import annotations

import click
from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import _, get_locale
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from flask_login import current_user, logout_user

from ..database import utcnow
from ..extensions import htmx, limiter
from ..home.panels import home_panel
from ..navigation import nav_item
from ..security.access import public, roles_required
from ..security.sessions import end_session
from . import access_log, consent, services
from .forms import DeleteAccountForm, confirm_word, consent_form

bp = Blueprint("privacy", __name__)

# Building an export reads everything about the person: a script or a stolen session must not
# ask for it without end. One limit for both files, per person (people share addresses).
EXPORT_LIMIT = "10 per hour"


def _signed_in_person() -> str:
    if current_user.is_authenticated:
        return f"user:{current_user.get_id()}"
    return get_remote_address()


export_limit = limiter.shared_limit(
    EXPORT_LIMIT, scope="privacy-export", key_func=_signed_in_person
)


@bp.get("/privacy")
@roles_required("survivor")
def index():
    return render_template("privacy/index.html")


def _sharing_page(form=None, problem=None, status=200):
    context = consent.consent_form_context(current_user, form=form)
    template = "privacy/_sharing.html" if htmx else "privacy/sharing.html"
    return render_template(template, problem=problem, **context), status


@bp.get("/privacy/sharing")
@roles_required("survivor")
def sharing():
    return _sharing_page()


@bp.post("/privacy/sharing")
@roles_required("survivor")
def save_sharing():
    form = consent_form(formdata=request.form)
    if form.unknown():
        problem = _("Some of those choices were not recognised. Nothing was changed.")
        return _sharing_page(request.form, problem, 400)
    if not form.validate():
        problem = _("Please choose an option for each area.")
        return _sharing_page(request.form, problem, 422)
    changed = consent.set_choices(current_user, form.choices(), actor=current_user)
    flash(_("Saved. The team sees only what you share.") if changed else _("Nothing changed."))
    return redirect(url_for("privacy.sharing"), code=303)


@bp.get("/privacy/access")
@roles_required("survivor")
def access():
    rows = access_log.access_rows(current_user.id)
    return render_template("privacy/access.html", rows=rows)


@bp.get("/privacy/export")
@roles_required("survivor")
def export():
    return render_template("privacy/export.html")


def _download(body: str, filename: str, mimetype: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/privacy/export/my-data.json")
@roles_required("survivor")
@export_limit
def export_json():
    body = services.export_json(current_user, str(get_locale()))
    return _download(body, "my-data.json", "application/json")


@bp.get("/privacy/export/my-data.html")
@roles_required("survivor")
@export_limit
def export_html():
    sections = services.export_html_sections(current_user)
    body = render_template("privacy/export_file.html", sections=sections, now=utcnow())
    return _download(body, "my-data.html", "text/html")


def _delete_page(form, status=200):
    return render_template("privacy/delete.html", form=form, word=confirm_word()), status


@bp.get("/privacy/delete")
@roles_required("survivor")
def delete():
    return _delete_page(DeleteAccountForm())


@bp.post("/privacy/delete")
@roles_required("survivor")
def delete_confirmed():
    form = DeleteAccountForm()
    if not form.validate_on_submit():
        return _delete_page(form, 422)
    services.delete_account(current_user._get_current_object())
    logout_user()
    end_session()
    return redirect(url_for("privacy.closed"), code=303)


@bp.get("/privacy/closed")
@public
def closed():
    return render_template("privacy/closed.html")


@home_panel("staff", order=90)
def closed_accounts_panel(user) -> str:
    markers = services.closed_accounts(user.id, limit=20)
    if not markers:
        return ""
    return render_template("privacy/_closed_panel.html", markers=markers)


@bp.cli.command("purge")
def purge_command() -> None:
    """Delete closed accounts' remaining records older than the retention period (Admin →
    Settings; SURVIVORAPP_RETENTION_DAYS until an admin chooses one)."""
    counts = services.purge()
    click.echo(
        f"{counts['markers']} closed-account markers and {counts['events']} unlinked audit "
        f"events older than {services.retention_days()} days removed."
    )


nav_item("privacy.index", _l("Privacy"), roles=("survivor",), order=80)
