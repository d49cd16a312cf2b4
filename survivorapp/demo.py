"""Demo data: a small, believable organisation. Features add their own part with @demo_step."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select

from .accounts.models import Role, User
from .accounts.services import create_user
from .extensions import db
from .people import caseload


@dataclass
class DemoPeople:
    admin: User
    staff: list[User]
    mentor: User
    survivors: list[User]
    extra: dict = field(default_factory=dict)

    def everyone(self) -> list[User]:
        return [self.admin, *self.staff, self.mentor, *self.survivors]


# Each feature's demo module registers its @demo_step functions when imported.
FEATURE_DEMOS = [
    "survivorapp.safety.demo",
    "survivorapp.goals.demo",
    "survivorapp.appointments.demo",
    "survivorapp.budget.demo",
    "survivorapp.circles.demo",
    "survivorapp.accounts.demo",
]

_steps: list[tuple[int, Callable[[DemoPeople], None]]] = []


def demo_step(order: int = 50) -> Callable:
    def register(fn: Callable[[DemoPeople], None]) -> Callable:
        if all(
            (f.__module__, f.__qualname__) != (fn.__module__, fn.__qualname__) for _, f in _steps
        ):
            _steps.append((order, fn))
            _steps.sort(key=lambda s: s[0])
        return fn

    return register


def database_is_empty() -> bool:
    return db.session.scalar(select(func.count()).select_from(User)) == 0


def seed() -> DemoPeople:
    for module in FEATURE_DEMOS:
        importlib.import_module(module)
    people = DemoPeople(
        admin=create_user("Robin (admin)", [Role.ADMIN], timezone="Europe/London"),
        staff=[
            create_user("Sam", [Role.STAFF], timezone="Europe/London"),
            create_user("Alex", [Role.STAFF], timezone="Europe/London"),
        ],
        mentor=create_user(
            "Lucía", [Role.MENTOR, Role.SURVIVOR], timezone="Europe/Madrid", locale="es"
        ),
        survivors=[
            create_user("Mai", [Role.SURVIVOR], timezone="Asia/Bangkok"),
            create_user("Olena", [Role.SURVIVOR], timezone="Europe/Kyiv", locale="uk"),
            create_user("Ana", [Role.SURVIVOR], timezone="Europe/Lisbon", locale="pt"),
        ],
    )
    db.session.flush()
    # Two survivors with Sam, one with Alex; Ana has no case worker yet (the shared queue).
    caseload.assign(people.staff[0], people.survivors[0])
    caseload.assign(people.staff[0], people.survivors[1])
    caseload.assign(people.staff[1], people.mentor)
    for _, step in _steps:
        step(people)
    db.session.commit()
    return people
