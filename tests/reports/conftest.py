"""Factories for report tests: data is built directly in the tables the reports count."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from survivorapp.appointments.models import Appointment, Kind, Status
from survivorapp.circles.models import Attendance, Circle
from survivorapp.extensions import db
from survivorapp.goals.models import EventKind, Goal, GoalEvent, Step
from survivorapp.privacy import consent
from survivorapp.reports.models import CheckIn
from survivorapp.reports.privacy import COUNTED
from tests.factories import make_user

# Reports are asked for 2025-01 .. 2025-12; these dates fall inside, BEFORE and AFTER.
IN = datetime(2025, 6, 15, 12, 0, tzinfo=UTC)
BEFORE = datetime(2024, 11, 15, 12, 0, tzinfo=UTC)
AFTER = datetime(2026, 2, 15, 12, 0, tzinfo=UTC)
YEAR = {"from": "2025-01", "to": "2025-12"}


def counted(user, yes: bool = True):
    consent.set_choices(user, {COUNTED: yes}, actor=user)
    db.session.commit()
    return user


def make_survivors(n: int, *, count: bool = True) -> list:
    people = [make_user("survivor") for _ in range(n)]
    if count:
        for p in people:
            counted(p)
    return people


def make_goal(
    owner,
    *,
    area="housing",
    at=IN,
    approved=None,
    achieved=None,
    pathway=None,
    done: dict | None = None,
    steps: int = 0,
) -> Goal:
    goal = Goal(
        owner_id=owner.id,
        area=area,
        title="A goal 5c1e",
        created_at=at,
        pathway=pathway,
        achieved_at=achieved,
    )
    for n in range(1, steps + 1):
        goal.steps.append(Step(text=f"Step {n}", position=n, done_at=(done or {}).get(n)))
    db.session.add(goal)
    db.session.flush()
    if approved:
        db.session.add(GoalEvent(goal_id=goal.id, kind=EventKind.APPROVED.value, at=approved))
    db.session.commit()
    return goal


def make_appointment(
    survivor, *, kind=Kind.HOUSING, at=IN, status=Status.CONFIRMED, by=None, outcome=None
):
    """`by`: who booked it (default: no one left, i.e. the team); the survivor for their own.
    `outcome`: attended or missed, as marked afterwards (by the survivor here)."""
    row = Appointment(
        survivor_id=survivor.id,
        created_by_id=by.id if by is not None else None,
        kind=kind,
        starts_at=at,
        ends_at=at + timedelta(hours=1),
        status=status,
        outcome=outcome,
        outcome_by_id=survivor.id if outcome else None,
    )
    db.session.add(row)
    db.session.commit()
    return row


def make_circle(mentor=None, topic="wellbeing") -> Circle:
    mentor = mentor or make_user("mentor", "survivor")
    circle = Circle(
        mentor_id=mentor.id,
        name="Circle",
        topic=topic,
        format="in_person",
        capacity=8,
        duration_minutes=60,
        repeat="weekly",
        first_date=IN.date(),
        start_time=time(18),
        tzid="UTC",
    )
    db.session.add(circle)
    db.session.commit()
    return circle


def attend(circle, user, at=IN, present=True):
    db.session.add(Attendance(circle_id=circle.id, user_id=user.id, occurrence=at, present=present))
    db.session.commit()


def make_check_in(user, *, at=IN, safe=None, helped=None, hindered=None, note=None) -> CheckIn:
    row = CheckIn(
        user_id=user.id,
        answered_at=at,
        safe_at_home=safe,
        helped=helped,
        hindered=hindered,
        note=note,
    )
    db.session.add(row)
    db.session.commit()
    return row
