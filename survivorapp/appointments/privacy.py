"""A person's appointments in their export, and what goes when their account is erased."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy import update as sql_update

from ..accounts.models import User
from ..extensions import db
from ..privacy.registry import eraser, exporter
from .feed import get_feed
from .labels import KIND_LABELS, OUTCOME_LABELS, REQUEST_LABELS, STATUS_LABELS
from .models import Appointment, CalendarFeed, RescheduleRequest


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
