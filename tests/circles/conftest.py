"""Factories for circle tests: circles built through the service, not through demo data."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from survivorapp.circles import hosting, schedule
from survivorapp.circles.models import Circle
from survivorapp.extensions import db

PLACE = "Room 4, Calle Mayor 1"


def soon(days: int = 2, tzid: str = "Europe/Madrid") -> date:
    return datetime.now(ZoneInfo(tzid)).date() + timedelta(days=days)


def make_circle(mentor, **fields) -> Circle:
    tzid = fields.pop("tzid", "Europe/Madrid")
    first = fields.pop("first_date", None) or soon(tzid=tzid)
    at = fields.pop("start_time", time(18, 0))
    repeat = fields.pop("repeat", "weekly")
    rule = fields.pop(
        "rule",
        schedule.build_rule(repeat, first, count=fields.pop("count", 10), at=at, tzid=tzid)
        if repeat != "once"
        else None,
    )
    data = {
        "name": "Tuesday talk",
        "topic": "wellbeing",
        "format": "in_person",
        "place": PLACE,
        "capacity": 8,
        "duration": 90,
        "languages": ["es"],
        "repeat": repeat,
        "rule": rule,
        "first_date": first,
        "start_time": at,
        "timezone": tzid,
        **fields,
    }
    circle = hosting.create_circle(mentor, data)
    db.session.commit()  # a factory keeps what it made, as a request would
    return circle
