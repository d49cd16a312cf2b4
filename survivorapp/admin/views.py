"""The admin workspace under /admin/…: people, caseloads, organisation settings, audit trail.

Only admins reach these pages (staff, mentors and participants get 403). No page here shows
a participant's private records (goals, budget, appointments, circles): only account facts.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import _, format_decimal
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import escape

from .. import settings as org
from ..accounts.labels import ROLE_LABELS
from ..accounts.models import Role
from ..accounts.views import account_page
from ..extensions import htmx
from ..home.panels import home_panel
from ..i18n import LANGUAGE_NAMES, bidi, isolate, safe_next, to_the_minute
from ..people import caseload
from ..security.access import roles_required
from . import forms, services
from .services import AdminError

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
        counts=services.count_by_role(),
        invite_url=services.invite_url(),
        role_labels=ROLE_LABELS,
    )


@home_panel(ADMIN, order=20)
def caseloads_panel(user) -> str:
    return render_template(
        "admin/_panel_caseloads.html", unassigned=len(services.unassigned_survivors())
    )


@home_panel(ADMIN, order=30)
def settings_panel(user) -> str:
    return render_template("admin/_panel_settings.html", current=org.effective())


@home_panel(Role.SURVIVOR.value, order=90)
def contact_panel(user) -> str:
    worker = caseload.case_worker_of(user)
    name = services.contact_name(worker) if worker is not None and worker.is_active else None
    return render_template("admin/_contact_panel.html", contact=name)


# --- people -------------------------------------------------------------------------------


@bp.get("/people")
@roles_required(ADMIN)
def people():
    role = request.args.get("role", "")[:20]
    status = request.args.get("status", "")[:20]
    query = request.args.get("q", "")[:100]
    found = services.list_people(role=role, query=query, status=status)
    context = dict(
        people=found,
        role=role,
        status=status,
        query=query,
        role_labels=ROLE_LABELS,
        invite_url=services.invite_url(),
        limit_reached=len(found) >= services.PEOPLE_LIMIT,
    )
    if htmx:
        return render_template("admin/_people_list.html", **context)
    return render_template("admin/people.html", **context)


def _person_page(person, *, status=200, errors=None, chosen_roles=None, assign_error=None):
    worker = caseload.case_worker_of(person) if person.has_role(Role.SURVIVOR) else None
    return (
        render_template(
            "admin/person.html",
            person=person,
            errors=errors or {},
            chosen_roles=chosen_roles
            if chosen_roles is not None
            else [r.value for r in person.roles],
            role_labels=ROLE_LABELS,
            worker=worker,
            staff=services.staff_members(),
            caseload_size=len(services.caseload_of(person)) if person.has_role(Role.STAFF) else 0,
            assign_error=assign_error,
            is_self=person.id == current_user.id,
        ),
        status,
    )


@bp.get("/people/<public_id>")
@roles_required(ADMIN)
def person(public_id: str):
    person = services.get_person_or_404(public_id)
    services.record_view(current_user, person)
    return _person_page(person)


@bp.post("/people/<public_id>/roles")
@roles_required(ADMIN)
def change_roles(public_id: str):
    person = services.get_person_or_404(public_id)
    chosen, errors = forms.validate_roles(request.form)
    if errors:
        return _person_page(person, status=422, errors=errors, chosen_roles=chosen)
    try:
        changed = services.set_roles(current_user, person, chosen)
    except AdminError as exc:
        return _person_page(person, status=422, errors={"roles": exc.message}, chosen_roles=chosen)
    if changed:
        flash(_("Roles saved."), "success")
    return redirect(url_for("admin.person", public_id=person.public_id), code=303)


@bp.post("/people/<public_id>/disable")
@roles_required(ADMIN)
def disable(public_id: str):
    person = services.get_person_or_404(public_id)
    try:
        services.disable(current_user, person)
    except AdminError as exc:
        return _person_page(person, status=422, errors={"status": exc.message})
    flash(_("The account is turned off and signed out everywhere."), "success")
    return redirect(url_for("admin.person", public_id=person.public_id), code=303)


@bp.post("/people/<public_id>/enable")
@roles_required(ADMIN)
def enable(public_id: str):
    person = services.get_person_or_404(public_id)
    services.enable(current_user, person)
    flash(_("The account is turned on again."), "success")
    return redirect(url_for("admin.person", public_id=person.public_id), code=303)


# --- caseloads ----------------------------------------------------------------------------


def _caseloads_page(*, status=200, error=None, error_for=None):
    counts = services.caseload_counts()
    return (
        render_template(
            "admin/caseloads.html",
            staff=services.staff_members(active_only=False),
            active_staff=services.staff_members(),
            counts=counts,
            unassigned=services.unassigned_survivors(),
            error=error,
            error_for=error_for,
        ),
        status,
    )


@bp.get("/caseloads")
@roles_required(ADMIN)
def caseloads():
    return _caseloads_page()


@bp.get("/caseloads/<public_id>")
@roles_required(ADMIN)
def staff_caseload(public_id: str):
    staff = services.get_person_or_404(public_id)
    if not staff.has_role(Role.STAFF):
        abort(404)
    return render_template(
        "admin/staff_caseload.html",
        staff_member=staff,
        survivors=services.caseload_of(staff),
        active_staff=services.staff_members(),
    )


@bp.post("/caseloads/assign")
@roles_required(ADMIN)
def assign():
    # Built before services.assign commits: nothing can fail once the change is saved.
    response = redirect(safe_next(request.form.get("next"), url_for("admin.caseloads")), 303)
    survivor = services.get_person_or_404(request.form.get("survivor", "")[:40])
    staff_id = request.form.get("staff", "")[:40]
    staff = services.get_person_or_404(staff_id) if staff_id else None
    try:
        services.assign(current_user, survivor, staff)
    except AdminError as exc:
        return _caseloads_page(status=422, error=exc.message, error_for=survivor.public_id)
    if staff is None:
        flash(_("Taken off the caseload."), "success")
    else:
        flash(
            _(
                "%(person)s is now with %(staff)s.",
                person=isolate(survivor.pseudonym),
                staff=isolate(staff.pseudonym),
            ),
            "success",
        )
    return response


# --- organisation settings ----------------------------------------------------------------


def _settings_page(values, *, errors=None, status=200):
    return (
        render_template(
            "admin/settings.html",
            values=values,
            errors=errors or {},
            icons=forms.ICON_LABELS,
            brand_names=org.BRAND_NAMES,
            language_names=LANGUAGE_NAMES,
            time_zones=sorted(forms.time_zones()),
        ),
        status,
    )


def _current_values() -> dict:
    current = org.effective()
    return {
        "brand_name": current["BRAND_NAME"],
        "brand_icon": current["BRAND_ICON"],
        "exit_url": current["EXIT_URL"],
        "default_locale": current["DEFAULT_LOCALE"],
        "languages": list(current["LANGUAGES"]),
        "currency": current["DEFAULT_CURRENCY"],
        "timezone": current["DEFAULT_TIMEZONE"],
        "session_idle_minutes": current["SESSION_IDLE_MINUTES"],
        "session_max_hours": current["SESSION_MAX_HOURS"],
        "enrolment_code_hours": current["ENROLMENT_CODE_HOURS"],
        "retention_days": current["RETENTION_DAYS"],
    }


@bp.get("/settings")
@roles_required(ADMIN)
def settings():
    return _settings_page(_current_values())


@bp.post("/settings")
@roles_required(ADMIN)
def save_settings():
    typed, clean, errors = forms.validate_settings(request.form)
    if errors:
        return _settings_page(typed, errors=errors, status=422)
    changes = services.save_settings(current_user, clean)
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
    def chosen_contact_name() -> str:
        if current_user.is_authenticated and current_user.has_role(Role.STAFF):
            return services.chosen_contact_name(current_user)
        return ""

    return {"chosen_contact_name": chosen_contact_name}


@contact_bp.post("/account/contact-name")
@roles_required(Role.STAFF.value)
def contact_name():
    typed, name, errors = forms.validate_contact_name(request.form)
    if errors:
        return (
            account_page(contact_name_value=typed, contact_name_errors=errors),
            422,
        )
    services.set_contact_name(current_user, name)
    flash(_("Saved. This is the name the people you support see."), "success")
    return redirect(url_for("accounts.account"), code=303)
