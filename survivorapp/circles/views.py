"""Views for circles: parse input, call services, pick a template."""

from __future__ import annotations

from datetime import datetime, time

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import _, format_date, ngettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..database import utcnow
from ..extensions import htmx
from ..home.panels import home_panel
from ..i18n import LANGUAGE_NAMES, clock
from ..localtime import today_for
from ..navigation import nav_item
from ..security import once
from ..security.access import roles_required
from . import (
    browse,
    hosting,
    membership,
    occurrences,
    privacy,  # noqa: F401  # registers the circles exporters and eraser at start-up
)
from .access import get_circle_or_404, get_session_or_404
from .forms import (
    FORMATS,
    REPEATS,
    TOPICS,
    AttendanceForm,
    CalendarForm,
    CircleForm,
    FilterForm,
    MoveForm,
    NoteForm,
)
from .models import Repeat

bp = Blueprint("circles", __name__)


def when(moment: datetime) -> str:
    """A session time in the viewer's own zone and language."""
    day, at = format_date(moment, "full"), clock(moment)
    return _("%(date)s, %(time)s", date=day, time=at)


def render(template: str, status: int = 200, **context):
    context.update(
        when=when,
        topics=TOPICS,
        formats=FORMATS,
        repeats=REPEATS,
        language_names=LANGUAGE_NAMES,
    )
    return render_template(template, **context), status


def _back(circle, endpoint="circles.show"):
    return redirect(url_for(endpoint, public_id=circle.public_id), code=303)


# --- survivors ---------------------------------------------------------------------------------


@bp.get("/circles")
@roles_required("survivor")
def index():
    form = FilterForm(formdata=request.args)
    valid = form.validate()
    kept = form.chosen()
    rows, cursor = browse.browse(
        language=kept.get("language"),
        fmt=kept.get("format"),
        topic=kept.get("topic"),
        after=request.args.get("after") or None,
    )
    more_url = url_for("circles.index", **kept, after=cursor) if cursor else None
    template = "circles/_list.html" if htmx else "circles/index.html"
    return render(template, 200 if valid else 400, rows=rows, form=form, more_url=more_url)


@bp.get("/circles/<public_id>")
@roles_required("survivor")
def show(public_id):
    circle = get_circle_or_404(public_id, current_user)
    row = membership.membership(circle, current_user)
    member = row is not None and not row.waiting
    found = occurrences.upcoming(circle)
    counts = membership.numbers(circle, found)
    places = {s.key for s in found if membership.has_rsvp(circle, current_user, s.key)}
    return render(
        "circles/show.html",
        circle=circle,
        member=member,
        waiting=row is not None and row.waiting,
        own=circle.mentor_id == current_user.id,
        sessions=found,
        counts=counts,
        places=places,
        full=membership.open_places(circle, user=current_user) <= 0,
        calendar_form=CalendarForm(formdata=None),
    )


@bp.post("/circles/<public_id>/join")
@roles_required("survivor")
def join(public_id):
    circle = get_circle_or_404(public_id, current_user)
    if circle.mentor_id == current_user.id:
        flash(_("You run this circle."), "error")
        return _back(circle)
    if not once.claim(request.form.get("once")):  # a double tap: the first one counted
        return _back(circle)
    outcome = membership.join(circle, current_user)
    if outcome == "waiting":
        flash(_("The circle is full. You have a place on the waiting list."))
    else:
        flash(_("You have joined the circle."))
    return _back(circle)


@bp.post("/circles/<public_id>/leave")
@roles_required("survivor")
def leave(public_id):
    circle = get_circle_or_404(public_id, current_user)
    if membership.leave(circle, current_user):
        flash(_("You have left the circle."))
    return _back(circle)


@bp.post("/circles/<public_id>/sessions/<token>/place")
@roles_required("survivor")
def take_place(public_id, token):
    circle = get_circle_or_404(public_id, current_user)
    session = get_session_or_404(circle, token)
    if not once.claim(request.form.get("once")):
        return _back(circle)
    outcome = membership.rsvp(circle, current_user, session)
    messages = {
        "ok": (_("You have a place at this session."), "message"),
        "full": (_("This session is full."), "error"),
        "member": (_("You are already a member of this circle."), "message"),
        "closed": (_("This session is not taking places."), "error"),
    }
    flash(*messages[outcome])
    return _back(circle)


@bp.post("/circles/<public_id>/sessions/<token>/give-up")
@roles_required("survivor")
def give_up_place(public_id, token):
    circle = get_circle_or_404(public_id, current_user)
    session = get_session_or_404(circle, token)
    membership.cancel_rsvp(circle, current_user, session)
    flash(_("You have given up your place at this session."))
    return _back(circle)


@bp.get("/circles/<public_id>/event.ics")
@roles_required("survivor", "mentor")
def calendar_file(public_id):
    circle = get_circle_or_404(public_id, current_user, need="member")
    form = CalendarForm(formdata=request.args)
    place = circle.place if form.with_place else None
    body = occurrences.ics(circle, title=form.title_text, place=place)
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": 'attachment; filename="event.ics"'},
    )


# --- mentors -----------------------------------------------------------------------------------


@bp.get("/circles/run")
@roles_required("mentor")
def mine():
    circles = browse.mentor_circles(current_user)
    now = utcnow()
    rows = [
        {
            "circle": c,
            "next": occurrences.next_session(c, now),
            "members": membership.member_count(c),
            "waiting": membership.waiting_count(c),
        }
        for c in circles
    ]
    return render("circles/mine.html", rows=rows)


@bp.route("/circles/run/new", methods=["GET", "POST"])
@roles_required("mentor")
def new():
    today = today_for(current_user)
    starting = {
        "timezone": current_user.timezone,
        "capacity": 8,
        "duration": 90,
        "repeat": Repeat.WEEKLY,
        "ends": "count",
        "count": 8,
        "first_date": today,
        "start_time": time(18, 0),
    }
    form = CircleForm(today=today, data=None if request.method == "POST" else starting)
    if not form.validate_on_submit():
        return render("circles/new.html", 422 if form.is_submitted() else 200, form=form)
    if not once.claim(request.form.get("once")):
        return redirect(url_for("circles.mine"), code=303)
    circle = hosting.create_circle(current_user, form.circle_data())
    flash(_("Your circle is posted."))
    return _back(circle, "circles.manage")


@bp.get("/circles/run/<public_id>")
@roles_required("mentor")
def manage(public_id):
    circle = get_circle_or_404(public_id, current_user, need="host")
    now = utcnow()
    found = occurrences.sessions(circle, now - occurrences.HOME_AHEAD, now + occurrences.AHEAD)
    return render(
        "circles/manage.html",
        circle=circle,
        sessions=found,
        counts=membership.numbers(circle, found),
        members=membership.members(circle),
        waiting=membership.members(circle, waiting=True),
        now=now,
    )


def _session_page(circle, session, status=200, *, move_form=None, cancel_form=None):
    people = membership.expected(circle, session)
    marked = hosting.attendance(circle, session)
    came = [person.public_id for person, _single in people if marked.get(person.id)]
    return render(
        "circles/session.html",
        status,
        circle=circle,
        session=session,
        people=people,
        started=session.start <= utcnow(),
        attendance_form=AttendanceForm(formdata=None, people=people, data={"present": came}),
        move_form=move_form or MoveForm(formdata=None),
        cancel_form=cancel_form or NoteForm(formdata=None),
    )


@bp.get("/circles/run/<public_id>/sessions/<token>")
@roles_required("mentor")
def session_page(public_id, token):
    circle = get_circle_or_404(public_id, current_user, need="host")
    return _session_page(circle, get_session_or_404(circle, token))


def _to_session(circle, session):
    return redirect(
        url_for("circles.session_page", public_id=circle.public_id, token=session.token),
        code=303,
    )


@bp.post("/circles/run/<public_id>/sessions/<token>/cancel")
@roles_required("mentor")
def cancel(public_id, token):
    circle = get_circle_or_404(public_id, current_user, need="host")
    session = get_session_or_404(circle, token)
    form = NoteForm()
    if not form.validate():
        return _session_page(circle, session, 422, cancel_form=form)
    hosting.cancel_session(circle, session, form.note_text)
    flash(_("The session is cancelled. Members see this on their home page."))
    return _to_session(circle, session)


@bp.post("/circles/run/<public_id>/sessions/<token>/move")
@roles_required("mentor")
def move(public_id, token):
    circle = get_circle_or_404(public_id, current_user, need="host")
    session = get_session_or_404(circle, token)
    form = MoveForm(tzid=circle.tzid, now=utcnow())
    if not form.validate():
        return _session_page(circle, session, 422, move_form=form)
    hosting.move_session(circle, session, form.new_start, form.note_text)
    flash(_("The session is moved. Members see this on their home page."))
    return _to_session(circle, session)


@bp.post("/circles/run/<public_id>/sessions/<token>/restore")
@roles_required("mentor")
def restore(public_id, token):
    circle = get_circle_or_404(public_id, current_user, need="host")
    session = get_session_or_404(circle, token)
    hosting.restore_session(circle, session)
    flash(_("The session is back at its usual time."))
    return _to_session(circle, session)


@bp.post("/circles/run/<public_id>/sessions/<token>/attendance")
@roles_required("mentor")
def mark_attendance(public_id, token):
    circle = get_circle_or_404(public_id, current_user, need="host")
    session = get_session_or_404(circle, token)
    if session.cancelled or session.start > utcnow():
        return _session_page(circle, session, 400)
    form = AttendanceForm()
    form.validate()  # any id is accepted here: the service keeps only the people expected
    came = hosting.mark_attendance(circle, session, form.present_ids)
    flash(ngettext("Saved: %(num)s person came.", "Saved: %(num)s people came.", came))
    return _to_session(circle, session)


# --- home panels and navigation ----------------------------------------------------------------


@home_panel("survivor", order=40)
def survivor_panel(user) -> str:
    return render_template(
        "circles/_home_panel.html",
        entries=browse.home_sessions(user),
        waiting=browse.waiting_circles(user),
        when=when,
    )


@home_panel("mentor", order=20)
def mentor_panel(user) -> str:
    now = utcnow()
    rows = []
    for circle in browse.mentor_circles(user):
        found = occurrences.upcoming(circle, now, occurrences.HOME_AHEAD)[:3]
        rows.append(
            {"circle": circle, "sessions": found, "counts": membership.numbers(circle, found)}
        )
    return render_template("circles/_mentor_panel.html", rows=rows, when=when)


nav_item("circles.index", _l("Circles"), roles=("survivor",), order=40)
nav_item("circles.mine", _l("Circles I run"), roles=("mentor",), order=41)
