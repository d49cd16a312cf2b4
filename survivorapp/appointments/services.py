"""Appointment lists and writes: create, change, confirm, cancel, and whether it took place.
Who may see what is decided in access.py; moving in reschedule.py; calendars in feed.py.
Services change and flush; the request's end commits (security/transactions.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import selectinload

from ..accounts.models import Role, User
from ..database import utcnow
from ..extensions import db
from ..i18n import next_week_starts
from ..localtime import valid_zone, zone_of
from ..people.caseload import caseload_query
from ..security import audit
from ..settings import org_setting
from .access import visible_appointments
from .models import Appointment, Kind, Outcome, RequestStatus, RescheduleRequest, Status

UPCOMING_DAYS = 14
SOON = timedelta(hours=24)


def set_zone(user: User, name: str) -> None:
    user.timezone = name
    audit.record("timezone_changed", actor=user, subject=user)


def caseload(user: User) -> list[User]:
    return list(db.session.scalars(caseload_query(user.id)))


def offered_zones(user: User) -> list[str]:
    """Time zones offered in a form: the viewer's own, for staff those of the people they
    support, and UTC."""
    zones = [zone_of(user).key]
    people = caseload(user) if user.has_role(Role.STAFF) else []
    for name in (p.timezone for p in people):
        if valid_zone(name) and name not in zones:
            zones.append(name)
    if "UTC" not in zones:
        zones.append("UTC")
    return zones


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
    today = utcnow().astimezone(zone_of(user)).date()
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


# --- writes ---------------------------------------------------------------------------------


def create(
    user: User,
    survivor: User,
    *,
    kind: str,
    starts_at: datetime,
    ends_at: datetime,
    place: str | None,
    link: str | None,
    note: str | None,
    shared: bool,
) -> Appointment:
    """A new appointment. One a survivor adds for themselves is confirmed and shared as they
    ticked; one staff book waits for the survivor's confirmation."""
    by_self = survivor.id == user.id
    appointment = Appointment(
        survivor_id=survivor.id,
        created_by_id=user.id,
        kind=Kind(kind),
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        link=link,
        note=note,
        shared=shared if by_self else True,
        status=Status.CONFIRMED if by_self else Status.SCHEDULED,
    )
    db.session.add(appointment)
    db.session.flush()
    audit.record(
        "appointment_created", actor=user, subject=survivor, appointment=appointment.public_id
    )
    return appointment


def update(
    appointment: Appointment,
    user: User,
    *,
    kind: str,
    starts_at: datetime,
    ends_at: datetime,
    place: str | None,
    link: str | None,
    note: str | None,
    shared: bool,
) -> None:
    moved = (appointment.starts_at, appointment.ends_at) != (starts_at, ends_at)
    appointment.kind = Kind(kind)
    appointment.starts_at = starts_at
    appointment.ends_at = ends_at
    appointment.place = place
    appointment.link = link
    appointment.note = note
    if appointment.booked_by_survivor:
        appointment.shared = shared
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


def confirm(appointment: Appointment, user: User) -> None:
    appointment.status = Status.CONFIRMED
    appointment.sequence += 1


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


def forget_outcome(appointment: Appointment) -> None:
    """A moved or cancelled appointment is no longer the one whose outcome was recorded."""
    appointment.outcome = None
    appointment.outcome_by_id = None
    appointment.outcome_at = None


def record_outcome(appointment: Appointment, outcome: Outcome | str, user: User) -> None:
    """Record (or change) whether the appointment took place, and who said so. Saying the
    same again changes nothing, so whoever said it first stays named."""
    outcome = Outcome(outcome)
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
