"""Every test data builder, each name once: a test builds the data it needs, nothing depends on
demo data. Builders make real rows through the feature's services where the service adds what
a real request would (events, encrypted text, a schedule rule), and commit what they made.
tests/test_test_layout.py keeps `make_*` functions here and nowhere else."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from survivorapp.accounts.models import User
from survivorapp.accounts.services import create_user
from survivorapp.appointments.models import Appointment, Kind, RescheduleRequest, Status
from survivorapp.budget.models import BudgetEntry, BudgetPlan, SavingsContribution, SavingsGoal
from survivorapp.circles import hosting, schedule
from survivorapp.circles.models import Attendance, Circle
from survivorapp.database import utcnow
from survivorapp.extensions import db
from survivorapp.goals import services as goals
from survivorapp.goals.models import EventKind, Goal, GoalEvent
from survivorapp.privacy import consent
from survivorapp.reports.models import CheckIn
from survivorapp.reports.privacy import COUNTED
from tests.helpers import soon

_names = itertools.count(1)

# -- People ---------------------------------------------------------------------------------


def make_user(*roles: str, pseudonym: str | None = None, **fields) -> User:
    user = create_user(
        pseudonym or f"Person {next(_names)}", list(roles or ("survivor",)), **fields
    )
    db.session.commit()
    return user


def counted(user: User, yes: bool = True) -> User:
    """The person's choice whether reports may count them."""
    consent.set_choices(user, {COUNTED: yes}, actor=user)
    db.session.commit()
    return user


def make_survivors(n: int, *, count: bool = True) -> list[User]:
    """n survivors, each counted in reports unless `count` is False (never asked)."""
    people = [make_user("survivor") for _ in range(n)]
    if count:
        for person in people:
            counted(person)
    return people


# -- Goals ----------------------------------------------------------------------------------


def make_goal(
    owner: User,
    *,
    title: str = "A room of my own",
    area: str = "housing",
    why: str | None = None,
    target_month: date | None = None,
    steps: int | Sequence[str] = (),
    pathway: str | None = None,
    submit: bool = False,
    at: datetime | None = None,
    done: dict[int, datetime | None] | None = None,
    approved: datetime | None = None,
    achieved: datetime | None = None,
) -> Goal:
    """A goal set through the service. `steps`: their texts, or how many numbered ones.
    For reports' history: `at` dates the goal and its first events, `done` maps step
    positions to when they were ticked, `approved` adds the team's approval then, `achieved`
    marks it achieved then."""
    texts = [f"Step {n}" for n in range(1, steps + 1)] if isinstance(steps, int) else steps
    goal = goals.create_goal(
        owner,
        area=area,
        title=title,
        why=why,
        target_month=target_month,
        steps=list(texts),
        pathway=pathway,
    )
    if submit:
        goals.submit(goal, owner)
    if at is not None:
        goal.created_at = at
        for event in goal.events:
            event.at = at
    for step in goal.steps:
        step.done_at = (done or {}).get(step.position)
    goal.achieved_at = achieved
    if approved:
        goal.events.append(GoalEvent(kind=EventKind.APPROVED.value, at=approved))
    db.session.commit()
    return goal


# -- Appointments ---------------------------------------------------------------------------


def make_appointment(
    survivor: User,
    *,
    by: User | None = None,
    start: datetime | None = None,
    minutes: int = 60,
    kind: Kind = Kind.COUNSELLING,
    place: str | None = None,
    link: str | None = None,
    note: str | None = None,
    shared: bool | None = None,
    status: Status | None = None,
    outcome=None,
) -> Appointment:
    """`by`: who booked it (the survivor themselves unless given). Staff bookings are shared
    and wait for the survivor's confirmation; own ones are private and confirmed.
    `outcome`: attended or missed, as marked afterwards by the survivor."""
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
        outcome=outcome,
        outcome_by_id=survivor.id if outcome else None,
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


# -- Budget ---------------------------------------------------------------------------------


def make_entry(
    user, amount_minor, *, category="food", kind="expense", on=None, currency="EUR", note=None
) -> BudgetEntry:
    entry = BudgetEntry(
        user_id=user.id,
        kind=kind,
        category=category,
        amount_minor=amount_minor,
        currency=currency,
        on_date=on or date.today(),
        note=note,
    )
    db.session.add(entry)
    db.session.commit()
    return entry


def make_plan(user, category, amount_minor, currency="EUR") -> BudgetPlan:
    row = BudgetPlan(
        user_id=user.id, category=category, amount_minor=amount_minor, currency=currency
    )
    db.session.add(row)
    db.session.commit()
    return row


def make_savings_goal(
    user, target_minor, *, name="A bike", saved=0, kind="goal", target_date=None, currency="EUR"
) -> SavingsGoal:
    """Something to save for (`kind="bills"`: a bill to put money aside for); `saved`: one
    contribution made today."""
    goal = SavingsGoal(
        user_id=user.id,
        name=name,
        target_minor=target_minor,
        kind=kind,
        target_date=target_date,
        currency=currency,
    )
    db.session.add(goal)
    if saved:
        goal.contributions.append(SavingsContribution(amount_minor=saved, on_date=date.today()))
    db.session.commit()
    return goal


# -- Circles --------------------------------------------------------------------------------

CIRCLE_PLACE = "Room 4, Calle Mayor 1"


def make_circle(mentor: User | None = None, **fields) -> Circle:
    """A circle posted through the service, weekly from two days on unless told; any field of
    the mentor's form can be given. Without `mentor`, a new mentor (a graduate) runs it."""
    mentor = mentor or make_user("mentor", "survivor")
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
        "place": CIRCLE_PLACE,
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


def attend(circle: Circle, user: User, *, at: datetime, present: bool = True) -> Attendance:
    """The mentor's mark that `user` was (or was not) at the session starting `at`."""
    row = Attendance(circle_id=circle.id, user_id=user.id, occurrence=at, present=present)
    db.session.add(row)
    db.session.commit()
    return row


# -- Reports --------------------------------------------------------------------------------


def make_check_in(user, *, at=None, safe=None, helped=None, hindered=None, note=None) -> CheckIn:
    """A check-in answered at `at` (now unless given)."""
    row = CheckIn(
        user_id=user.id,
        answered_at=at or utcnow(),
        safe_at_home=safe,
        helped=helped,
        hindered=hindered,
        note=note,
    )
    db.session.add(row)
    db.session.commit()
    return row
