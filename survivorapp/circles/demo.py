"""Demo data for circles: Lucía runs a fortnightly Spanish circle; Ana has joined it."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from ..demo import demo_step
from . import hosting, membership, schedule
from .models import Format, Repeat, Topic


@demo_step(order=60)
def seed(people) -> None:
    mentor = people.mentor
    first = datetime.now(ZoneInfo("Europe/Madrid")).date() + timedelta(days=2)
    at = time(18, 0)
    circle = hosting.create_circle(
        mentor,
        {
            "name": "Tardes de charla",
            "topic": Topic.FRIENDSHIP,
            "format": Format.IN_PERSON,
            "place": "Sala 2, Centro Cívico, Calle Mayor 10",
            "capacity": 8,
            "duration": 90,
            "languages": ["es", "pt"],
            "repeat": Repeat.FORTNIGHTLY,
            "rule": schedule.build_rule(
                Repeat.FORTNIGHTLY, first, count=12, at=at, tzid="Europe/Madrid"
            ),
            "first_date": first,
            "start_time": at,
            "timezone": "Europe/Madrid",
        },
    )
    membership.join(circle, people.survivors[2])
    hosting.create_circle(
        mentor,
        {
            "name": "Money chat",
            "topic": Topic.MONEY,
            "format": Format.ONLINE,
            "place": "https://meet.example.org/daybook-money",
            "capacity": 6,
            "duration": 60,
            "languages": ["en"],
            "repeat": Repeat.MONTHLY,
            "rule": schedule.build_rule(
                Repeat.MONTHLY, first, nth=-1, count=6, at=time(19, 0), tzid="Europe/Madrid"
            ),
            "first_date": schedule.first_session(
                schedule.build_rule(
                    Repeat.MONTHLY, first, nth=-1, count=6, at=time(19, 0), tzid="Europe/Madrid"
                ),
                schedule.local_start(first, time(19, 0), "Europe/Madrid"),
            ).date(),
            "start_time": time(19, 0),
            "timezone": "Europe/Madrid",
        },
    )
