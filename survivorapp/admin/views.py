"""The admin workspace under /admin/…: organisation settings and the activity log, and the
admin home panels. The people and caseload pages are people/admin.py.

Only admins reach these pages (staff, mentors and participants get 403). No page here shows
a participant's private records (goals, budget, appointments, circles): only account facts.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import _, format_decimal
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import escape

from .. import settings as org
from ..accounts.labels import ROLE_LABELS
from ..accounts.models import Role
from ..accounts.views import account_page
from ..home.panels import home_panel
from ..i18n import bidi, to_the_minute
from ..localtime import zone_names
from ..people import admin_services as people
from ..people import caseload, contact_names
from ..security.access import roles_required
from . import forms, services

bp = Blueprint("admin", __name__, url_prefix="/admin")
# The one page staff use from this feature (the name they show) lives under /account.
contact_bp = Blueprint("contact", __name__)

ADMIN = Role.ADMIN.value
NONE = "\u2013"  # an en dash for "nobody"/"nothing"

ACTION_LABELS = {
    "roles_changed": _l("Roles changed"),
    "account_disabled": _l("Account turned off"),
    "account_enabled": _l("Account turned on again"),
    "caseload_assigned": _l("Added to a caseload"),
    "caseload_unassigned": _l("Taken off a caseload"),
    "org_settings_changed": _l("Organisation settings changed"),
    "account_created": _l("Person invited"),
    "enrolment_code_issued": _l("New sign-in code made"),
    "account_locked": _l("Account locked"),
}
SETTING_LABELS = {
    "brand_name": _l("App name"),
    "brand_icon": _l("Icon"),
    "exit_url": _l("Quick exit address"),
    "default_locale": _l("Default language"),
    "languages": _l("Languages offered"),
    "default_currency": _l("Currency"),
    "default_timezone": _l("Time zone"),
    "session_idle_minutes": _l("Sign out after inactivity (minutes)"),
    "session_max_hours": _l("Longest session (hours)"),
    "enrolment_code_hours": _l("Invitation codes last (hours)"),
    "retention_days": _l("Keep what is left of closed accounts (days)"),
}


def _page_number() -> int:
    raw = request.args.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < len(raw) < 6 and int(raw) > 0 else 1


# --- home panels --------------------------------------------------------------------------


@home_panel(ADMIN, order=10)
def people_panel(user) -> str:
    return render_template(
        "admin/_panel_people.html",
        counts=people.count_by_role(),
        invite_url=people.invite_url(),
        role_labels=ROLE_LABELS,
    )


@home_panel(ADMIN, order=20)
def caseloads_panel(user) -> str:
    return render_template(
        "admin/_panel_caseloads.html", unassigned=len(people.unassigned_survivors())
    )


@home_panel(ADMIN, order=30)
def settings_panel(user) -> str:
    return render_template("admin/_panel_settings.html", current=org.effective())


@home_panel(Role.SURVIVOR.value, order=90)
def contact_panel(user) -> str:
    worker = caseload.case_worker_of(user)
    name = contact_names.contact_name(worker) if worker is not None and worker.is_active else None
    return render_template("admin/_contact_panel.html", contact=name)


# --- organisation settings ----------------------------------------------------------------


def _settings_page(form, *, status=200):
    return (
        render_template(
            "admin/settings.html",
            form=form,
            brand_names=org.BRAND_NAMES,
            time_zones=sorted(zone_names()),
        ),
        status,
    )


def _current_values() -> dict:
    current = org.effective()
    return {
        column: list(current[name]) if name == "LANGUAGES" else current[name]
        for name, column in org.COLUMNS.items()
    }


@bp.get("/settings")
@roles_required(ADMIN)
def settings():
    return _settings_page(forms.SettingsForm(formdata=None, data=_current_values()))


@bp.post("/settings")
@roles_required(ADMIN)
def save_settings():
    form = forms.SettingsForm()
    if not form.validate_on_submit():
        return _settings_page(form, status=422)
    changes = services.save_settings(current_user, form.data)
    if changes:
        flash(_("Settings saved. They apply from the next page people open."), "success")
    else:
        flash(_("Nothing changed."), "info")
    return redirect(url_for("admin.settings"), code=303)


# --- audit trail --------------------------------------------------------------------------


@bp.get("/audit")
@roles_required(ADMIN)
def audit():
    page = _page_number()
    events, more = services.audit_page(page)
    ids = {e.actor_id for e in events} | {e.subject_id for e in events}
    staff_ids = {e.details.get("staff") for e in events if e.action == "caseload_assigned"}
    staff_names = services.pseudonyms_by_public_id(staff_ids)
    return render_template(
        "admin/audit.html",
        events=events,
        people=services.people_by_id(ids),
        lines={e.id: _describe(e, staff_names) for e in events},
        page=page,
        more=more,
        action_labels=ACTION_LABELS,
    )


def _roles_text(roles) -> str:
    if not isinstance(roles, list):
        return NONE
    return ", ".join(str(ROLE_LABELS.get(r, r)) for r in roles) or NONE


def _describe(event, staff_names: dict[str, str]) -> list[str]:
    """Plain-words lines for an audit event's details (never free text: there is none). Names
    and typed setting values in them are isolated (<bdi>): the translated sentence is escaped,
    then Markup's % escapes the plain values and keeps the <bdi> ones."""
    detail = event.details
    if event.action == "roles_changed":
        return [
            _(
                "From %(before)s to %(after)s",
                before=_roles_text(detail.get("before")),
                after=_roles_text(detail.get("after")),
            )
        ]
    if event.action == "caseload_assigned":
        name = staff_names.get(detail.get("staff"), NONE)
        return [escape(_("Now with %(name)s")) % {"name": bidi(name)}]
    if event.action == "account_created":
        role = detail.get("role")
        return [_("Role: %(role)s", role=_roles_text([role]))] if isinstance(role, str) else []
    if event.action == "enrolment_code_issued":
        hours = detail.get("hours")
        if not isinstance(hours, int):
            return []
        return [_("Valid until %(when)s", when=to_the_minute(event.at + timedelta(hours=hours)))]
    if event.action in ("account_locked", "account_disabled"):
        lines = []
        if isinstance(detail.get("passkeys_revoked"), int):
            lines.append(
                _("Passkeys stopped: %(number)s", number=format_decimal(detail["passkeys_revoked"]))
            )
        if isinstance(detail.get("sessions_ended"), int):
            lines.append(
                _("Sessions ended: %(number)s", number=format_decimal(detail["sessions_ended"]))
            )
        return lines
    if event.action == "org_settings_changed":
        lines = []
        for name, change in (detail.get("changes") or {}).items():
            old, new = change if isinstance(change, list) and len(change) == 2 else ("?", "?")
            # The old and new values are what an admin typed (an app name, an address).
            lines.append(
                escape(_("%(setting)s: %(old)s → %(new)s"))
                % {
                    "setting": SETTING_LABELS.get(name, name),
                    "old": bidi(str(old)),
                    "new": bidi(str(new)),
                }
            )
        return lines
    return []


# --- the name staff show (on /account) ----------------------------------------------------


@contact_bp.app_context_processor
def contact_name_helper():
    def contact_name_form():
        """The form on /account, filled with the name this member of staff chose."""
        chosen = ""
        if current_user.is_authenticated and current_user.has_role(Role.STAFF):
            chosen = contact_names.chosen_contact_name(current_user)
        return forms.ContactNameForm(formdata=None, data={"contact_name": chosen})

    return {"contact_name_form_for": contact_name_form}


@contact_bp.post("/account/contact-name")
@roles_required(Role.STAFF.value)
def contact_name():
    form = forms.ContactNameForm()
    if not form.validate_on_submit():
        return account_page(contact_name_form=form), 422
    contact_names.set_contact_name(current_user, form.contact_name.data)
    flash(_("Saved. This is the name the people you support see."), "success")
    return redirect(url_for("accounts.account"), code=303)
