"""Who may see and do what with an appointment: the ONE place it is decided.

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
Staff see only survivors on their own caseload (people/caseload.py, never the shared list).
Every staff look at one appointment or request is logged (privacy.services.log_access) and
shown to the survivor on /privacy/access.
"""

from __future__ import annotations

from flask import abort
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from sqlalchemy import Select, and_, false, or_, select

from ..accounts.models import Role, User
from ..database import find_or_404
from ..localtime import zone_of
from ..people.caseload import on_caseload, works_with
from ..privacy import areas, consent
from ..privacy.services import log_access
from ..settings import org_setting
from .labels import KIND_LABELS
from .models import Appointment, RescheduleRequest


def visible_appointments(user: User) -> Select:
    """Every appointment `user` may see, as a query.

    A survivor sees their own. Staff see, for survivors on their caseload only, what they
    booked themselves, appointments other staff booked when the survivor shares
    "booked_appointments", and ticked appointments the survivor added when they share
    "own_appointments" (see the module docstring). Mentors, as mentors, see none.
    """
    conditions = []
    if user.has_role(Role.SURVIVOR):
        conditions.append(Appointment.survivor_id == user.id)
    if user.has_role(Role.STAFF):
        by_survivor = Appointment.created_by_id == Appointment.survivor_id
        by_staff = or_(
            Appointment.created_by_id.is_(None),
            Appointment.created_by_id != Appointment.survivor_id,
        )
        conditions.append(
            and_(
                works_with(user.id, Appointment.survivor_id),
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


def is_owner(appointment: Appointment, user: User) -> bool:
    return appointment.survivor_id == user.id


def can_edit(appointment: Appointment, user: User) -> bool:
    """Survivors edit what they booked themselves; staff edit what staff booked."""
    if appointment.cancelled:
        return False
    if appointment.booked_by_survivor:
        return is_owner(appointment, user)
    return user.has_role(Role.STAFF) and on_caseload(user.id, appointment.survivor_id)


def can_cancel(appointment: Appointment, user: User) -> bool:
    return is_owner(appointment, user) or can_edit(appointment, user)


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


NEEDS = {
    "see": None,
    "own": is_owner,
    "edit": can_edit,
    "cancel": can_cancel,
    "outcome": can_record_outcome,
}


def get_appointment_or_404(public_id: str, user: User, need: str = "see") -> Appointment:
    """An appointment `user` may see (else 404), and may do `need` with (else 403: they can
    see it already). The look is logged before the answer, a refusal included."""
    appointment = find_or_404(visible_appointments(user), Appointment.public_id, public_id)
    _log_staff_look(appointment, user)
    allowed = NEEDS[need]
    if allowed is not None and not allowed(appointment, user):
        abort(403)
    return appointment


def get_request_or_404(public_id: str, user: User) -> RescheduleRequest:
    """A reschedule request this member of staff may answer: on an appointment they may see
    (the same rule) of someone on their caseload; anything else is not found."""
    ids = visible_appointments(user).with_only_columns(Appointment.id)
    seen = select(RescheduleRequest).where(RescheduleRequest.appointment_id.in_(ids))
    request = find_or_404(seen, RescheduleRequest.public_id, public_id)
    _log_staff_look(request.appointment, user, request=True)
    if not can_answer(request.appointment, user):
        abort(404)
    return request


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
        day = format_date(appointment.starts_at.astimezone(zone_of(survivor)).date(), "medium")
        kind = str(KIND_LABELS.get(appointment.kind, appointment.kind))
        what = (
            _("Request to move: %(kind)s, %(day)s", kind=kind, day=day)
            if request
            else _("%(kind)s, %(day)s", kind=kind, day=day)
        )
    log_access(user, survivor, consent_area_of(appointment), what)
