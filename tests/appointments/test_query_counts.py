"""Appointment pages run the same number of queries with 2 or 14 appointments (no N+1).

When main's tests/test_query_counts.py is merged, these pages can join its PAGES list."""

from datetime import timedelta

import pytest
from sqlalchemy import event

from survivorapp.database import utcnow
from survivorapp.extensions import db
from tests.factories import make_appointment, make_move_request


def _count(client, url: str) -> int:
    seen = []

    def listen(*_args):
        seen.append(1)

    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        response = client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
    assert response.status_code == 200, url
    return len(seen)


def _grow(team, n: int) -> None:
    for i in range(n):
        appointment = make_appointment(
            team.survivor, by=team.staff, start=utcnow() + timedelta(days=1 + i % 10, hours=i)
        )
        make_move_request(appointment)
        make_appointment(team.survivor, start=utcnow() - timedelta(days=1 + i))
    db.session.commit()


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("survivor", "/home"),
        ("survivor", "/appointments"),
        ("staff", "/staff"),
        ("staff", "/appointments"),
        ("staff", "/appointments/requests"),
    ],
)
def test_query_count_does_not_grow(team, who, url):
    client = team.survivor_client if who == "survivor" else team.staff_client
    _grow(team, 2)
    client.get(url)
    small = _count(client, url)
    _grow(team, 12)
    large = _count(client, url)
    assert large <= small, f"{url}: {small} queries with little data, {large} with more"
