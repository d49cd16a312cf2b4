"""Views for appointments: read a form, call one service, pick a template."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_date, format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..accounts import devices as accounts_devices
from ..accounts.models import Role
from ..database import utcnow
from ..extensions import htmx
from ..home.panels import home_panel
from ..i18n import clock
from ..localtime import zone_of
from ..navigation import nav_item
from ..security import once
from ..security.access import public, roles_required
from . import access, services
from . import feed as feeds
from . import privacy as _privacy  # noqa: F401  (registers the export and erasure)
from . import reschedule as moves
from .forms import (
    AnswerForm,
    AppointmentForm,
    FeedAddressForm,
    FeedForm,
    OutcomeForm,
    RescheduleForm,
    ZoneForm,
    when_data,
)
from .labels import KIND_LABELS, OUTCOME_LABELS, STATUS_LABELS
from .models import RequestStatus

bp = Blueprint("appointments", __name__)

STAFF_OR_SURVIVOR = (Role.SURVIVOR, Role.STAFF)


def _context(**extra):
    return {
        "kind_labels": KIND_LABELS,
        "status_labels": STATUS_LABELS,
        "outcome_labels": OUTCOME_LABELS,
        "RequestStatus": RequestStatus,
        "zone_name": zone_of(current_user).key,
        "format_date": format_date,
        "clock": clock,
        "format_datetime": format_datetime,
        # The master switch for appointments a survivor adds (see access.py's docstring).
        "own_area_shared": access.own_appointments_shared(current_user),
        **extra,
    }


# --- lists ----------------------------------------------------------------------------------


@bp.get("/appointments")
@roles_required(*STAFF_OR_SURVIVOR)
def index():
    context = {}
    if current_user.has_role(Role.SURVIVOR):
        context.update(
            upcoming=services.own_upcoming(current_user),
            past=services.own_past(current_user),
        )
    if current_user.has_role(Role.STAFF):
        context.update(
            booked=services.staff_upcoming(current_user, days=60),
            queue=services.request_queue(current_user),
        )
    return render_template("appointments/index.html", **_context(**context))


@bp.get("/appointments/requests")
@roles_required(Role.STAFF)
def queue():
    queue = services.request_queue(current_user)
    cancelled = services.recently_cancelled(current_user)
    template = "appointments/_queue.html" if htmx else "appointments/queue.html"
    return render_template(template, **_context(queue=queue, cancelled=cancelled))


# --- create and edit ------------------------------------------------------------------------


def _appointment_form(appointment=None, **kwargs) -> AppointmentForm:
    """The form, with whom staff may book for (a new appointment only) and the zones offered."""
    people = (
        services.caseload(current_user)
        if current_user.has_role(Role.STAFF) and appointment is None
        else []
    )
    return AppointmentForm(
        user=current_user,
        people=people,
        editing=appointment,
        zones=services.offered_zones(current_user),
        **kwargs,
    )


def _render_form(form, *, appointment=None, status=200):
    return (
        render_template("appointments/form.html", **_context(form=form, appointment=appointment)),
        status,
    )


@bp.get("/appointments/new")
@roles_required(*STAFF_OR_SURVIVOR)
def new():
    chosen = request.args.get("for", "")
    form = _appointment_form(
        data={
            "survivor": chosen[:24] if isinstance(chosen, str) else "",
            "timezone": current_user.timezone,
            # A new appointment's share tick starts as the survivor's "own appointments" choice.
            "shared": access.own_appointments_shared(current_user),
        }
    )
    return _render_form(form)


@bp.post("/appointments/new")
@roles_required(*STAFF_OR_SURVIVOR)
def create():
    form = _appointment_form()
    if not form.validate_on_submit():
        return _render_form(form, status=422)
    if not once.claim(request.form.get("once")):  # a double tap: the first one is saved
        return redirect(url_for(".index"), code=303)
    appointment = services.create(current_user, form.person, **form.values())
    flash(_("Saved."), "success")
    return redirect(url_for(".show", public_id=appointment.public_id), code=303)


@bp.get("/appointments/<public_id>/edit")
@roles_required(*STAFF_OR_SURVIVOR)
def edit(public_id: str):
    appointment = access.get_appointment_or_404(public_id, current_user, need="edit")
    data = AppointmentForm.data_of(appointment, zone_of(current_user).key)
    return _render_form(_appointment_form(appointment, data=data), appointment=appointment)


@bp.post("/appointments/<public_id>/edit")
@roles_required(*STAFF_OR_SURVIVOR)
def update(public_id: str):
    appointment = access.get_appointment_or_404(public_id, current_user, need="edit")
    form = _appointment_form(appointment)
    if not form.validate_on_submit():
        return _render_form(form, appointment=appointment, status=422)
    services.update(appointment, current_user, **form.values())
    flash(_("Saved."), "success")
    return redirect(url_for(".show", public_id=appointment.public_id), code=303)


# --- one appointment ------------------------------------------------------------------------


def _render_show(appointment, *, outcome_form=None, status=200):
    if outcome_form is None:
        outcome = appointment.outcome.value if appointment.outcome else None
        outcome_form = OutcomeForm(formdata=None, data={"outcome": outcome})
    return (
        render_template(
            "appointments/show.html",
            **_context(
                appointment=appointment,
                owner=access.is_owner(appointment, current_user),
                can_edit=access.can_edit(appointment, current_user),
                can_answer=access.can_answer(appointment, current_user),
                can_record_outcome=access.can_record_outcome(appointment, current_user),
                ended=appointment.ended(utcnow()),
                outcome_form=outcome_form,
            ),
        ),
        status,
    )


@bp.get("/appointments/<public_id>")
@roles_required(*STAFF_OR_SURVIVOR)
def show(public_id: str):
    return _render_show(access.get_appointment_or_404(public_id, current_user))


@bp.post("/appointments/<public_id>/outcome")
@roles_required(*STAFF_OR_SURVIVOR)
def record_outcome(public_id: str):
    appointment = access.get_appointment_or_404(public_id, current_user, need="outcome")
    form = OutcomeForm(appointment=appointment)
    if not form.validate_on_submit():
        return _render_show(appointment, outcome_form=form, status=422)
    services.record_outcome(appointment, form.outcome.data, current_user)
    flash(_("Saved."), "success")
    return redirect(url_for(".show", public_id=public_id), code=303)


@bp.post("/appointments/<public_id>/confirm")
@roles_required(Role.SURVIVOR)
def confirm(public_id: str):
    appointment = access.get_appointment_or_404(public_id, current_user, need="own")
    if appointment.cancelled:
        flash(_("This appointment was cancelled."), "error")
    else:
        services.confirm(appointment, current_user)
        flash(_("Confirmed."), "success")
    return redirect(url_for(".show", public_id=public_id), code=303)


@bp.post("/appointments/<public_id>/cancel")
@roles_required(*STAFF_OR_SURVIVOR)
def cancel(public_id: str):
    appointment = access.get_appointment_or_404(public_id, current_user, need="cancel")
    if not appointment.cancelled:
        services.cancel(appointment, current_user)
        flash(_("Cancelled."), "success")
    return redirect(url_for(".show", public_id=public_id), code=303)


def _render_reschedule(appointment, form, status=200):
    return (
        render_template(
            "appointments/reschedule.html", **_context(appointment=appointment, form=form)
        ),
        status,
    )


@bp.get("/appointments/<public_id>/move")
@roles_required(Role.SURVIVOR)
def reschedule(public_id: str):
    appointment = access.get_appointment_or_404(public_id, current_user, need="own")
    data = when_data(appointment.starts_at, appointment.ends_at, zone_of(current_user).key)
    form = RescheduleForm(data=data, zones=services.offered_zones(current_user))
    return _render_reschedule(appointment, form)


@bp.post("/appointments/<public_id>/move")
@roles_required(Role.SURVIVOR)
def request_move(public_id: str):
    appointment = access.get_appointment_or_404(public_id, current_user, need="own")
    if appointment.cancelled:
        flash(_("This appointment was cancelled."), "error")
        return redirect(url_for(".show", public_id=public_id), code=303)
    form = RescheduleForm(zones=services.offered_zones(current_user))
    if not form.validate_on_submit():
        return _render_reschedule(appointment, form, status=422)
    if not once.claim(request.form.get("once")):
        return redirect(url_for(".show", public_id=public_id), code=303)
    starts_at, ends_at = form.moments()
    if appointment.booked_by_survivor:
        # Nobody else to ask: the survivor moves their own appointment.
        moves.move_own(appointment, current_user, starts_at, ends_at)
        flash(_("Moved."), "success")
    else:
        moves.request_reschedule(
            appointment, current_user, starts_at, ends_at, form.message.data or None
        )
        flash(_("Your request was sent. You will see the answer here."), "success")
    return redirect(url_for(".show", public_id=public_id), code=303)


def _render_answer(req, form, status=200):
    return (
        render_template(
            "appointments/answer.html",
            **_context(req=req, appointment=req.appointment, form=form),
        ),
        status,
    )


@bp.get("/appointments/requests/<public_id>")
@roles_required(Role.STAFF)
def answer_form(public_id: str):
    req = access.get_request_or_404(public_id, current_user)
    zone_name = zone_of(current_user).key
    data = {"decision": "accept"} | when_data(
        req.suggested_start, req.suggested_end, zone_name, prefix="new_"
    )
    form = AnswerForm(data=data, zones=services.offered_zones(current_user))
    return _render_answer(req, form)


@bp.post("/appointments/requests/<public_id>")
@roles_required(Role.STAFF)
def answer(public_id: str):
    req = access.get_request_or_404(public_id, current_user)
    if req.status != RequestStatus.OPEN:
        flash(_("This request was already answered or withdrawn."), "error")
        return redirect(url_for(".queue"), code=303)
    form = AnswerForm(zones=services.offered_zones(current_user))
    if not form.validate_on_submit():
        return _render_answer(req, form, status=422)
    moments = form.moments() if form.decision.data == "propose" else (None, None)
    moves.answer(req, current_user, form.decision.data, form.note.data or None, *moments)
    flash(_("Answer sent."), "success")
    return redirect(url_for(".queue"), code=303)


@bp.get("/appointments/<public_id>/event.ics")
@roles_required(*STAFF_OR_SURVIVOR)
def download(public_id: str):
    appointment = access.get_appointment_or_404(public_id, current_user)
    return Response(
        feeds.single_calendar(appointment, current_user),
        mimetype="text/calendar",
        headers={"Content-Disposition": 'attachment; filename="event.ics"'},
    )


# --- calendar feed --------------------------------------------------------------------------


def _render_calendar(form=None, *, new_url=None, status=200):
    found = feeds.get_feed(current_user)
    if form is None:
        form = FeedForm(formdata=None, data=feeds.feed_settings(found))
    return (
        render_template(
            "appointments/calendar.html",
            **_context(
                feed=found,
                active=feeds.feed_is_live(found, current_user),
                form=form,
                address_form=FeedAddressForm(formdata=None, data={"address": new_url})
                if new_url
                else None,
                default_title=feeds.neutral_title(None, current_user),
            ),
        ),
        status,
    )


@bp.get("/calendar")
@roles_required(Role.SURVIVOR)
def calendar_settings():
    return _render_calendar()


@bp.post("/calendar")
@roles_required(Role.SURVIVOR)
def save_calendar_settings():
    form = FeedForm()
    if not form.validate_on_submit():
        return _render_calendar(form, status=422)
    shows = {name: form[name].data for name in feeds.SHOWS}
    feeds.save_feed_settings(current_user, form.title.data, **shows)
    flash(_("Saved."), "success")
    return redirect(url_for(".calendar_settings"), code=303)


@bp.post("/calendar/address")
@roles_required(Role.SURVIVOR)
def new_feed_address():
    # The address is shown once, in this answer, and never stored: only its hash is kept.
    # So this POST answers with the page itself rather than a redirect.
    token = feeds.issue_feed_token(current_user, accounts_devices.current_passkey_id())
    url = current_app.config["ORIGIN"] + url_for(".feed", key=token)
    return _render_calendar(new_url=url)


@bp.post("/calendar/address/revoke")
@roles_required(Role.SURVIVOR)
def revoke_feed_address():
    feeds.revoke_feed(current_user)
    flash(_("The calendar address no longer works."), "success")
    return redirect(url_for(".calendar_settings"), code=303)


@bp.get("/calendar/feed.ics")
@public
def feed():
    # The token travels in the query string, which the access log does not record.
    found = feeds.live_feed_or_404(request.args.get("key"))
    return Response(feeds.feed_calendar(found), mimetype="text/calendar")


# --- the person's own time zone -----------------------------------------------------------


def _render_zone(form, status=200):
    return render_template("appointments/time_zone.html", **_context(form=form)), status


@bp.get("/appointments/time-zone")
@roles_required(*STAFF_OR_SURVIVOR)
def time_zone():
    return _render_zone(ZoneForm(data={"timezone": current_user.timezone}))


@bp.post("/appointments/time-zone")
@roles_required(*STAFF_OR_SURVIVOR)
def save_time_zone():
    form = ZoneForm()
    if not form.validate_on_submit():
        return _render_zone(form, status=422)
    services.set_zone(current_user, form.timezone.data)
    flash(_("Saved. Times are now shown in %(zone)s.", zone=form.timezone.data), "success")
    return redirect(url_for(".index"), code=303)


# --- home panels ----------------------------------------------------------------------------


@home_panel(Role.SURVIVOR, order=20)
def survivor_panel(user) -> str:
    next_up, days, more = services.coming_days(user)
    past = services.own_past(user, limit=10)
    return render_template(
        "appointments/_home_panel.html",
        **_context(next_up=next_up, days=days, more=more, past=past),
    )


@home_panel(Role.STAFF, order=20)
def staff_panel(user) -> str:
    return render_template(
        "appointments/_staff_panel.html",
        **_context(
            queue=services.request_queue(user),
            booked=services.staff_this_week(user),
        ),
    )


nav_item("appointments.index", _l("Appointments"), roles=STAFF_OR_SURVIVOR, order=20)
