"""Sign-in, enrolment, the app PIN, devices and sessions. Views read a form or a JSON body,
call one service and pick a template; the WebAuthn steps answer JSON."""

from __future__ import annotations

from flask import (
    Blueprint,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..appointments import feed as calendar_feeds
from ..extensions import limiter
from ..home.views import home_endpoint
from ..i18n import language_form
from ..navigation import nav_item
from ..privacy import consent
from ..security.access import public, signed_in
from ..settings import org_setting
from . import codes, devices, lockout, passkeys, pin, services
from . import gates as _gates  # noqa: F401  (registers the PIN and new-passkey gates)
from . import privacy as _privacy  # noqa: F401  (registers accounts' export and erasure)
from .access import get_passkey_or_404, refuse_if_unconfirmed, survivor_of_code_or_404
from .forms import (
    CODE_FAILURE,
    EndOtherSessionsForm,
    EnrolCodeForm,
    PasskeyAutofillForm,
    PinForm,
    RenamePasskeyForm,
    SetPinForm,
)
from .models import Role

bp = Blueprint("accounts", __name__)

CODE_LIMIT = "20 per minute;100 per hour"
SIGN_IN_LIMIT = "30 per minute;300 per hour"
PIN_LIMIT = "10 per minute;50 per hour"
GENERIC_FAILURE = _l(
    "That did not work. Please try again. If it keeps happening, ask the person who set up "
    "your account for help."
)


def _json_body() -> object:
    return request.get_json(silent=True)


def _failure(message=GENERIC_FAILURE, status: int = 400):
    return jsonify(error=str(message)), status


def home_url(user) -> str:
    return url_for(home_endpoint(user))


def landing_url(user) -> str:
    """Where a person goes after signing in: a pending new-passkey notice first."""
    if devices.pending_notices(user):
        return url_for("accounts.new_passkey_notice")
    return home_url(user)


# --- Sign-in --------------------------------------------------------------------------------


@bp.get("/sign-in")
@public
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    return render_template("accounts/sign_in.html", form=PasskeyAutofillForm(formdata=None))


@bp.post("/sign-in/options")
@public
@limiter.limit(SIGN_IN_LIMIT)
def sign_in_options():
    return jsonify(passkeys.sign_in_options())


@bp.post("/sign-in/verify")
@public
@limiter.limit(SIGN_IN_LIMIT)
def sign_in_verify():
    try:
        user = passkeys.sign_in_with_passkey(_json_body())
    except passkeys.PasskeyError:
        return _failure()
    if pin.pin_due():
        return jsonify(redirect=url_for("accounts.pin"))
    return jsonify(redirect=landing_url(user))


@bp.post("/sign-out")
@public
def sign_out():
    services.finish_session(current_user)
    return redirect(url_for("accounts.sign_in"), code=303)


@bp.route("/pin", methods=["GET", "POST"], endpoint="pin")
@public  # reached while signed in but before the PIN is checked; checks that itself
@limiter.limit(PIN_LIMIT, methods=["POST"])
def pin_page():
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.sign_in"))
    user = current_user._get_current_object()
    if not pin.pin_due():
        return redirect(landing_url(user))
    form = PinForm()
    if form.validate_on_submit():
        outcome = pin.check_pin(user, form.pin.data)
        if outcome == "ok":
            return redirect(landing_url(user), code=303)
        if outcome == "locked":
            services.finish_session(None)
            return render_template("accounts/locked.html"), 403
        form.wrong()
    return render_template("accounts/pin.html", form=form), 422 if form.errors else 200


# --- Enrolment ------------------------------------------------------------------------------


@bp.get("/enrol")
@public
@limiter.limit(CODE_LIMIT)
def enrol():
    if "code" not in request.args:
        return render_template("accounts/enrol_code.html", form=EnrolCodeForm(formdata=None))
    form = EnrolCodeForm(formdata=request.args)
    if not form.validate():
        return render_template("accounts/enrol_code.html", form=form), 422
    code = codes.normalise_code(form.code.data)
    return _enrol_page(form.row, code, saved=request.args.get("saved") == "1")


def _enrol_page(row, code: str, *, form=None, errors=None, problem=None, saved=False, status=200):
    """The enrolment page. A survivor's page has a plain form step, before the passkey step,
    where they choose what the team can see (privacy/_consent_form.html). The choices are saved
    for the code's person at once (POST /enrol/sharing); skipping it keeps the defaults that
    the form shows pre-selected. They can change them any time in Settings > Privacy."""
    person = codes.owner_of(row)
    sharing = None
    if person is not None and person.has_role(Role.SURVIVOR):
        sharing = consent.consent_form_context(person, form=form, errors=errors)
    return render_template(
        "accounts/enrol.html",
        code=codes.format_code(code),
        enrol_language=language_form(control_id="enrol-language-select"),
        sharing=sharing,
        sharing_problem=problem,
        sharing_saved=saved,
        **(sharing or {}),
    ), status


@bp.post("/enrol/sharing")
@public
@limiter.limit(CODE_LIMIT)
def enrol_sharing():
    form = EnrolCodeForm()
    if not form.validate_on_submit():
        return render_template("accounts/enrol_code.html", form=EnrolCodeForm.refused()), 422
    code = codes.normalise_code(form.code.data)
    person = survivor_of_code_or_404(form.row)
    choices, errors, unknown = consent.parse_consent_form(request.form)
    if unknown or errors:
        problem = (
            _("Some of those choices were not recognised. Nothing was changed.")
            if unknown
            else _("Please choose an option for each area.")
        )
        return _enrol_page(
            form.row, code, form=request.form, errors=errors, problem=problem, status=422
        )
    consent.set_choices(person, choices, actor=person)
    url = url_for("accounts.enrol", code=codes.format_code(code), saved="1")
    return redirect(f"{url}#enrol-passkey", code=303)


@bp.post("/enrol/options")
@public
@limiter.limit(CODE_LIMIT)
def enrol_options():
    body = _json_body()
    row = codes.find_code(body.get("code") if isinstance(body, dict) else None)
    if row is None:
        return _failure(CODE_FAILURE)
    return jsonify(passkeys.enrolment_options(row))


@bp.post("/enrol/verify")
@public
@limiter.limit(CODE_LIMIT)
def enrol_verify():
    try:
        user = passkeys.complete_enrolment(_json_body())
    except passkeys.PasskeyError:
        return _failure()
    return jsonify(redirect=landing_url(user))


# --- Settings, devices and sessions ---------------------------------------------------------


@bp.get("/account")
@signed_in
def account():
    return account_page()


def account_page(**extra) -> str:
    """The settings page; other features re-render it with their form's errors."""
    count = len(passkeys.active_passkeys(current_user))
    return render_template("accounts/account.html", passkey_count=count, **extra)


def _devices_page(failed: RenamePasskeyForm | None = None, status: int = 200):
    """The passkeys page: one rename form per passkey (`failed` is one sent back)."""
    user = current_user
    own = passkeys.active_passkeys(user)
    rename = {
        p.public_id: RenamePasskeyForm(formdata=None, nickname=p.nickname or "").for_passkey(
            p.public_id
        )
        for p in own
    }
    if failed is not None:
        rename[failed.passkey_id] = failed
    return render_template(
        "accounts/devices.html", passkeys=own, rename=rename, has_pin=pin.has_pin(user)
    ), status


@bp.get("/account/passkeys", endpoint="devices")
@signed_in
def devices_page():
    return _devices_page()


@bp.post("/account/passkeys/options")
@signed_in
@limiter.limit(SIGN_IN_LIMIT)
def add_passkey_options():
    return jsonify(passkeys.registration_options(current_user, kind="register"))


@bp.post("/account/passkeys/verify")
@signed_in
@limiter.limit(SIGN_IN_LIMIT)
def add_passkey_verify():
    try:
        passkeys.register_passkey(current_user, _json_body(), kind="register")
    except passkeys.PasskeyError:
        return _failure()
    flash(_("Your new passkey is ready."), "success")
    return jsonify(redirect=url_for("accounts.devices"))


@bp.post("/account/passkeys/<public_id>/rename")
@signed_in
def rename_passkey(public_id: str):
    passkey = get_passkey_or_404(public_id, current_user)
    form = RenamePasskeyForm().for_passkey(public_id)
    if not form.validate_on_submit():
        return _devices_page(form, 422)
    devices.rename_passkey(current_user, passkey, form.nickname.data)
    flash(_("Name saved."), "success")
    return redirect(url_for("accounts.devices"), code=303)


@bp.get("/account/passkeys/<public_id>/remove")
@signed_in
def remove_passkey_confirm(public_id: str):
    passkey = get_passkey_or_404(public_id, current_user)
    refuse_if_unconfirmed(current_user, passkey)
    last = len(passkeys.active_passkeys(current_user)) == 1
    return render_template("accounts/remove_passkey.html", passkey=passkey, last=last)


@bp.post("/account/passkeys/<public_id>/remove")
@signed_in
def remove_passkey(public_id: str):
    passkey = get_passkey_or_404(public_id, current_user)
    refuse_if_unconfirmed(current_user, passkey)
    if devices.remove_passkey(current_user, passkey):  # this session used it: it has ended
        services.finish_session(None)
        return redirect(url_for("accounts.sign_in"), code=303)
    flash(_("The passkey was removed. It cannot be used to sign in any more."), "success")
    return redirect(url_for("accounts.devices"), code=303)


@bp.route("/account/new-passkey", methods=["GET", "POST"])
@signed_in
def new_passkey_notice():
    if request.method == "POST":
        devices.acknowledge_notices(current_user)
        return redirect(landing_url(current_user), code=303)
    notices = devices.pending_notices(current_user)
    if not notices:
        return redirect(landing_url(current_user))
    own = devices.current_passkey_id()
    return render_template(
        "accounts/new_passkey.html",
        notices=notices,
        confirmable=devices.confirmable_notices(current_user),
        held=next((p for p in notices if p.id == own), None)
        if devices.session_unconfirmed()
        else None,
        home_url=home_url(current_user),
    )


@bp.get("/account/sessions")
@signed_in
def sessions():
    user = current_user._get_current_object()
    return render_template(
        "accounts/sessions.html",
        sessions=devices.sessions_of(user),
        current_id=devices.current_session_id(),
        session_key=devices.session_key,
        feed_on=calendar_feeds.feed_is_live(calendar_feeds.get_feed(user), user),
        form=EndOtherSessionsForm(formdata=None),
    )


@bp.post("/account/sessions/<key>/end")
@signed_in
def end_session(key: str):
    if devices.end_one_session(current_user, key):
        flash(_("That session has ended."), "success")
    return redirect(url_for("accounts.sessions"), code=303)


@bp.post("/account/sessions/end-others")
@signed_in
def end_other_sessions():
    form = EndOtherSessionsForm()
    form.validate()
    devices.end_other_sessions(current_user)
    if form.end_feed.data and calendar_feeds.revoke_feed(current_user):
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
    refuse_if_unconfirmed(current_user)
    return render_template("accounts/lock_self.html")


@bp.post("/account/lock")
@signed_in
def lock_self():
    refuse_if_unconfirmed(current_user)
    code = lockout.lock_from_another_device(current_user)
    if code:
        codes.remember_shown_code(current_user, code)
        return redirect(url_for("accounts.own_code"), code=303)
    flash(_("Done. Every other passkey and session has stopped working."), "success")
    return redirect(url_for("accounts.devices"), code=303)


@bp.get("/account/code")
@signed_in
def own_code():
    return code_page(current_user, codes.take_shown_code(current_user), own=True)


@bp.route("/account/pin", methods=["GET", "POST"])
@signed_in
def set_pin():
    form = SetPinForm()
    if form.validate_on_submit():
        pin.set_pin(current_user, form.pin.data)
        flash(_("Your app PIN is on. It will be asked after your passkey."), "success")
        return redirect(url_for("accounts.devices"), code=303)
    return render_template("accounts/set_pin.html", form=form), 422 if form.errors else 200


@bp.post("/account/pin/remove")
@signed_in
def remove_pin():
    pin.remove_pin(current_user)
    flash(_("Your app PIN is off."), "success")
    return redirect(url_for("accounts.devices"), code=303)


def code_page(person, code: str | None, own: bool = False):
    link = codes.enrol_link(code) if code else None
    return render_template(
        "accounts/code.html",
        person=person,
        code=code,
        link=link,
        qr=codes.qr_data_uri(link) if link else None,
        hours=org_setting("ENROLMENT_CODE_HOURS"),
        own=own,
    )


nav_item(
    "accounts.account", _l("Settings"), roles=("survivor", "mentor", "staff", "admin"), order=90
)
