"""Queries and writes for appointments. Access is decided in one place:
`visible_appointments(user)` (a query) and `get_visible_appointment_or_404`.

Consent (issue 9, survivorapp/privacy): staff see a survivor's appointments by these rules,
applied in SQL by `visible_appointments` so every staff list and page follows them:
- Appointments booked by staff: area "booked_appointments" (shared by default). When the
  survivor keeps it private, the member of staff who booked an appointment still sees THAT
  appointment (they made it and attend it: the slot is theirs too), but no other member of
  staff sees it. Reschedule requests follow their appointment: a request on an appointment
  the booker still sees stays visible to them, because the survivor sent it to them.
- Appointments the survivor added: area "own_appointments" (private by default) is the master
  switch AND the default of each appointment's own "share" tick. Staff see one only when the
  area is shared AND the appointment is ticked. New appointments start ticked exactly when the
  area is shared; turning the area off hides them all at once, turning it on again shows the
  ticked ones only.
Every staff look at one appointment or request is logged (privacy.services.log_access) and
shown to the survivor on /privacy/access.

Time zones: forms take a local date and time in a zone (the viewer's own by default) and
`to_utc` converts them. A local time that does not exist (it falls in a daylight-saving gap,
such as 01:30 in London on the last Sunday of March) is refused with a message. A local time
that happens twice (when clocks go back) means its FIRST occurrence (fold=0, still summer time).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from flask import abort
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, delete, false, or_, select
from sqlalchemy import update as sql_update
from sqlalchemy.orm import selectinload

from ..accounts.events import passkey_removed
from ..accounts.models import Passkey, Role, User
from ..database import is_public_id, utcnow
from ..extensions import db
from ..i18n import next_week_starts
from ..ics import Event, calendar, event_uid
from ..localtime import gap_error, to_utc
from ..people.caseload import caseload_ids, caseload_query, on_caseload
from ..privacy import areas, consent
from ..privacy.registry import eraser, exporter
from ..privacy.services import log_access
from ..security import audit
from ..settings import org_setting
from .models import (
    Appointment,
    CalendarFeed,
    Kind,
    Outcome,
    RequestStatus,
    RescheduleRequest,
    Status,
)

KIND_LABELS = {
    Kind.COUNSELLING: _l("Counselling"),
    Kind.LEGAL_AID: _l("Legal aid"),
    Kind.HOUSING: _l("Housing check-in"),
    Kind.TRAINING: _l("Training or class"),
    Kind.HEALTH: _l("Health"),
    Kind.OTHER: _l("Other"),
}
STATUS_LABELS = {
    Status.SCHEDULED: _l("Not confirmed yet"),
    Status.CONFIRMED: _l("Confirmed"),
    Status.CANCELLED: _l("Cancelled"),
}
OUTCOME_LABELS = {
    Outcome.ATTENDED: _l("Attended"),
    Outcome.MISSED: _l("Missed"),
}

PAST_LIMIT = timedelta(days=366)  # how far back a date may be entered
FUTURE_LIMIT = timedelta(days=5 * 365)  # and how far ahead
MAX_PLACE = 200
MAX_LINK = 500
MAX_NOTE = 2000
MAX_MESSAGE = 1000
MAX_TITLE = 60
UPCOMING_DAYS = 14
SOON = timedelta(hours=24)
FEED_PAST = timedelta(days=30)

DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
TIME_RE = re.compile(r"\d{1,2}:\d{2}(:\d{2})?")


# --- time zones -----------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def valid_zone(name: str | None) -> bool:
    return bool(name) and len(name) <= 64 and name in _zone_names()


def zone_of(user: User) -> ZoneInfo:
    return ZoneInfo(user.timezone) if valid_zone(user.timezone) else ZoneInfo("UTC")


@lru_cache(maxsize=1)
def _zone_lookup() -> dict[str, str]:
    return {name.casefold(): name for name in _zone_names()}


def read_zone_form(raw) -> Form:
    """A person's own time zone, typed as an IANA name (any letter case)."""
    form = form_from(raw, ("timezone",))
    typed = form.get("timezone").strip()
    name = _zone_lookup().get(typed.casefold()) if len(typed) <= 64 else None
    if not typed:
        form.errors["timezone"] = _("Enter a time zone, for example Asia/Bangkok.")
    elif name is None:
        form.errors["timezone"] = _(
            "We do not know that time zone. Use the form Region/City, for example Asia/Bangkok."
        )
    form.data["timezone"] = name
    return form


def set_zone(user: User, name: str) -> None:
    user.timezone = name
    audit.record("timezone_changed", actor=user, subject=user)
    db.session.commit()


def local(moment: datetime, zone: ZoneInfo) -> datetime:
    return moment.astimezone(zone)


# --- forms ----------------------------------------------------------------------------------


@dataclass
class Form:
    """What the person typed (kept as typed) and a message per field that needs fixing."""

    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    data: dict[str, object] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def get(self, name: str) -> str:
        return self.values.get(name, "")


def read_when(form: Form, *, prefix: str = "") -> None:
    """Date, start time, end time and time zone -> form.data start/end in UTC."""
    d_name, s_name, e_name, z_name = (prefix + n for n in ("date", "start", "end", "timezone"))
    zone = None
    zone_name = form.get(z_name)
    if not valid_zone(zone_name):
        form.errors[z_name] = _("Choose a time zone from the list.")
    else:
        zone = ZoneInfo(zone_name)
    day = None
    raw_day = form.get(d_name)
    if not raw_day:
        form.errors[d_name] = _("Enter a date.")
    elif not DATE_RE.fullmatch(raw_day):
        form.errors[d_name] = _("Enter the date as year-month-day, for example 2027-03-28.")
    else:
        try:
            day = date.fromisoformat(raw_day)
        except ValueError:
            form.errors[d_name] = _("That date does not exist. Check the day and month.")
    if day is not None:
        today = utcnow().date()
        if day > today + FUTURE_LIMIT:
            form.errors[d_name] = _("Choose a date within the next five years.")
            day = None
        elif day < today - PAST_LIMIT:
            form.errors[d_name] = _("Choose a date within the last year or later.")
            day = None
    clocks = {}
    for name, missing in (
        (s_name, _("Enter a start time.")),
        (e_name, _("Enter an end time.")),
    ):
        raw = form.get(name)
        if not raw:
            form.errors[name] = missing
            continue
        try:
            if not TIME_RE.fullmatch(raw):
                raise ValueError
            clocks[name] = time.fromisoformat(raw if len(raw.split(":")[0]) == 2 else "0" + raw)
        except ValueError:
            form.errors[name] = _("Enter the time as hours and minutes, for example 14:30.")
    if day is None or zone is None or len(clocks) != 2:
        return
    moments = {}
    for name in (s_name, e_name):
        gap = gap_error(day, clocks[name], zone, zone_name)
        if gap:
            form.errors[name] = gap
        else:
            moments[name] = to_utc(day, clocks[name], zone)
    if len(moments) != 2:
        return
    if moments[e_name] <= moments[s_name]:
        form.errors[e_name] = _("The end must be after the start.")
        return
    form.data[prefix + "starts_at"] = moments[s_name]
    form.data[prefix + "ends_at"] = moments[e_name]


def _limited(form: Form, name: str, limit: int, message) -> str | None:
    value = form.get(name).strip()
    if len(value) > limit:
        form.errors[name] = message
    return value or None


def read_details(form: Form) -> None:
    kind = form.get("kind")
    if kind not in {k.value for k in Kind}:
        form.errors["kind"] = _("Choose what kind of appointment this is.")
    else:
        form.data["kind"] = Kind(kind)
    form.data["place"] = _limited(
        form, "place", MAX_PLACE, _("Keep the place under %(n)d characters.", n=MAX_PLACE)
    )
    link = _limited(form, "link", MAX_LINK, _("Keep the link under %(n)d characters.", n=MAX_LINK))
    if link and "link" not in form.errors and not re.fullmatch(r"https?://[^\s/]+\S*", link):
        form.errors["link"] = _("Enter a web address starting with https://")
    form.data["link"] = link
    form.data["note"] = _limited(
        form, "note", MAX_NOTE, _("Keep the note under %(n)d characters.", n=MAX_NOTE)
    )


def form_from(raw, names: tuple[str, ...]) -> Form:
    return Form({n: (raw.get(n) if isinstance(raw.get(n), str) else "") or "" for n in names})


APPOINTMENT_FIELDS = (
    "survivor",
    "kind",
    "date",
    "start",
    "end",
    "timezone",
    "place",
    "link",
    "note",
    "shared",
)


def blank_appointment_form(user: User) -> Form:
    """A new appointment's share tick starts as the survivor's "own appointments" choice."""
    shares = own_appointments_shared(user)
    return Form(
        {n: "" for n in APPOINTMENT_FIELDS}
        | {"timezone": user.timezone, "shared": "1" if shares else ""}
    )


def appointment_form_for(appointment: Appointment, user: User) -> Form:
    zone = zone_of(user)
    start, end = local(appointment.starts_at, zone), local(appointment.ends_at, zone)
    return Form(
        {
            "survivor": appointment.survivor.public_id,
            "kind": appointment.kind.value,
            "date": start.date().isoformat(),
            "start": start.strftime("%H:%M"),
            "end": end.strftime("%H:%M"),
            "timezone": zone.key,
            "place": appointment.place or "",
            "link": appointment.link or "",
            "note": appointment.note or "",
            "shared": "1" if appointment.shared else "",
        }
    )


def read_appointment_form(raw, user: User, *, editing: Appointment | None = None) -> Form:
    form = form_from(raw, APPOINTMENT_FIELDS)
    if editing is not None:
        form.data["survivor"] = editing.survivor
    elif user.has_role(Role.STAFF) and form.get("survivor"):
        chosen = form.get("survivor")
        person = (
            db.session.scalar(caseload_query(user.id).where(User.public_id == chosen))
            if is_public_id(chosen)
            else None
        )
        if person is None:
            form.errors["survivor"] = _("Choose a person from your list.")
        form.data["survivor"] = person
    elif user.has_role(Role.SURVIVOR):
        form.data["survivor"] = user
    else:
        form.errors["survivor"] = _("Choose a person from your list.")
    read_details(form)
    read_when(form)
    form.data["shared"] = form.get("shared") in ("1", "on", "yes")
    return form


# --- access ---------------------------------------------------------------------------------


def visible_appointments(user: User) -> Select:
    """Every appointment `user` may see, as a query: the ONE place access is decided.

    A survivor sees their own. Staff see, for survivors on their caseload only, what they
    booked themselves, appointments other staff booked when the survivor shares
    "booked_appointments", and ticked appointments the survivor added when they share
    "own_appointments" (see the module docstring). Mentors, as mentors, see none.
    """
    conditions = []
    if user.has_role(Role.SURVIVOR):
        conditions.append(Appointment.survivor_id == user.id)
    if user.has_role(Role.STAFF):
        mine = caseload_ids(user.id)
        by_survivor = Appointment.created_by_id == Appointment.survivor_id
        by_staff = or_(
            Appointment.created_by_id.is_(None),
            Appointment.created_by_id != Appointment.survivor_id,
        )
        conditions.append(
            and_(
                Appointment.survivor_id.in_(mine),
                or_(
                    and_(Appointment.created_by_id == user.id, by_staff),
                    and_(
                        by_staff,
                        consent.allows_clause(Appointment.survivor_id, areas.BOOKED_APPOINTMENTS),
                    ),
                    and_(
                        by_survivor,
                        Appointment.shared.is_(True),
                        consent.allows_clause(Appointment.survivor_id, areas.OWN_APPOINTMENTS),
                    ),
                ),
            )
        )
    return select(Appointment).where(or_(*conditions) if conditions else false())


def get_visible_appointment_or_404(public_id: str, user: User) -> Appointment:
    if not is_public_id(public_id):
        abort(404)
    appointment = db.session.scalar(
        visible_appointments(user).where(Appointment.public_id == public_id)
    )
    if appointment is None:
        abort(404)
    _log_staff_look(appointment, user)
    return appointment


def own_appointments_shared(user: User) -> bool:
    """The survivor's "own appointments" master switch (False for anyone not a survivor)."""
    return user.has_role(Role.SURVIVOR) and consent.allows(user.id, areas.OWN_APPOINTMENTS)


def consent_area_of(appointment: Appointment) -> str:
    if appointment.booked_by_survivor:
        return areas.OWN_APPOINTMENTS
    return areas.BOOKED_APPOINTMENTS


def _log_staff_look(appointment: Appointment, user: User, *, request: bool = False) -> None:
    """Log a look by anyone but the survivor (never the place or note: kind and day only)."""
    if appointment.survivor_id == user.id:
        return
    survivor = appointment.survivor
    with force_locale(survivor.locale or org_setting("DEFAULT_LOCALE")):  # the log is theirs
        day = format_date(local(appointment.starts_at, zone_of(survivor)).date(), "medium")
        kind = str(KIND_LABELS.get(appointment.kind, appointment.kind))
        what = (
            _("Request to move: %(kind)s, %(day)s", kind=kind, day=day)
            if request
            else _("%(kind)s, %(day)s", kind=kind, day=day)
        )
    log_access(user, survivor, consent_area_of(appointment), what)


def is_owner(appointment: Appointment, user: User) -> bool:
    return appointment.survivor_id == user.id


def can_edit(appointment: Appointment, user: User) -> bool:
    """Survivors edit what they booked themselves; staff edit what staff booked."""
    if appointment.cancelled:
        return False
    if appointment.booked_by_survivor:
        return is_owner(appointment, user)
    return user.has_role(Role.STAFF) and on_caseload(user.id, appointment.survivor_id)


def can_answer(appointment: Appointment, user: User) -> bool:
    return (
        user.has_role(Role.STAFF)
        and not is_owner(appointment, user)
        and on_caseload(user.id, appointment.survivor_id)
    )


def can_record_outcome(appointment: Appointment, user: User) -> bool:
    """Who may say whether an appointment took place (once it has ended): the person it is
    for, on any of their appointments; staff who can see it, on appointments the team booked
    (the caseload rule, as for answering requests). An entry a survivor added to their own
    diary is theirs alone to mark, even when they share it."""
    if is_owner(appointment, user):
        return True
    return (
        not appointment.booked_by_survivor
        and user.has_role(Role.STAFF)
        and on_caseload(user.id, appointment.survivor_id)
    )


# --- lists ----------------------------------------------------------------------------------


def _listed(query: Select, *, own: bool = False) -> list[Appointment]:
    """Run a list query with what list templates show loaded up front (no query per row).
    In a person's own list the survivor is that person, already loaded: no query for it."""
    options = [selectinload(Appointment.requests)]
    if not own:
        options.append(selectinload(Appointment.survivor))
    return list(db.session.scalars(query.options(*options)))


def own_upcoming(user: User, *, days: int | None = None) -> list[Appointment]:
    now = utcnow()
    query = visible_appointments(user).where(
        Appointment.survivor_id == user.id,
        Appointment.status != Status.CANCELLED,
        Appointment.ends_at >= now,
    )
    if days is not None:
        query = query.where(Appointment.starts_at < now + timedelta(days=days))
    return _listed(query.order_by(Appointment.starts_at), own=True)


def has_later(user: User) -> bool:
    """Whether the survivor has appointments beyond the coming two weeks."""
    query = visible_appointments(user).where(
        Appointment.survivor_id == user.id,
        Appointment.status != Status.CANCELLED,
        Appointment.starts_at >= utcnow() + timedelta(days=UPCOMING_DAYS),
    )
    return db.session.scalar(query.with_only_columns(Appointment.id).limit(1)) is not None


def own_past(user: User, *, limit: int = 30) -> list[Appointment]:
    """Past and cancelled appointments, newest first."""
    now = utcnow()
    query = visible_appointments(user).where(
        Appointment.survivor_id == user.id,
        or_(Appointment.ends_at < now, Appointment.status == Status.CANCELLED),
    )
    return _listed(query.order_by(Appointment.starts_at.desc()).limit(limit), own=True)


def staff_upcoming(
    user: User, *, days: int = UPCOMING_DAYS, until: datetime | None = None
) -> list[Appointment]:
    now = utcnow()
    query = visible_appointments(user).where(
        Appointment.survivor_id != user.id,
        Appointment.ends_at >= now,
        Appointment.starts_at < (until or now + timedelta(days=days)),
    )
    return _listed(query.order_by(Appointment.starts_at))


def staff_this_week(user: User) -> list[Appointment]:
    """From now to the end of this week in the person's time zone, the week starting on the
    day their language's region starts it."""
    today = local(utcnow(), zone_of(user)).date()
    next_week = next_week_starts(today, user.locale or org_setting("DEFAULT_LOCALE"))
    until = datetime.combine(next_week, time(0), tzinfo=zone_of(user))
    return staff_upcoming(user, until=until.astimezone(UTC))


def request_queue(user: User) -> list[RescheduleRequest]:
    """Open reschedule requests on appointments this member of staff may see."""
    visible = visible_appointments(user).where(Appointment.survivor_id != user.id)
    ids = visible.with_only_columns(Appointment.id)
    query = (
        select(RescheduleRequest)
        .where(
            RescheduleRequest.status == RequestStatus.OPEN,
            RescheduleRequest.appointment_id.in_(ids),
        )
        .order_by(RescheduleRequest.created_at)
        .options(selectinload(RescheduleRequest.appointment).selectinload(Appointment.survivor))
    )
    return list(db.session.scalars(query))


def recently_cancelled(user: User, *, days: int = 14) -> list[Appointment]:
    """Appointments a survivor on the caseload cancelled lately, for staff to notice."""
    now = utcnow()
    query = visible_appointments(user).where(
        Appointment.survivor_id != user.id,
        Appointment.status == Status.CANCELLED,
        Appointment.updated_at >= now - timedelta(days=days),
        Appointment.ends_at >= now,
    )
    return _listed(query.order_by(Appointment.starts_at))


def caseload(user: User) -> list[User]:
    return list(db.session.scalars(caseload_query(user.id)))


# --- writes ---------------------------------------------------------------------------------


def create(form: Form, user: User) -> Appointment:
    survivor: User = form.data["survivor"]
    by_self = survivor.id == user.id
    appointment = Appointment(
        survivor_id=survivor.id,
        created_by_id=user.id,
        kind=form.data["kind"],
        starts_at=form.data["starts_at"],
        ends_at=form.data["ends_at"],
        place=form.data["place"],
        link=form.data["link"],
        note=form.data["note"],
        shared=bool(form.data["shared"]) if by_self else True,
        status=Status.CONFIRMED if by_self else Status.SCHEDULED,
    )
    db.session.add(appointment)
    db.session.flush()
    audit.record(
        "appointment_created", actor=user, subject=survivor, appointment=appointment.public_id
    )
    db.session.commit()
    return appointment


def update(appointment: Appointment, form: Form, user: User) -> None:
    moved = (appointment.starts_at, appointment.ends_at) != (
        form.data["starts_at"],
        form.data["ends_at"],
    )
    appointment.kind = form.data["kind"]
    appointment.starts_at = form.data["starts_at"]
    appointment.ends_at = form.data["ends_at"]
    appointment.place = form.data["place"]
    appointment.link = form.data["link"]
    appointment.note = form.data["note"]
    if appointment.booked_by_survivor:
        appointment.shared = bool(form.data["shared"])
    elif moved:
        appointment.status = Status.SCHEDULED  # a new time asks for a new confirmation
    if moved:
        forget_outcome(appointment)
    appointment.sequence += 1
    audit.record(
        "appointment_changed",
        actor=user,
        subject=appointment.survivor_id,
        appointment=appointment.public_id,
    )
    db.session.commit()


def confirm(appointment: Appointment, user: User) -> None:
    appointment.status = Status.CONFIRMED
    appointment.sequence += 1
    db.session.commit()


def cancel(appointment: Appointment, user: User) -> None:
    appointment.status = Status.CANCELLED
    appointment.sequence += 1
    forget_outcome(appointment)  # a cancelled appointment neither took place nor was missed
    for request in appointment.requests:
        if request.status == RequestStatus.OPEN:
            request.status = RequestStatus.WITHDRAWN
    audit.record(
        "appointment_cancelled",
        actor=user,
        subject=appointment.survivor_id,
        appointment=appointment.public_id,
    )
    db.session.commit()


def forget_outcome(appointment: Appointment) -> None:
    """A moved or cancelled appointment is no longer the one whose outcome was recorded."""
    appointment.outcome = None
    appointment.outcome_by_id = None
    appointment.outcome_at = None


OUTCOME_FIELDS = ("outcome",)


def outcome_form_for(appointment: Appointment) -> Form:
    return Form({"outcome": appointment.outcome.value if appointment.outcome else ""})


def read_outcome_form(raw, appointment: Appointment, *, now: datetime | None = None) -> Form:
    """Attended or missed, only once the appointment has ended and if it was not cancelled."""
    form = form_from(raw, OUTCOME_FIELDS)
    choice = form.get("outcome")
    if appointment.cancelled:
        form.errors["outcome"] = _("This appointment was cancelled.")
    elif not appointment.ended(now or utcnow()):
        form.errors["outcome"] = _("You can mark this once the appointment has ended.")
    elif choice not in {o.value for o in Outcome}:
        form.errors["outcome"] = _("Choose an answer.")
    else:
        form.data["outcome"] = Outcome(choice)
    return form


def record_outcome(appointment: Appointment, outcome: Outcome, user: User) -> None:
    """Record (or change) whether the appointment took place, and who said so. Saying the
    same again changes nothing, so whoever said it first stays named."""
    if appointment.outcome == outcome:
        return
    appointment.outcome = outcome
    appointment.outcome_by_id = user.id
    appointment.outcome_at = utcnow()
    audit.record(
        "appointment_outcome_recorded",
        actor=user,
        subject=appointment.survivor_id,
        appointment=appointment.public_id,
        outcome=outcome.value,
    )
    db.session.commit()


RESCHEDULE_FIELDS = ("date", "start", "end", "timezone", "message")


def blank_reschedule_form(appointment: Appointment, user: User) -> Form:
    zone = zone_of(user)
    start, end = local(appointment.starts_at, zone), local(appointment.ends_at, zone)
    return Form(
        {
            "date": start.date().isoformat(),
            "start": start.strftime("%H:%M"),
            "end": end.strftime("%H:%M"),
            "timezone": zone.key,
            "message": "",
        }
    )


def read_reschedule_form(raw) -> Form:
    form = form_from(raw, RESCHEDULE_FIELDS)
    read_when(form)
    form.data["message"] = _limited(
        form,
        "message",
        MAX_MESSAGE,
        _("Keep the message under %(n)d characters.", n=MAX_MESSAGE),
    )
    return form


def move_own(appointment: Appointment, form: Form, user: User) -> None:
    """A survivor moves an appointment they booked themselves: nobody else to ask."""
    appointment.starts_at = form.data["starts_at"]
    appointment.ends_at = form.data["ends_at"]
    appointment.sequence += 1
    forget_outcome(appointment)
    db.session.commit()


def request_reschedule(appointment: Appointment, form: Form, user: User) -> RescheduleRequest:
    for earlier in appointment.requests:
        if earlier.status == RequestStatus.OPEN:
            earlier.status = RequestStatus.WITHDRAWN
    request = RescheduleRequest(
        suggested_start=form.data["starts_at"],
        suggested_end=form.data["ends_at"],
        message=form.data["message"],
    )
    appointment.requests.append(request)
    db.session.flush()
    audit.record(
        "appointment_move_requested",
        actor=user,
        subject=appointment.survivor_id,
        appointment=appointment.public_id,
    )
    db.session.commit()
    return request


ANSWER_FIELDS = (
    "decision",
    "note",
    "new_date",
    "new_start",
    "new_end",
    "new_timezone",
)
DECISIONS = ("accept", "decline", "propose")


def blank_answer_form(request: RescheduleRequest, user: User) -> Form:
    zone = zone_of(user)
    start = local(request.suggested_start, zone)
    end = local(request.suggested_end, zone)
    return Form(
        {
            "decision": "accept",
            "note": "",
            "new_date": start.date().isoformat(),
            "new_start": start.strftime("%H:%M"),
            "new_end": end.strftime("%H:%M"),
            "new_timezone": zone.key,
        }
    )


def read_answer_form(raw) -> Form:
    form = form_from(raw, ANSWER_FIELDS)
    decision = form.get("decision")
    if decision not in DECISIONS:
        form.errors["decision"] = _("Choose an answer.")
    form.data["note"] = _limited(
        form, "note", MAX_MESSAGE, _("Keep the note under %(n)d characters.", n=MAX_MESSAGE)
    )
    if decision == "propose":
        read_when(form, prefix="new_")
    return form


def get_request_or_404(public_id: str, user: User) -> RescheduleRequest:
    """A reschedule request on an appointment `user` may see (the same access rule)."""
    if not is_public_id(public_id):
        abort(404)
    ids = visible_appointments(user).with_only_columns(Appointment.id)
    request = db.session.scalar(
        select(RescheduleRequest).where(
            RescheduleRequest.public_id == public_id, RescheduleRequest.appointment_id.in_(ids)
        )
    )
    if request is None:
        abort(404)
    _log_staff_look(request.appointment, user, request=True)
    return request


def answer(request: RescheduleRequest, form: Form, user: User) -> None:
    appointment = request.appointment
    decision = form.get("decision")
    request.answer_note = form.data["note"]
    request.answered_by_id = user.id
    request.answered_at = utcnow()
    if decision == "accept":
        request.status = RequestStatus.ACCEPTED
        appointment.starts_at = request.suggested_start
        appointment.ends_at = request.suggested_end
        appointment.status = Status.CONFIRMED  # the survivor chose this time
        forget_outcome(appointment)
    elif decision == "propose":
        request.status = RequestStatus.COUNTERED
        appointment.starts_at = form.data["new_starts_at"]
        appointment.ends_at = form.data["new_ends_at"]
        appointment.status = Status.SCHEDULED
        forget_outcome(appointment)
    else:
        request.status = RequestStatus.DECLINED
    appointment.sequence += 1
    audit.record(
        "appointment_move_answered",
        actor=user,
        subject=appointment.survivor_id,
        appointment=appointment.public_id,
        decision=request.status.value,
    )
    db.session.commit()


# --- calendar feed --------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def get_feed(user: User) -> CalendarFeed | None:
    return db.session.get(CalendarFeed, user.id)


def _feed(user: User) -> CalendarFeed:
    feed = get_feed(user)
    if feed is None:
        feed = CalendarFeed(user_id=user.id)
        db.session.add(feed)
    return feed


def issue_feed_token(user: User, passkey_id: int | None = None) -> str:
    """A new private feed address; any earlier one stops working. Only the hash is kept.
    It remembers the passkey of the session that made it: removing that passkey ends it."""
    token = secrets.token_urlsafe(32)
    feed = _feed(user)
    feed.token_hash = token_hash(token)
    feed.created_at = utcnow()
    feed.passkey_id = passkey_id
    audit.record("calendar_feed_issued", actor=user, subject=user)
    db.session.commit()
    return token


def revoke_feed(user: User, *, commit: bool = True) -> bool:
    feed = get_feed(user)
    if feed is None or not feed.token_hash:
        return False
    feed.token_hash = None
    feed.created_at = None
    feed.passkey_id = None
    audit.record("calendar_feed_revoked", actor=user, subject=user)
    if commit:
        db.session.commit()
    return True


@passkey_removed.connect
def _feed_ends_with_its_passkey(user: User, passkey_id: int, **_) -> None:
    feed = get_feed(user)
    if feed is not None and feed.passkey_id == passkey_id:
        revoke_feed(user, commit=False)


FEED_FIELDS = ("title", "show_kind", "show_place", "show_note", "show_organisation")


def feed_form_for(feed: CalendarFeed | None) -> Form:
    return Form(
        {
            "title": (feed.title if feed else None) or "",
            "show_kind": "1" if feed and feed.show_kind else "",
            "show_place": "1" if feed and feed.show_place else "",
            "show_note": "1" if feed and feed.show_note else "",
            "show_organisation": "1" if feed and feed.show_organisation else "",
        }
    )


def read_feed_form(raw) -> Form:
    form = form_from(raw, FEED_FIELDS)
    title = form.get("title").strip()
    if len(title) > MAX_TITLE:
        form.errors["title"] = _("Keep the title under %(n)d characters.", n=MAX_TITLE)
    elif any(ord(c) < 32 for c in title):
        form.errors["title"] = _("Use letters, numbers and spaces only.")
    form.data["title"] = title or None
    return form


def save_feed_settings(user: User, form: Form) -> None:
    feed = _feed(user)
    feed.title = form.data["title"]
    for name in ("show_kind", "show_place", "show_note", "show_organisation"):
        setattr(feed, name, form.get(name) in ("1", "on", "yes"))
    db.session.commit()


def feed_is_live(feed: CalendarFeed | None, user: User) -> bool:
    """A feed address works while its owner's account does, and only if it was made after the
    account was last locked: a lost or taken phone's calendar app stops receiving at once."""
    if feed is None or not feed.token_hash or user.disabled_at is not None:
        return False
    if feed.passkey_id is not None:  # made in a session whose passkey has since gone
        made_with = db.session.get(Passkey, feed.passkey_id)
        if made_with is None or made_with.revoked_at is not None:
            return False
    locked_at = user.security.locked_at if user.security else None
    return locked_at is None or (feed.created_at is not None and feed.created_at > locked_at)


def feed_by_token(token: str | None) -> CalendarFeed | None:
    if not token or not isinstance(token, str) or len(token) > 128:
        return None
    feed = db.session.scalar(
        select(CalendarFeed).where(CalendarFeed.token_hash == token_hash(token))
    )
    if feed is None or not feed_is_live(feed, db.session.get(User, feed.user_id)):
        return None
    return feed


def neutral_title(feed: CalendarFeed | None, user: User) -> str:
    if feed is not None and feed.title:
        return feed.title
    with force_locale(user.locale or org_setting("DEFAULT_LOCALE")):
        return _("Meeting")


def event_for(appointment: Appointment, feed: CalendarFeed | None, user: User) -> Event:
    """One calendar entry, neutral unless the survivor opted in to more."""
    summary = neutral_title(feed, user)
    location = description = None
    if feed is not None:
        with force_locale(user.locale or org_setting("DEFAULT_LOCALE")):
            if feed.show_kind:
                summary = _(
                    "%(title)s: %(kind)s", title=summary, kind=str(KIND_LABELS[appointment.kind])
                )
            if feed.show_place:
                location = appointment.place or appointment.link
            parts = []
            if feed.show_place and appointment.place and appointment.link:
                parts.append(appointment.link)
            if feed.show_note and appointment.note:
                parts.append(appointment.note)
            if feed.show_organisation:
                parts.append(_("With %(name)s", name=org_setting("BRAND_NAME")))
            description = "\n\n".join(parts) or None
    return Event(
        uid=event_uid("appointment", appointment.public_id),
        start=appointment.starts_at,
        end=appointment.ends_at,
        summary=summary,
        location=location,
        description=description,
        status="CONFIRMED" if appointment.status == Status.CONFIRMED else "TENTATIVE",
        sequence=appointment.sequence,
        stamp=appointment.updated_at,
    )


def feed_calendar(feed: CalendarFeed) -> str:
    user = db.session.get(User, feed.user_id)
    now = utcnow()
    query = visible_appointments(user).where(
        Appointment.survivor_id == user.id,
        Appointment.status != Status.CANCELLED,
        Appointment.ends_at >= now - FEED_PAST,
    )
    events = [
        event_for(a, feed, user) for a in db.session.scalars(query.order_by(Appointment.starts_at))
    ]
    name = org_setting("BRAND_NAME") if feed.show_organisation else None
    return calendar(events, name=name)


def single_calendar(appointment: Appointment, user: User) -> str:
    """One appointment as a calendar file. The survivor's own settings apply to their own
    appointments; staff get the kind and place but never the person's name or the note."""
    if is_owner(appointment, user):
        feed = get_feed(user)
    else:
        feed = CalendarFeed(show_kind=True, show_place=True)
    return calendar([event_for(appointment, feed, user)])


# --- home -----------------------------------------------------------------------------------


@dataclass
class Day:
    day: date
    is_today: bool
    items: list[tuple[Appointment, bool]]  # (appointment, within 24 hours)


def coming_days(user: User) -> tuple[Appointment | None, list[Day], bool]:
    """Next up, the coming two weeks grouped by local day, and whether more come later."""
    zone = zone_of(user)
    now = utcnow()
    items = own_upcoming(user, days=UPCOMING_DAYS)
    today = now.astimezone(zone).date()
    days: list[Day] = []
    for appointment in items:
        day = appointment.starts_at.astimezone(zone).date()
        if not days or days[-1].day != day:
            days.append(Day(day, day <= today, []))
        days[-1].items.append((appointment, appointment.starts_at - now <= SOON))
    return (items[0] if items else None), days, has_later(user)


# --- privacy: export and deletion (issue 9) -------------------------------------------------


def _who(user: User, person_id: int | None):
    if person_id == user.id:
        return _l("You")
    return _l("The team") if person_id else _l("A former team member")


@exporter("appointments", label=_l("Appointments"), order=30)
def export_appointments(user: User) -> list[dict]:
    """Every appointment of the person, booked by them or by the team."""
    rows = db.session.scalars(
        select(Appointment)
        .where(Appointment.survivor_id == user.id)
        .order_by(Appointment.starts_at, Appointment.id)
    )
    return [
        {
            _l("What"): KIND_LABELS.get(a.kind, a.kind),
            _l("Starts"): a.starts_at,
            _l("Ends"): a.ends_at,
            _l("Place"): a.place,
            _l("Online link"): a.link,
            _l("Note"): a.note,
            _l("Status"): STATUS_LABELS.get(a.status, a.status),
            _l("Attended or missed"): OUTCOME_LABELS.get(a.outcome) if a.outcome else None,
            _l("Marked by"): _who(user, a.outcome_by_id) if a.outcome else None,
            _l("Marked on"): a.outcome_at if a.outcome else None,
            _l("Booked by"): _who(user, a.created_by_id),
            _l("Shared with the team"): a.shared if a.booked_by_survivor else None,
            _l("Added"): a.created_at,
        }
        for a in rows
    ]


REQUEST_LABELS = {
    RequestStatus.OPEN: _l("Waiting for an answer"),
    RequestStatus.ACCEPTED: _l("Accepted"),
    RequestStatus.DECLINED: _l("Declined"),
    RequestStatus.COUNTERED: _l("Another time was offered"),
    RequestStatus.WITHDRAWN: _l("Withdrawn"),
}


@exporter("appointment_requests", label=_l("Requests to move an appointment"), order=31)
def export_requests(user: User) -> list[dict]:
    rows = db.session.scalars(
        select(RescheduleRequest)
        .join(Appointment)
        .where(Appointment.survivor_id == user.id)
        .order_by(RescheduleRequest.created_at, RescheduleRequest.id)
    )
    return [
        {
            _l("Suggested start"): r.suggested_start,
            _l("Suggested end"): r.suggested_end,
            _l("Your message"): r.message,
            _l("Status"): REQUEST_LABELS.get(r.status, r.status),
            _l("Sent"): r.created_at,
            _l("Answered"): r.answered_at,
            _l("Answer"): r.answer_note,
        }
        for r in rows
    ]


@exporter("calendar_feed", label=_l("Calendar subscription"), order=32)
def export_calendar_feed(user: User) -> list[dict]:
    """The feed's settings; never its address or token (only whether one is active)."""
    feed = get_feed(user)
    if feed is None:
        return []
    return [
        {
            _l("Subscription address active"): feed.token_hash is not None,
            _l("Entry title"): feed.title,
            _l("Show the kind"): feed.show_kind,
            _l("Show the place"): feed.show_place,
            _l("Show the note"): feed.show_note,
            _l("Show the organisation"): feed.show_organisation,
            _l("Created"): feed.created_at,
            _l("Changed"): feed.updated_at,
        }
    ]


@eraser("appointments")
def erase_appointments(user: User) -> None:
    """A survivor's appointments (requests cascade) and feed go; what a member of staff booked
    or answered for others stays, unlinked from them (the foreign keys also SET NULL)."""
    ids = select(Appointment.id).where(Appointment.survivor_id == user.id)
    db.session.execute(delete(RescheduleRequest).where(RescheduleRequest.appointment_id.in_(ids)))
    db.session.execute(delete(Appointment).where(Appointment.survivor_id == user.id))
    db.session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == user.id))
    db.session.execute(
        sql_update(Appointment)
        .where(Appointment.created_by_id == user.id)
        .values(created_by_id=None)
    )
    db.session.execute(
        sql_update(Appointment)
        .where(Appointment.outcome_by_id == user.id)
        .values(outcome_by_id=None)
    )
    db.session.execute(
        sql_update(RescheduleRequest)
        .where(RescheduleRequest.answered_by_id == user.id)
        .values(answered_by_id=None)
    )
