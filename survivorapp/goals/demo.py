"""Demo data for goals: a few believable goals at different stages of approval."""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale

from ..demo import DemoPeople, demo_step
from . import services
from .models import Area
from .pathways import PATHWAYS


@demo_step(order=30)
def seed(people: DemoPeople) -> None:
    mai, olena, ana = people.survivors
    sam = people.staff[0]

    # Pathway texts are stored in the person's language: render them as Mai would see them.
    with current_app.test_request_context(), force_locale(mai.locale or "en"):
        housing = services.adopt_pathway(mai, PATHWAYS[0])
    housing.steps[0].done_at = services.utcnow()
    services.submit(housing, mai)
    services.decide(
        housing, sam, approve=True, comment="A good plan. Let's look at rooms together."
    )

    course = services.create_goal(
        mai,
        area=Area.WORK,
        title="Finish a food hygiene course",
        why="I want to work in a kitchen.",
        target_month=None,
        steps=["Find a course near me", "Sign up", "Pass the test"],
    )
    services.submit(course, mai)

    services.create_goal(
        olena,
        area=Area.MONEY,
        title="Save for a winter coat",
        why=None,
        target_month=None,
        steps=["Put aside a little each week"],
    )

    english = services.create_goal(
        ana,
        area=Area.EDUCATION,
        title="Practise English every day",
        why="So I can talk to my child's teacher.",
        target_month=None,
        steps=["Join the Tuesday class", "Learn ten new words a week"],
    )
    services.submit(english, ana)
