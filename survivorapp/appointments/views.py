"""Views for appointments: parse input, call services, pick a template."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
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
from ..navigation import nav_item
from ..security import once
from ..security.access import public, roles_required
from . import services
from .models import Kind, RequestStatus

bp = Blueprint("appointments", __name__)

STAFF_OR_SURVIVOR = (Role.SURVIVOR, Role.STAFF)


def _context(**extra):
    return {
        "kinds": [(k.value, services.KIND_LABELS[k]) for k in Kind],
        "kind_labels": services.KIND_LABELS,
        "status_labels": services.STATUS_LABELS,
        "outcome_labels": services.OUTCOME_LABELS,
        "RequestStatus": RequestStatus,
        "zone_name": services.zone_of(current_user).key,
        "format_date": format_date,
        "clock": clock,
        "format_datetime": format_datetime,
        # The master switch for appointments a survivor adds (see services' docstring).
        "own_area_shared": services.own_appointments_shared(current_user),
        **extra,
    }


def _zones(*extra: str) -> list[str]:
    """Time zones offered in a form: the viewer's own, then any others that matter here."""
    zones = [services.zone_of(current_user).key]
    for name in extra:
        if services.valid_zone(name) and name not in zones:
            zones.append(name)
    if "UTC" not in zones:
        zones.append("UTC")
    return zones


def _staff_zones() -> list[str]:
    return _zones(*(p.timezone for p in services.caseload(current_user)))


def _form_zones(form: services.Form, name: str = "timezone") -> list[str]:
    zones = _staff_zones() if current_user.has_role(Role.STAFF) else _zones()
    typed = form.get(name)
    if services.valid_zone(typed) and typed not in zones:
        zones.append(typed)
    return zones


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


def _render_form(form, *, appointment=None, status=200):
    people = (
        services.caseload(current_user)
        if current_user.has_role(Role.STAFF) and appointment is None
        else []
    )
    return (
        render_template(
            "appointments/form.html",
            **_context(form=form, appointment=appointment, people=people, zones=_form_zones(form)),
        ),
        status,
    )


@bp.get("/appointments/new")
@roles_required(*STAFF_OR_SURVIVOR)
def new():
    form = services.blank_appointment_form(current_user)
    chosen = request.args.get("for", "")
    if isinstance(chosen, str):
        form.values["survivor"] = chosen[:24]
    return _render_form(form)


@bp.post("/appointments/new")
@roles_required(*STAFF_OR_SURVIVOR)
def create():
    form = services.read_appointment_form(request.form, current_user)
    if not form.ok:
        return _render_form(form, status=422)
    if not once.claim(request.form.get("once")):  # a double tap: the first one is saved
        return redirect(url_for(".index"), code=303)
    appointment = services.create(form, current_user)
    flash(_("Saved."), "success")
    return redirect(url_for(".show", public_id=appointment.public_id), code=303)


@bp.get("/appointments/<public_id>/edit")
@roles_required(*STAFF_OR_SURVIVOR)
def edit(public_id: str):
    appointment = services.get_visible_appointment_or_404(public_id, current_user)
    if not services.can_edit(appointment, current_user):
        abort(403)
    return _render_form(
        services.appointment_form_for(appointment, current_user), appointment=appointment
    )


@bp.post("/appointments/<public_id>/edit")
@roles_required(*STAFF_OR_SURVIVOR)
def update(public_id: str):
    appointment = services.get_visible_appointment_or_404(public_id, current_user)
    if not services.can_edit(appointment, current_user):
        abort(403)
    form = services.read_appointment_form(request.form, current_user, editing=appointment)
    if not form.ok:
        return _render_form(form, appointment=appointment, status=422)
    services.update(appointment, form, current_user)
    flash(_("Saved."), "success")
    return redirect(url_for(".show", public_id=appointment.public_id), code=303)


# --- one appointment ------------------------------------------------------------------------


def _render_show(appointment, *, outcome_form=None, status=200):
    return (
        render_template(
            "appointments/show.html",
            **_context(
                appointment=appointment,
                owner=services.is_owner(appointment, current_user),
                can_edit=services.can_edit(appointment, current_user),
                can_answer=services.can_answer(appointment, current_user),
                can_record_outcome=services.can_record_outcome(appointment, current_user),
                ended=appointment.ended(utcnow()),
                outcome_form=outcome_form or services.outcome_form_for(appointment),
            ),
        ),
        status,
    )


@bp.get("/appointments/<public_id>")
@roles_required(*STAFF_OR_SURVIVOR)
def show(public_id: str):
    appointment = services.get_visible_appointment_or_404(public_id, current_user)
    return _render_show(appointment)


@bp.post("/appointments/<public_id>/outcome")
@roles_required(*STAFF_OR_SURVIVOR)
def record_outcome(public_id: str):
    appointment = services.get_visible_appointment_or_404(public_id, current_user)
    if not services.can_record_outcome(appointment, current_user):
        abort(403)
    form = services.read_outcome_form(request.form, appointment)
    if not form.ok:
        return _render_show(appointment, outcome_form=form, status=422)
    services.record_outcome(appointment, form.data["outcome"], current_user)
    flash(_("Saved."), "success")
    return redirect(url_for(".show", public_id=public_id), code=303)


def _owner_action(public_id: str):
    appointment = services.get_visible_appointment_or_404(public_id, current_user)
    if not services.is_owner(appointment, current_user):
        abort(403)
    return appointment


@bp.post("/appointments/<public_id>/confirm")
@roles_required(Role.SURVIVOR)
def confirm(public_id: str):
    appointment = _owner_action(public_id)
    if appointment.cancelled:
        flash(_("This appointment was cancelled."), "error")
    else:
        services.confirm(appointment, current_user)
        flash(_("Confirmed."), "success")
    return redirect(url_for(".show", public_id=public_id), code=303)


@bp.post("/appointments/<public_id>/cancel")
@roles_required(*STAFF_OR_SURVIVOR)
def cancel(public_id: str):
    appointment = services.get_visible_appointment_or_404(public_id, current_user)
    if not (
        services.is_owner(appointment, current_user) or services.can_edit(appointment, current_user)
    ):
        abort(403)
    if not appointment.cancelled:
        services.cancel(appointment, current_user)
        flash(_("Cancelled."), "success")
    return redirect(url_for(".show", public_id=public_id), code=303)


def _render_reschedule(appointment, form, status=200):
    return (
        render_template(
            "appointments/reschedule.html",
            **_context(appointment=appointment, form=form, zones=_form_zones(form)),
        ),
        status,
    )


@bp.get("/appointments/<public_id>/move")
@roles_required(Role.SURVIVOR)
def reschedule(public_id: str):
    appointment = _owner_action(public_id)
    return _render_reschedule(
        appointment, services.blank_reschedule_form(appointment, current_user)
    )


@bp.post("/appointments/<public_id>/move")
@roles_required(Role.SURVIVOR)
def request_move(public_id: str):
    appointment = _owner_action(public_id)
    if appointment.cancelled:
        flash(_("This appointment was cancelled."), "error")
        return redirect(url_for(".show", public_id=public_id), code=303)
    form = services.read_reschedule_form(request.form)
    if not form.ok:
        return _render_reschedule(appointment, form, status=422)
    if not once.claim(request.form.get("once")):
        return redirect(url_for(".show", public_id=public_id), code=303)
    if appointment.booked_by_survivor:
        # Nobody else to ask: the survivor moves their own appointment.
        services.move_own(appointment, form, current_user)
        flash(_("Moved."), "success")
    else:
        services.request_reschedule(appointment, form, current_user)
        flash(_("Your request was sent. You will see the answer here."), "success")
    return redirect(url_for(".show", public_id=public_id), code=303)


def _render_answer(req, form, status=200):
    return (
        render_template(
            "appointments/answer.html",
            **_context(
                req=req,
                appointment=req.appointment,
                form=form,
                zones=_form_zones(form, "new_timezone"),
            ),
        ),
        status,
    )


@bp.get("/appointments/requests/<public_id>")
@roles_required(Role.STAFF)
def answer_form(public_id: str):
    req = services.get_request_or_404(public_id, current_user)
    if not services.can_answer(req.appointment, current_user):
        abort(404)
    return _render_answer(req, services.blank_answer_form(req, current_user))


@bp.post("/appointments/requests/<public_id>")
@roles_required(Role.STAFF)
def answer(public_id: str):
    req = services.get_request_or_404(public_id, current_user)
    if not services.can_answer(req.appointment, current_user):
        abort(404)
    if req.status != RequestStatus.OPEN:
        flash(_("This request was already answered or withdrawn."), "error")
        return redirect(url_for(".queue"), code=303)
    form = services.read_answer_form(request.form)
    if not form.ok:
        return _render_answer(req, form, status=422)
    services.answer(req, form, current_user)
    flash(_("Answer sent."), "success")
    return redirect(url_for(".queue"), code=303)


@bp.get("/appointments/<public_id>/event.ics")
@roles_required(*STAFF_OR_SURVIVOR)
def download(public_id: str):
    appointment = services.get_visible_appointment_or_404(public_id, current_user)
    body = services.single_calendar(appointment, current_user)
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": 'attachment; filename="event.ics"'},
    )


# --- calendar feed --------------------------------------------------------------------------


def _render_calendar(form=None, *, new_url=None, status=200):
    feed = services.get_feed(current_user)
    return (
        render_template(
            "appointments/calendar.html",
            **_context(
                feed=feed,
                active=services.feed_is_live(feed, current_user),
                form=form or services.feed_form_for(feed),
                new_url=new_url,
                default_title=services.neutral_title(None, current_user),
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
    form = services.read_feed_form(request.form)
    if not form.ok:
        return _render_calendar(form, status=422)
    services.save_feed_settings(current_user, form)
    flash(_("Saved."), "success")
    return redirect(url_for(".calendar_settings"), code=303)


@bp.post("/calendar/address")
@roles_required(Role.SURVIVOR)
def new_feed_address():
    # The address is shown once, in this answer, and never stored: only its hash is kept.
    # So this POST answers with the page itself rather than a redirect.
    token = services.issue_feed_token(current_user, accounts_devices.current_passkey_id())
    url = current_app.config["ORIGIN"] + url_for(".feed", key=token)
    return _render_calendar(new_url=url)


@bp.post("/calendar/address/revoke")
@roles_required(Role.SURVIVOR)
def revoke_feed_address():
    services.revoke_feed(current_user)
    flash(_("The calendar address no longer works."), "success")
    return redirect(url_for(".calendar_settings"), code=303)


@bp.get("/calendar/feed.ics")
@public
def feed():
    # The token travels in the query string, which the access log does not record.
    found = services.feed_by_token(request.args.get("key"))
    if found is None:
        abort(404)
    return Response(services.feed_calendar(found), mimetype="text/calendar")


# --- the person's own time zone -----------------------------------------------------------


def _render_zone(form, status=200):
    return render_template("appointments/time_zone.html", **_context(form=form)), status


@bp.get("/appointments/time-zone")
@roles_required(*STAFF_OR_SURVIVOR)
def time_zone():
    return _render_zone(services.Form({"timezone": current_user.timezone}))


@bp.post("/appointments/time-zone")
@roles_required(*STAFF_OR_SURVIVOR)
def save_time_zone():
    form = services.read_zone_form(request.form)
    if not form.ok:
        return _render_zone(form, status=422)
    services.set_zone(current_user, form.data["timezone"])
    flash(_("Saved. Times are now shown in %(zone)s.", zone=form.data["timezone"]), "success")
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
