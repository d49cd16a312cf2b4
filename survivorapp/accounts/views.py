"""Sign-in, enrolment, devices, sessions, app PIN, and the people pages for staff and admins.
Views parse input, call services.py and pick a template."""

from __future__ import annotations

import click
from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..appointments import feed as appointments_services
from ..extensions import db, htmx, limiter
from ..navigation import nav_item
from ..privacy import consent
from ..security import access, once
from ..security.access import public, roles_required, signed_in
from ..settings import org_setting
from . import services
from .labels import ROLE_LABELS
from .models import Role, User

bp = Blueprint("accounts", __name__, cli_group=None)

CODE_LIMIT = "20 per minute;100 per hour"
SIGN_IN_LIMIT = "30 per minute;300 per hour"
PIN_LIMIT = "10 per minute;50 per hour"
GENERIC_FAILURE = _l(
    "That did not work. Please try again. If it keeps happening, ask the person who set up "
    "your account for help."
)
CODE_FAILURE = _l(
    "This code does not work. It may have been used already or be too old. "
    "Please ask for a new one."
)


def _json_body() -> object:
    return request.get_json(silent=True)


def _failure(message=GENERIC_FAILURE, status: int = 400):
    return jsonify(error=str(message)), status


# --- Sign-in --------------------------------------------------------------------------------


@bp.get("/sign-in")
@public
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    return render_template("accounts/sign_in.html")


@bp.post("/sign-in/options")
@public
@limiter.limit(SIGN_IN_LIMIT)
def sign_in_options():
    options = services.sign_in_options()
    return jsonify(options)


@bp.post("/sign-in/verify")
@public
@limiter.limit(SIGN_IN_LIMIT)
def sign_in_verify():
    try:
        user = services.sign_in_with_passkey(_json_body())
    except services.PasskeyError:
        return _failure()
    return jsonify(redirect=_after_sign_in(user))


def _after_sign_in(user) -> str:
    if services.pin_due():
        return url_for("accounts.pin")
    return services.landing_url(user)


@bp.post("/sign-out")
@public
def sign_out():
    services.finish_session(current_user)
    return redirect(url_for("accounts.sign_in"), code=303)


# --- Gates: the app PIN, then a new passkey's confirmation ---------------------------------


def _gate_redirect(endpoint: str):
    target = url_for(endpoint)
    if htmx:
        return "", 401, {"HX-Redirect": target}
    return redirect(target)


def _unconfirmed_answer():
    """A session of an unconfirmed passkey is shown its notice; it changes nothing."""
    if request.method in ("GET", "HEAD"):
        return _gate_redirect("accounts.new_passkey_notice")
    return render_template("accounts/unconfirmed.html"), 403


# After the passkey, a person with an app PIN sees nothing else until it is entered.
access.add_gate(
    access.Gate(
        name="pin",
        holds=services.pin_due,
        answer=lambda: _gate_redirect("accounts.pin"),
        exempt=frozenset({"accounts.pin", "accounts.sign_out", "i18n.choose_language"}),
    )
)
# A session opened with a passkey the owner has not confirmed (added from a phone left signed
# in, or with a code while other passkeys work) reads nothing but its notice, and changes no
# access, consent, feed, PIN, session or account setting, until an older passkey confirms it.
# It may remove its own passkey (may_shut_out lets it remove nothing else).
access.add_gate(
    access.Gate(
        name="unconfirmed_passkey",
        holds=services.session_unconfirmed,
        answer=_unconfirmed_answer,
        exempt=frozenset(
            {
                "accounts.new_passkey_notice",
                "accounts.remove_passkey_confirm",
                "accounts.remove_passkey",
                "accounts.sign_out",
                "i18n.choose_language",
            }
        ),
    )
)


@bp.route("/pin", methods=["GET", "POST"])
@public  # reached while signed in but before the PIN is checked; checks that itself
@limiter.limit(PIN_LIMIT, methods=["POST"])
def pin():
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.sign_in"))
    user = current_user._get_current_object()
    if not services.pin_due():
        return redirect(services.landing_url(user))
    error = None
    if request.method == "POST":
        outcome = services.check_pin(user, request.form.get("pin"))
        if outcome == "ok":
            return redirect(services.landing_url(user), code=303)
        if outcome == "locked":
            services.finish_session(None)
            return render_template("accounts/locked.html"), 403
        error = _("That PIN is not right. Please try again.")
    return render_template("accounts/pin.html", error=error), 422 if error else 200


# --- Enrolment ------------------------------------------------------------------------------


@bp.get("/enrol")
@public
@limiter.limit(CODE_LIMIT)
def enrol():
    raw = request.args.get("code")
    if raw is None:
        return render_template("accounts/enrol_code.html")
    row = services.find_code(raw)
    if row is None:
        return render_template("accounts/enrol_code.html", error=CODE_FAILURE, typed=raw), 422
    return _enrol_page(row, services.normalise_code(raw), saved=request.args.get("saved") == "1")


def _enrol_page(row, code: str, *, form=None, errors=None, problem=None, saved=False, status=200):
    """The enrolment page. A survivor's page has a plain form step, before the passkey step,
    where they choose what the team can see (privacy/_consent_form.html). The choices are saved
    for the code's person at once (POST /enrol/sharing); skipping it keeps the defaults that
    the form shows pre-selected. They can change them any time in Settings > Privacy."""
    person = db.session.get(User, row.user_id)
    sharing = None
    if person is not None and person.has_role(Role.SURVIVOR):
        sharing = consent.consent_form_context(person, form=form, errors=errors)
    return render_template(
        "accounts/enrol.html",
        code=services.format_code(code),
        sharing=sharing,
        sharing_problem=problem,
        sharing_saved=saved,
        **(sharing or {}),
    ), status


@bp.post("/enrol/sharing")
@public
@limiter.limit(CODE_LIMIT)
def enrol_sharing():
    raw = request.form.get("code")
    row = services.find_code(raw)
    if row is None:
        return render_template("accounts/enrol_code.html", error=CODE_FAILURE), 422
    code = services.normalise_code(raw)
    person = db.session.get(User, row.user_id)
    if person is None or not person.has_role(Role.SURVIVOR):
        abort(404)
    choices, errors, unknown = consent.parse_consent_form(request.form)
    if unknown or errors:
        problem = (
            _("Some of those choices were not recognised. Nothing was changed.")
            if unknown
            else _("Please choose an option for each area.")
        )
        return _enrol_page(row, code, form=request.form, errors=errors, problem=problem, status=422)
    consent.set_choices(person, choices, actor=person)
    db.session.commit()
    url = url_for("accounts.enrol", code=services.format_code(code), saved="1")
    return redirect(f"{url}#enrol-passkey", code=303)


@bp.post("/enrol/options")
@public
@limiter.limit(CODE_LIMIT)
def enrol_options():
    body = _json_body()
    row = services.find_code(body.get("code") if isinstance(body, dict) else None)
    if row is None:
        return _failure(CODE_FAILURE)
    return jsonify(services.enrolment_options(row))


@bp.post("/enrol/verify")
@public
@limiter.limit(CODE_LIMIT)
def enrol_verify():
    try:
        user = services.complete_enrolment(_json_body())
    except services.PasskeyError:
        db.session.rollback()
        return _failure()
    return jsonify(redirect=services.landing_url(user))


# --- Settings, devices and sessions ---------------------------------------------------------


@bp.get("/account")
@signed_in
def account():
    return account_page()


def account_page(**extra) -> str:
    """The settings page; other features re-render it with their form's errors."""
    passkeys = len(services.active_passkeys(current_user))
    return render_template("accounts/account.html", passkey_count=passkeys, **extra)


def _devices_page(errors=None, typed=None, status: int = 200):
    user = current_user
    return render_template(
        "accounts/devices.html",
        passkeys=services.active_passkeys(user),
        has_pin=services.has_pin(user),
        errors=errors or {},
        typed=typed or {},
    ), status


@bp.get("/account/passkeys")
@signed_in
def devices():
    return _devices_page()


@bp.post("/account/passkeys/options")
@signed_in
@limiter.limit(SIGN_IN_LIMIT)
def add_passkey_options():
    return jsonify(services.registration_options(current_user, kind="register"))


@bp.post("/account/passkeys/verify")
@signed_in
@limiter.limit(SIGN_IN_LIMIT)
def add_passkey_verify():
    try:
        services.register_passkey(current_user, _json_body(), kind="register")
    except services.PasskeyError:
        db.session.rollback()
        return _failure()
    db.session.commit()
    flash(_("Your new passkey is ready."), "success")
    return jsonify(redirect=url_for("accounts.devices"))


@bp.post("/account/passkeys/<public_id>/rename")
@signed_in
def rename_passkey(public_id: str):
    passkey = services.get_passkey_or_404(current_user, public_id)
    value, error = services.clean_nickname(request.form.get("nickname"))
    if error:
        return _devices_page({public_id: error}, {public_id: value[:200]}, 422)
    services.rename_passkey(current_user, passkey, value)
    flash(_("Name saved."), "success")
    return redirect(url_for("accounts.devices"), code=303)


@bp.get("/account/passkeys/<public_id>/remove")
@signed_in
def remove_passkey_confirm(public_id: str):
    passkey = services.get_passkey_or_404(current_user, public_id)
    _refuse_if_unconfirmed(passkey)
    last = len(services.active_passkeys(current_user)) == 1
    return render_template("accounts/remove_passkey.html", passkey=passkey, last=last)


@bp.post("/account/passkeys/<public_id>/remove")
@signed_in
def remove_passkey(public_id: str):
    passkey = services.get_passkey_or_404(current_user, public_id)
    _refuse_if_unconfirmed(passkey)
    if services.remove_passkey(current_user, passkey):  # this session used it: it has ended
        services.finish_session(None)
        return redirect(url_for("accounts.sign_in"), code=303)
    flash(_("The passkey was removed. It cannot be used to sign in any more."), "success")
    return redirect(url_for("accounts.devices"), code=303)


@bp.route("/account/new-passkey", methods=["GET", "POST"])
@signed_in
def new_passkey_notice():
    if request.method == "POST":
        services.acknowledge_notices(current_user)
        return redirect(services.landing_url(current_user), code=303)
    notices = services.pending_notices(current_user)
    if not notices:
        return redirect(services.landing_url(current_user))
    own = services.current_passkey_id()
    return render_template(
        "accounts/new_passkey.html",
        notices=notices,
        confirmable=services.confirmable_notices(current_user),
        held=next((p for p in notices if p.id == own), None)
        if services.session_unconfirmed()
        else None,
        home_url=services.home_url(current_user),
    )


def _refuse_if_unconfirmed(passkey=None):
    """A session opened with a passkey nobody has confirmed yet cannot shut out the others."""
    if not services.may_shut_out(current_user, passkey):
        abort(make_response(render_template("accounts/unconfirmed.html"), 403))


@bp.get("/account/sessions")
@signed_in
def sessions():
    user = current_user._get_current_object()
    return render_template(
        "accounts/sessions.html",
        sessions=services.sessions_of(user),
        current_id=services.current_session_id(),
        session_key=services.session_key,
        feed_on=appointments_services.feed_is_live(appointments_services.get_feed(user), user),
    )


@bp.post("/account/sessions/<key>/end")
@signed_in
def end_session(key: str):
    if services.end_one_session(current_user, key):
        flash(_("That session has ended."), "success")
    return redirect(url_for("accounts.sessions"), code=303)


@bp.post("/account/sessions/end-others")
@signed_in
def end_other_sessions():
    services.end_other_sessions(current_user)
    if request.form.get("end_feed") == "1" and appointments_services.revoke_feed(current_user):
        flash(
            _("You are now signed out everywhere else, and the calendar address no longer works."),
            "success",
        )
    else:
        flash(_("You are now signed out everywhere else."), "success")
    return redirect(url_for("accounts.sessions"), code=303)


@bp.get("/account/lock")
@signed_in
def lock_confirm():
    _refuse_if_unconfirmed()
    return render_template("accounts/lock_self.html")


@bp.post("/account/lock")
@signed_in
def lock_self():
    _refuse_if_unconfirmed()
    code = services.lock_from_another_device(current_user)
    if code:
        services.remember_shown_code(current_user, code)
        return redirect(url_for("accounts.own_code"), code=303)
    flash(_("Done. Every other passkey and session has stopped working."), "success")
    return redirect(url_for("accounts.devices"), code=303)


@bp.get("/account/code")
@signed_in
def own_code():
    code = services.take_shown_code(current_user)
    return _code_page(current_user, code, own=True)


@bp.route("/account/pin", methods=["GET", "POST"])
@signed_in
def set_pin():
    errors, typed = {}, {}
    if request.method == "POST":
        value, error = services.clean_pin(request.form.get("pin"), request.form.get("confirm"))
        if error is None:
            services.set_pin(current_user, value)
            flash(_("Your app PIN is on. It will be asked after your passkey."), "success")
            return redirect(url_for("accounts.devices"), code=303)
        errors["pin"] = error
    status = 422 if errors else 200
    return render_template("accounts/set_pin.html", errors=errors, typed=typed), status


@bp.post("/account/pin/remove")
@signed_in
def remove_pin():
    services.remove_pin(current_user)
    flash(_("Your app PIN is off."), "success")
    return redirect(url_for("accounts.devices"), code=303)


# --- People (staff and admins) --------------------------------------------------------------


@bp.get("/people")
@roles_required(Role.STAFF, Role.ADMIN)
def people():
    return render_template(
        "accounts/people.html",
        people=services.people_for(current_user),
        can_invite=bool(services.invitable_roles(current_user)),
        role_labels=ROLE_LABELS,
    )


@bp.route("/people/invite", methods=["GET", "POST"])
@roles_required(Role.STAFF, Role.ADMIN)
def invite():
    roles = services.invitable_roles(current_user)
    errors: dict[str, str] = {}
    asked = request.args.get("role", "")
    default = asked if asked in [r.value for r in roles] else (roles[0].value if roles else "")
    typed = {"pseudonym": "", "role": default}
    if request.method == "POST":
        pseudonym = " ".join(str(request.form.get("pseudonym", "")).split())
        role = request.form.get("role", "")
        typed = {"pseudonym": pseudonym[:200], "role": role}
        if not pseudonym:
            errors["pseudonym"] = _("Enter a name the person would like to be called.")
        elif len(pseudonym) > services.PSEUDONYM_MAX:
            errors["pseudonym"] = _("Use %(max)d characters or fewer.", max=services.PSEUDONYM_MAX)
        if role not in [r.value for r in roles]:
            errors["role"] = _("Choose what this person will do.")
        if not errors and not once.claim(request.form.get("once")):
            return redirect(url_for("accounts.people"), code=303)  # a double tap
        if not errors:
            user, code = services.invite(current_user, pseudonym, role)
            db.session.commit()
            services.remember_shown_code(user, code)
            return redirect(url_for("accounts.person_code", public_id=user.public_id), code=303)
    status = 422 if errors else 200
    return render_template(
        "accounts/invite.html", roles=roles, errors=errors, typed=typed, role_labels=ROLE_LABELS
    ), status


@bp.get("/people/<public_id>")
@roles_required(Role.STAFF, Role.ADMIN)
def person(public_id: str):
    person = services.open_person_or_404(current_user, public_id)
    return render_template(
        "accounts/person.html",
        person=person,
        passkey_count=len(services.active_passkeys(person)),
    )


@bp.post("/people/<public_id>/lock")
@roles_required(Role.STAFF, Role.ADMIN)
def lock_person(public_id: str):
    person = services.open_person_or_404(current_user, public_id, _l("Locked the account"))
    code = services.lock_account(person, actor=current_user, reason="staff")
    services.remember_shown_code(person, code)
    flash(_("Locked. Every passkey and session of this account has stopped working."), "success")
    return redirect(url_for("accounts.person_code", public_id=person.public_id), code=303)


@bp.post("/people/<public_id>/new-code")
@roles_required(Role.STAFF, Role.ADMIN)
def new_code(public_id: str):
    person = services.open_person_or_404(current_user, public_id, _l("Made a new sign-in code"))
    code = services.issue_code(person, actor=current_user)
    db.session.commit()
    services.remember_shown_code(person, code)
    return redirect(url_for("accounts.person_code", public_id=person.public_id), code=303)


@bp.get("/people/<public_id>/code")
@roles_required(Role.STAFF, Role.ADMIN)
def person_code(public_id: str):
    person = services.get_person_or_404(current_user, public_id)
    return _code_page(person, services.take_shown_code(person))


def _code_page(person, code: str | None, own: bool = False):
    link = services.enrol_link(code) if code else None
    return render_template(
        "accounts/code.html",
        person=person,
        code=code,
        link=link,
        qr=services.qr_data_uri(link) if link else None,
        hours=org_setting("ENROLMENT_CODE_HOURS"),
        own=own,
    )


nav_item("accounts.people", _l("People"), roles=("staff", "admin"), order=80)
nav_item(
    "accounts.account", _l("Settings"), roles=("survivor", "mentor", "staff", "admin"), order=90
)


# --- Command line ---------------------------------------------------------------------------


@bp.cli.command("invite")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--name", "pseudonym", required=True, help="The pseudonym the person chose.")
def invite_command(role: str, pseudonym: str) -> None:
    """Create an account and print its one-time enrolment link."""
    pseudonym = " ".join(pseudonym.split())
    if not pseudonym or len(pseudonym) > services.PSEUDONYM_MAX:
        raise click.ClickException(f"the name must be 1 to {services.PSEUDONYM_MAX} characters")
    user, code = services.invite(None, pseudonym, role)
    db.session.commit()
    hours = org_setting("ENROLMENT_CODE_HOURS")
    click.echo(f"Account {user.public_id} created ({role}).")
    click.echo(f"Enrolment link (works once, for {hours} hours): {services.enrol_link(code)}")
    click.echo(f"Code to type instead: {code}")
