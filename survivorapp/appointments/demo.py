"""Demo data for appointments: a few bookings around today, one request waiting, and past ones
marked as attended or missed (by the person, and by their case worker)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from ..database import utcnow
from ..demo import DemoPeople, demo_step
from ..extensions import db
from ..localtime import zone_of
from .models import Appointment, Kind, Outcome, RescheduleRequest, Status


def _at(person, days: int, hour: int, minute: int = 0) -> datetime:
    """A local wall-clock time `days` from today in the person's own time zone, in UTC."""
    zone = zone_of(person)
    day = utcnow().astimezone(zone).date() + timedelta(days=days)
    return datetime.combine(day, time(hour, minute), tzinfo=zone).astimezone(UTC)


@demo_step(order=30)
def seed(people: DemoPeople) -> None:
    sam = people.staff[0]
    mai, olena = people.survivors[0], people.survivors[1]

    def book(survivor, by, kind, days, hour, minutes=60, **fields):
        start = _at(survivor, days, hour)
        appointment = Appointment(
            survivor_id=survivor.id,
            created_by_id=by.id,
            kind=kind,
            starts_at=start,
            ends_at=start + timedelta(minutes=minutes),
            shared=by.id != survivor.id,
            status=fields.pop("status", Status.SCHEDULED),
            **fields,
        )
        db.session.add(appointment)
        return appointment

    book(mai, sam, Kind.COUNSELLING, 1, 10, place="Room 2", status=Status.CONFIRMED)
    book(mai, sam, Kind.HOUSING, 4, 14, 30, place="Flat viewing, Station Road")
    book(mai, mai, Kind.TRAINING, 6, 18, 90, note="Bring notebook", status=Status.CONFIRMED)
    book(
        mai,
        sam,
        Kind.HEALTH,
        -7,
        9,
        status=Status.CONFIRMED,
        outcome=Outcome.ATTENDED,
        outcome_by_id=mai.id,
        outcome_at=_at(mai, -7, 11),
    )
    book(mai, sam, Kind.HOUSING, -3, 15, status=Status.CONFIRMED)  # nobody has said yet
    book(
        olena,
        sam,
        Kind.COUNSELLING,
        -10,
        10,
        status=Status.CONFIRMED,
        outcome=Outcome.MISSED,
        outcome_by_id=sam.id,
        outcome_at=_at(olena, -10, 17),
    )
    legal = book(olena, sam, Kind.LEGAL_AID, 3, 11, link="https://meet.example.org/abc")
    db.session.flush()
    later = _at(olena, 5, 15)
    legal.requests.append(
        RescheduleRequest(
            suggested_start=later,
            suggested_end=later + timedelta(hours=1),
            message="I have a class in the morning",
        )
    )
