"""Factory functions and small helpers for appointment tests."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from survivorapp.appointments.models import Appointment, Kind, RescheduleRequest, Status
from survivorapp.database import utcnow
from survivorapp.extensions import db


def make_appointment(
    survivor,
    *,
    by=None,
    start: datetime | None = None,
    minutes: int = 60,
    kind: Kind = Kind.COUNSELLING,
    place: str | None = None,
    link: str | None = None,
    note: str | None = None,
    shared: bool | None = None,
    status: Status | None = None,
) -> Appointment:
    by = by or survivor
    start = start or (utcnow() + timedelta(days=3)).replace(microsecond=0)
    appointment = Appointment(
        survivor_id=survivor.id,
        created_by_id=by.id,
        kind=kind,
        starts_at=start,
        ends_at=start + timedelta(minutes=minutes),
        place=place,
        link=link,
        note=note,
        shared=(by.id != survivor.id) if shared is None else shared,
        status=status or (Status.CONFIRMED if by.id == survivor.id else Status.SCHEDULED),
    )
    db.session.add(appointment)
    db.session.commit()
    return appointment


def make_move_request(appointment: Appointment, *, days: int = 1, **fields) -> RescheduleRequest:
    """A survivor's request to move `appointment` the same hours `days` later (not committed)."""
    shift = timedelta(days=days)
    request = RescheduleRequest(
        suggested_start=appointment.starts_at + shift,
        suggested_end=appointment.ends_at + shift,
        **fields,
    )
    appointment.requests.append(request)
    return request


def next_date(month: int, day: int) -> date:
    """The next month/day strictly after today (so always in the future, never far)."""
    today = utcnow().date()
    candidate = date(today.year, month, day)
    return candidate if candidate > today else date(today.year + 1, month, day)


def last_sunday(year: int, month: int) -> date:
    day = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() + 1) % 7)


def next_last_sunday(month: int) -> date:
    today = utcnow().date()
    candidate = last_sunday(today.year, month)
    return candidate if candidate > today else last_sunday(today.year + 1, month)


def text(response) -> str:
    """The page as text with tags removed, spaces made plain (CLDR uses U+202F) and the
    en dash between two times written as a hyphen."""
    html = response.get_data(as_text=True)
    plain = re.sub(r"<[^>]+>", " ", html)
    return re.sub(
        r"\s+", " ", plain.replace("\u202f", " ").replace("\xa0", " ").replace("\u2013", "-")
    )
