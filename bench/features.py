"""Feature data for the benchmark, in proportion to the issue's default organisation."""

from __future__ import annotations

import secrets
from datetime import date, time, timedelta

from sqlalchemy import select

from bench.seed import FEATURE_SEEDERS, World, insert_rows


def _pid() -> str:
    return secrets.token_urlsafe(12)


def goals(world: World) -> None:
    from survivorapp.extensions import db
    from survivorapp.goals.models import Goal, GoalState, Step

    areas = ["housing", "work", "wellbeing", "money", "legal", "family", "education", "other"]
    states = [GoalState.PRIVATE, GoalState.SUBMITTED, GoalState.APPROVED, GoalState.PRIVATE]
    total = world.count("goals")
    per = max(1, total // len(world.survivors))
    rng = world.rng

    def rows():
        n = 0
        for owner in world.survivors:
            for i in range(per):
                if n >= total:
                    return
                n += 1
                state = states[rng.randrange(len(states))]
                shared = state != GoalState.PRIVATE
                yield {
                    "public_id": _pid(),
                    "owner_id": owner,
                    "area": areas[n % len(areas)],
                    "title": f"Goal {i} of this person",
                    "why": None,
                    "position": i,
                    "state": state.value,
                    "created_at": world.now,
                    "shared_at": world.now if shared else None,
                    "submitted_at": world.now - timedelta(hours=n % 500) if shared else None,
                    "decision_unread": False,
                }

    insert_rows("goals", Goal.__table__, rows(), total)
    goal_ids = db.session.scalars(select(Goal.id)).all()
    insert_rows(
        "goal steps",
        Step.__table__,
        (
            {
                "public_id": _pid(),
                "goal_id": g,
                "text": f"Step {k}",
                "position": k,
                "done_at": world.now if k == 0 else None,
            }
            for g in goal_ids
            for k in range(2)
        ),
        2 * len(goal_ids),
    )


def appointments(world: World) -> None:
    from survivorapp.appointments.models import Appointment, Kind, Status

    kinds = list(Kind)
    total = world.count("appointments")
    per = max(1, total // len(world.survivors))
    staff = world.staff

    def rows():
        n = 0
        for i, owner in enumerate(world.survivors):
            for k in range(per):
                if n >= total:
                    return
                n += 1
                start = world.now + timedelta(days=(k * 17) % 420 - 360, hours=k % 9)
                yield {
                    "public_id": _pid(),
                    "survivor_id": owner,
                    "created_by_id": staff[i % len(staff)],
                    "kind": kinds[n % len(kinds)],
                    "starts_at": start,
                    "ends_at": start + timedelta(hours=1),
                    "place": "Room 2" if k % 4 == 0 else None,
                    "link": None,
                    "note": None,
                    "shared": True,
                    "status": Status.CONFIRMED,
                    "sequence": 0,
                    "created_at": world.now,
                    "updated_at": world.now,
                }

    insert_rows("appointments", Appointment.__table__, rows(), total)


def budget(world: World) -> None:
    from survivorapp.budget.models import BudgetEntry, BudgetPlan

    cats = [
        "rent",
        "utilities",
        "food",
        "transport",
        "phone",
        "childcare",
        "debt",
        "home",
        "savings",
        "other",
    ]
    total = world.count("budget_entries")
    per = max(1, total // len(world.survivors))
    today = world.now.date()

    def rows():
        n = 0
        for owner in world.survivors:
            for k in range(per):
                if n >= total:
                    return
                n += 1
                income = k % 10 == 0
                yield {
                    "public_id": _pid(),
                    "user_id": owner,
                    "kind": "income" if income else "expense",
                    "category": "pay" if income else cats[k % len(cats)],
                    "amount_minor": 150 + (n * 37) % 9000,
                    "currency": "EUR",
                    "on_date": today - timedelta(days=(k * 2) % 180),
                    "note": "Market" if k % 10 == 3 else None,
                    "created_at": world.now,
                }

    insert_rows("budget entries", BudgetEntry.__table__, rows(), total)
    insert_rows(
        "budget plans",
        BudgetPlan.__table__,
        (
            {"user_id": owner, "category": c, "amount_minor": 20_000, "currency": "EUR"}
            for owner in world.survivors
            for c in cats[:4]
        ),
        4 * len(world.survivors),
    )


def circles(world: World) -> None:
    from survivorapp.circles.models import Circle, CircleLanguage, CircleMember
    from survivorapp.circles.schedule import build_rule
    from survivorapp.extensions import db

    topics = ["wellbeing", "work", "money", "housing", "parenting", "language", "social"]
    from survivorapp.circles.forms import TOPICS

    topics = list(TOPICS)
    total = world.count("circles")
    first = date.today() + timedelta(days=1)
    rule = build_rule(
        "weekly", first, until=first + timedelta(days=300), at=time(18), tzid="Europe/Madrid"
    )
    insert_rows(
        "circles",
        Circle.__table__,
        (
            {
                "public_id": _pid(),
                "mentor_id": world.mentors[i % len(world.mentors)],
                "name": f"Group {i}",
                "topic": topics[i % len(topics)],
                "format": "in_person",
                "place": "Library, room 1",
                "capacity": 20,
                "duration_minutes": 90,
                "repeat": "weekly",
                "first_date": first,
                "start_time": time(18),
                "tzid": "Europe/Madrid",
                "rrule": rule,
                "created_at": world.now,
            }
            for i in range(total)
        ),
        total,
    )
    ids = db.session.scalars(select(Circle.id).order_by(Circle.id)).all()
    insert_rows(
        "circle languages",
        CircleLanguage.__table__,
        ({"circle_id": c, "code": ("es", "en", "uk")[k % 3]} for k, c in enumerate(ids)),
        len(ids),
    )
    insert_rows(
        "circle members",
        CircleMember.__table__,
        (
            {"circle_id": ids[k % len(ids)], "user_id": s, "waiting": False, "joined_at": world.now}
            for k, s in enumerate(world.survivors)
        ),
        len(world.survivors),
    )


FEATURE_SEEDERS.extend([goals, appointments, budget, circles])
