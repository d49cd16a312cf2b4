"""Moving an appointment: the survivor moves their own, or asks the team, who answer."""

from __future__ import annotations

from datetime import datetime

from ..accounts.models import User
from ..database import utcnow
from ..extensions import db
from ..security import audit
from .models import Appointment, RequestStatus, RescheduleRequest, Status
from .services import forget_outcome


def move_own(appointment: Appointment, user: User, starts_at: datetime, ends_at: datetime) -> None:
    """A survivor moves an appointment they booked themselves: nobody else to ask."""
    appointment.starts_at = starts_at
    appointment.ends_at = ends_at
    appointment.sequence += 1
    forget_outcome(appointment)


def request_reschedule(
    appointment: Appointment,
    user: User,
    starts_at: datetime,
    ends_at: datetime,
    message: str | None,
) -> RescheduleRequest:
    """Ask the team for another time; an earlier open request is withdrawn."""
    for earlier in appointment.requests:
        if earlier.status == RequestStatus.OPEN:
            earlier.status = RequestStatus.WITHDRAWN
    request = RescheduleRequest(suggested_start=starts_at, suggested_end=ends_at, message=message)
    appointment.requests.append(request)
    db.session.flush()
    audit.record(
        "appointment_move_requested",
        actor=user,
        subject=appointment.survivor_id,
        appointment=appointment.public_id,
    )
    return request


def answer(
    request: RescheduleRequest,
    user: User,
    decision: str,
    note: str | None,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
) -> None:
    """Accept the suggested time, decline (the time stays), or propose another (`starts_at`,
    `ends_at`), which the survivor then confirms."""
    appointment = request.appointment
    request.answer_note = note
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
        appointment.starts_at = starts_at
        appointment.ends_at = ends_at
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
