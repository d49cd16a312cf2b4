"""Admin's people and caseload pages, under /admin/people… and /admin/caseloads….

Only admins reach them (staff, mentors and participants get 403). No page here shows a
participant's private records (goals, budget, appointments, circles): only account facts.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import _
from flask_login import current_user

from ..accounts.labels import ROLE_LABELS
from ..accounts.models import Role
from ..admin.forms import AssignForm, PeopleFilterForm, RolesForm
from ..extensions import htmx
from ..i18n import isolate, safe_next
from ..security.access import roles_required
from . import admin_services as services
from . import caseload
from .access import get_person_or_404, get_staff_or_404
from .admin_services import AdminError

bp = Blueprint("admin_people", __name__, url_prefix="/admin")

ADMIN = Role.ADMIN.value


def _assign_form(active_staff):
    """Draws one assignment form per person: assign_form(person, worker, next_url)."""

    def assign_form(person, worker=None, next_url=None):
        data = {
            "survivor": person.public_id,
            "staff": worker.public_id if worker is not None else "",
            "next": next_url or request.path,
        }
        return AssignForm(formdata=None, data=data, staff=active_staff).for_person(person)

    return assign_form


# --- people -------------------------------------------------------------------------------


@bp.get("/people")
@roles_required(ADMIN)
def people():
    filters = PeopleFilterForm(formdata=request.args)
    found = services.list_people(
        role=filters.role.data or "", query=filters.q.data or "", status=filters.status.data or ""
    )
    context = dict(
        people=found,
        filters=filters,
        role_labels=ROLE_LABELS,
        invite_url=services.invite_url(),
        limit_reached=len(found) >= services.PEOPLE_LIMIT,
    )
    if htmx:
        return render_template("admin/_people_list.html", **context)
    return render_template("admin/people.html", **context)


def _person_page(person, *, status=200, roles_form=None, status_error=None):
    worker = caseload.case_worker_of(person) if person.has_role(Role.SURVIVOR) else None
    if roles_form is None:
        roles_form = RolesForm(formdata=None, data={"roles": [r.value for r in person.roles]})
    return (
        render_template(
            "admin/person.html",
            person=person,
            roles_form=roles_form,
            status_error=status_error,
            role_labels=ROLE_LABELS,
            worker=worker,
            assign_form=_assign_form(services.staff_members()),
            caseload_size=len(services.caseload_of(person)) if person.has_role(Role.STAFF) else 0,
            is_self=person.id == current_user.id,
        ),
        status,
    )


@bp.get("/people/<public_id>")
@roles_required(ADMIN)
def person(public_id: str):
    person = get_person_or_404(public_id, current_user, need="admin")
    services.record_view(current_user, person)
    return _person_page(person)


@bp.post("/people/<public_id>/roles")
@roles_required(ADMIN)
def change_roles(public_id: str):
    person = get_person_or_404(public_id, current_user, need="admin")
    form = RolesForm()
    if not form.validate_on_submit():
        return _person_page(person, status=422, roles_form=form)
    try:
        changed = services.set_roles(current_user, person, form.roles.data)
    except AdminError as exc:
        form.roles.errors.append(exc.message)
        return _person_page(person, status=422, roles_form=form)
    if changed:
        flash(_("Roles saved."), "success")
    return redirect(url_for("admin_people.person", public_id=person.public_id), code=303)


@bp.post("/people/<public_id>/disable")
@roles_required(ADMIN)
def disable(public_id: str):
    person = get_person_or_404(public_id, current_user, need="admin")
    try:
        services.disable(current_user, person)
    except AdminError as exc:
        return _person_page(person, status=422, status_error=exc.message)
    flash(_("The account is turned off and signed out everywhere."), "success")
    return redirect(url_for("admin_people.person", public_id=person.public_id), code=303)


@bp.post("/people/<public_id>/enable")
@roles_required(ADMIN)
def enable(public_id: str):
    person = get_person_or_404(public_id, current_user, need="admin")
    services.enable(current_user, person)
    flash(_("The account is turned on again."), "success")
    return redirect(url_for("admin_people.person", public_id=person.public_id), code=303)


# --- caseloads ----------------------------------------------------------------------------


def _caseloads_page(*, status=200, error=None):
    active_staff = services.staff_members()
    return (
        render_template(
            "admin/caseloads.html",
            staff=services.staff_members(active_only=False),
            counts=services.caseload_counts(),
            unassigned=services.unassigned_survivors(),
            assign_form=_assign_form(active_staff),
            error=error,
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
    staff = get_staff_or_404(public_id, current_user)
    return render_template(
        "admin/staff_caseload.html",
        staff_member=staff,
        survivors=services.caseload_of(staff),
        assign_form=_assign_form(services.staff_members()),
    )


@bp.post("/caseloads/assign")
@roles_required(ADMIN)
def assign():
    form = AssignForm(staff=services.staff_members())
    survivor = get_person_or_404(form.survivor.data, current_user, need="admin")
    staff = (
        get_person_or_404(form.staff.data, current_user, need="admin") if form.staff.data else None
    )
    if not form.validate_on_submit():
        return _caseloads_page(status=422, error=form.staff.errors[0])
    try:
        services.assign(current_user, survivor, staff)
    except AdminError as exc:
        return _caseloads_page(status=422, error=exc.message)
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
    return redirect(safe_next(form.next.data, url_for("admin_people.caseloads")), 303)
