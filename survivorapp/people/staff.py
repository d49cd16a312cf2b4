"""The team's People pages (staff and admins): the list, inviting someone, one person's
account (lock it, issue a new code), and the page that shows a new code once. (The first
accounts come from `flask invite`, in cli.py.)"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..accounts import codes
from ..accounts.forms import InviteForm
from ..accounts.labels import ROLE_LABELS
from ..accounts.lockout import lock_account
from ..accounts.models import Role
from ..accounts.passkeys import active_passkeys
from ..accounts.views import code_page
from ..forms import options
from ..navigation import nav_item
from ..security import once
from ..security.access import roles_required
from . import team
from .access import get_person_or_404

bp = Blueprint("people", __name__)


@bp.get("/people")
@roles_required(Role.STAFF, Role.ADMIN)
def people():
    return render_template(
        "accounts/people.html",
        people=team.people_for(current_user),
        can_invite=bool(team.invitable_roles(current_user)),
        role_labels=ROLE_LABELS,
    )


@bp.route("/people/invite", methods=["GET", "POST"])
@roles_required(Role.STAFF, Role.ADMIN)
def invite():
    roles = team.invitable_roles(current_user)
    values = [r.value for r in roles]
    asked = request.args.get("role", "")
    form = InviteForm()
    if not form.is_submitted():  # a form sent without a role is refused, never given one
        form.role.data = asked if asked in values else (values[0] if values else "")
    form.role.choices = options({r.value: ROLE_LABELS[r] for r in roles})
    if form.validate_on_submit():
        if not once.claim(request.form.get("once")):
            return redirect(url_for("people.people"), code=303)  # a double tap
        user, code = team.invite(current_user, form.pseudonym.data, form.role.data)
        codes.remember_shown_code(user, code)
        return redirect(url_for("people.person_code", public_id=user.public_id), code=303)
    return render_template("accounts/invite.html", form=form), 422 if form.errors else 200


@bp.get("/people/<public_id>")
@roles_required(Role.STAFF, Role.ADMIN)
def person(public_id: str):
    person = get_person_or_404(public_id, current_user)
    team.record_look(current_user, person)
    return render_template(
        "accounts/person.html", person=person, passkey_count=len(active_passkeys(person))
    )


@bp.post("/people/<public_id>/lock")
@roles_required(Role.STAFF, Role.ADMIN)
def lock_person(public_id: str):
    person = get_person_or_404(public_id, current_user)
    team.record_look(current_user, person, _l("Locked the account"))
    code = lock_account(person, actor=current_user, reason="staff")
    codes.remember_shown_code(person, code)
    flash(_("Locked. Every passkey and session of this account has stopped working."), "success")
    return redirect(url_for("people.person_code", public_id=person.public_id), code=303)


@bp.post("/people/<public_id>/new-code")
@roles_required(Role.STAFF, Role.ADMIN)
def new_code(public_id: str):
    person = get_person_or_404(public_id, current_user)
    team.record_look(current_user, person, _l("Made a new sign-in code"))
    code = codes.issue_code(person, actor=current_user)
    codes.remember_shown_code(person, code)
    return redirect(url_for("people.person_code", public_id=person.public_id), code=303)


@bp.get("/people/<public_id>/code")
@roles_required(Role.STAFF, Role.ADMIN)
def person_code(public_id: str):
    person = get_person_or_404(public_id, current_user)
    return code_page(person, codes.take_shown_code(person))


nav_item("people.people", _l("People"), roles=("staff", "admin"), order=80)
