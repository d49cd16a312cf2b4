"""No page's query count grows with the amount of data (no N+1). Not timed: counted.

Each case builds a person with a little data, counts the queries a page needs, adds much more
data (theirs and other people's), and counts again. Features add their pages to PAGES."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from survivorapp.appointments.models import Kind
from survivorapp.budget import categories
from survivorapp.circles import hosting, membership, occurrences
from survivorapp.database import utcnow
from survivorapp.extensions import db
from survivorapp.goals import services
from survivorapp.goals.models import Goal
from survivorapp.people.caseload import assign
from tests.factories import (
    attend,
    counted,
    make_appointment,
    make_check_in,
    make_circle,
    make_entry,
    make_goal,
    make_savings_goal,
    make_user,
)
from tests.helpers import queries_for, sign_in
from tests.reports.conftest import IN


def grow_nothing(user, n):
    for _ in range(n):
        make_user("survivor")


def grow_reports(user, n):
    circle = make_circle()
    for _ in range(n):
        person = counted(make_user("survivor"))
        if user.has_role("staff"):
            assign(user, person)
            db.session.commit()
        make_goal(person, pathway="housing-phases", steps=4, done={1: None}, at=IN)
        make_appointment(person, by=user, kind=Kind.HOUSING, start=IN)
        attend(circle, person, at=IN)
        make_check_in(person, at=IN, safe=3, helped="groups", note="words")


def grow_check_ins(user, n):
    for _ in range(n):
        make_check_in(user, at=IN, safe=4, note="mine")
        make_check_in(make_user("survivor"), at=IN, safe=2)


def grow_circles(user, n):
    for i in range(n):
        mentor = make_user("mentor")
        circle = make_circle(mentor, name=f"Circle {i}", languages=["en", "es"])
        membership.join(circle, make_user("survivor"))
        session = occurrences.upcoming(circle)[0]
        membership.rsvp(circle, make_user("survivor"), session)
        hosting.cancel_session(circle, occurrences.upcoming(circle)[1], None)


def grow_own_circles(user, n):
    """Circles the person belongs to (one with a cancelled session) and single places."""
    for i in range(n):
        circle = make_circle(make_user("mentor"), name=f"Mine {i}")
        membership.join(circle, user)
        hosting.cancel_session(circle, occurrences.upcoming(circle)[0], None)
        other = make_circle(make_user("mentor"), name=f"Once {i}")
        membership.rsvp(other, user, occurrences.upcoming(other)[0])


def grow_goals(user, n):
    """The person's goals, some answered by a member of staff (a new reply shows on /home), and
    other people's goals with a history of their own."""
    for i in range(n):
        mine = make_goal(user, title=f"Goal {i}", steps=["One", "Two"], submit=i % 2 == 0)
        if i % 2 == 0:
            services.decide(mine, make_user("staff"), approve=i % 4 == 0, comment="Good")
        theirs = make_goal(make_user("survivor"), steps=["Theirs"], submit=True)
        services.decide(theirs, make_user("staff"), approve=False, comment="Not theirs to see")
        db.session.commit()


def the_goal(user):
    """The person's first goal: the one that grow_one_goal grows."""
    query = select(Goal).where(Goal.owner_id == user.id).order_by(Goal.id).limit(1)
    return db.session.scalar(query)


def grow_one_goal(user, n):
    """More steps (some done) on one goal, and a longer history: each round it is sent, a new
    member of staff asks for changes with a comment, and the person disagrees with a note. Then
    more of the person's other goals and other people's."""
    goal = the_goal(user) or make_goal(user, title="The one", steps=["First"])
    for i in range(n):
        step = services.add_step(goal, f"Step {i}")
        step.done_at = utcnow() if i % 2 else None
        services.submit(goal, user)
        services.decide(goal, make_user("staff"), approve=False, comment=f"Comment {i}")
        services.disagree(goal, user, f"Note {i}")
        db.session.commit()
    grow_goals(user, n)


def grow_budget(user, n):
    for i in range(n):
        day = date.today() - timedelta(days=40 * (i % 6))  # across the six-month trend
        make_entry(user, 1000 + i, category=("food", "rent", "phone")[i % 3], on=day)
        make_entry(user, 500, kind="income", category="wages", on=day)
        make_entry(user, 300, currency="USD", on=day)  # another currency: counted apart
        make_entry(make_user("survivor"), 999)
        categories.add_category(user, f"Mine {i}")
        make_savings_goal(user, 50_000, name=f"Saving {i}", saved=100)


def grow_goal_queue(user, n):
    for _ in range(n):
        mine, unassigned = make_user("survivor"), make_user("survivor")
        assign(user, mine)
        make_goal(mine, submit=True)
        make_goal(unassigned, submit=True)


PAGES = [
    # (role, url, function adding n items of data for the user and others); a url may be a
    # function of the user, called once the first data is there.
    ("survivor", "/home", grow_nothing),
    ("survivor", "/home", grow_own_circles),
    ("survivor", "/home", grow_goals),
    ("survivor", "/home", grow_budget),
    ("survivor", "/goals/", grow_goals),
    ("survivor", lambda user: f"/goals/{the_goal(user).public_id}", grow_one_goal),
    ("survivor", "/budget/", grow_budget),
    ("staff", "/staff", grow_nothing),
    ("mentor", "/mentor", grow_nothing),
    ("admin", "/admin", grow_nothing),
    ("admin", "/reports/?from=2025-01&to=2025-12", grow_reports),
    ("staff", "/reports/report.csv?from=2025-01&to=2025-12", grow_reports),
    ("survivor", "/reports/check-in", grow_check_ins),
    ("staff", "/staff", grow_goal_queue),
    ("staff", "/goals/review", grow_goal_queue),
    ("survivor", "/circles", grow_circles),
    ("survivor", "/circles?language=es&format=in_person", grow_circles),
]


def page_id(page) -> str:
    _role, url, grow = page
    name = url if isinstance(url, str) else "/goals/<id>"
    return f"{name} {grow.__name__}"


@pytest.mark.parametrize(("role", "url", "grow"), PAGES, ids=[page_id(p) for p in PAGES])
def test_query_count_does_not_grow_with_data(app, client, role, url, grow):
    user = make_user(role)
    sign_in(client, user)
    grow(user, 2)
    url = url if isinstance(url, str) else url(user)
    client.get(url)  # first request settles the session row
    small = queries_for(client, url)
    grow(user, 12)
    large = queries_for(client, url)
    assert large <= small, f"{url}: {small} queries with little data, {large} with more"
