"""A double tap or a retried request on a create form creates one record, not two.

Each create form carries a one-time token (`once_field()`); the test reads it from the form on
the page, posts the same form twice with it, and counts what was stored. The second answer is a
303 to a sensible page, never an error."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from survivorapp.accounts.models import User
from survivorapp.appointments.models import Appointment, Outcome, RescheduleRequest
from survivorapp.budget.models import BudgetCategory, BudgetEntry, SavingsContribution, SavingsGoal
from survivorapp.circles.models import Circle, CircleMember, SessionRsvp
from survivorapp.database import utcnow
from survivorapp.extensions import db
from survivorapp.goals.models import Goal, Step
from survivorapp.reports.models import CheckIn
from survivorapp.security.audit import AuditEvent
from tests.helpers import soon
from tests.security.world import build_world


def count(model, **where) -> int:
    query = select(func.count()).select_from(model)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return db.session.scalar(query)


def in_days(days: int) -> str:
    return (utcnow() + timedelta(days=days)).date().isoformat()


def goal_id(w) -> int:
    return db.session.scalar(select(Goal.id).where(Goal.public_id == w.ids["goal"]))


def appointment_id(w) -> int:
    return db.session.scalar(
        select(Appointment.id).where(Appointment.public_id == w.ids["appointment"])
    )


def savings_id(w) -> int:
    return db.session.scalar(
        select(SavingsGoal.id).where(SavingsGoal.public_id == w.ids["savings"])
    )


def circle_id(w) -> int:
    return db.session.scalar(select(Circle.id).where(Circle.public_id == w.ids["circle"]))


# name: (actor, page, action, form data, what to count)
FORMS = {
    "goal": (
        "owner",
        "/goals/new",
        "/goals/new",
        {"area": "housing", "title": "Fix the bike"},
        lambda w: count(Goal, owner_id=w.people["owner"].id),
    ),
    "step": (
        "owner",
        "/goals/{goal}",
        "/goals/{goal}/steps",
        {"text": "Call the office"},
        lambda w: count(Step, goal_id=goal_id(w)),
    ),
    "pathway": (
        "owner",
        "/goals/pathways",
        "/goals/pathways/stackable-training",
        {},
        lambda w: count(Goal, owner_id=w.people["owner"].id),
    ),
    "appointment": (
        "owner",
        "/appointments/new",
        "/appointments/new",
        {
            "kind": "health",
            "date": in_days(9),
            "start": "10:00",
            "end": "11:00",
            "timezone": "Europe/Madrid",
        },
        lambda w: count(Appointment, survivor_id=w.people["owner"].id),
    ),
    "reschedule request": (
        "owner",
        "/appointments/{appointment}/move",
        "/appointments/{appointment}/move",
        {"date": in_days(10), "start": "15:00", "end": "16:00", "timezone": "Europe/Madrid"},
        lambda w: count(RescheduleRequest, appointment_id=appointment_id(w)),
    ),
    "budget entry": (
        "owner",
        "/budget/add",
        "/budget/entries",
        {"kind": "expense", "category": "food", "amount": "12.34"},
        lambda w: count(BudgetEntry, user_id=w.people["owner"].id),
    ),
    "budget category": (
        "owner",
        "/budget/plan",
        "/budget/categories",
        {"name": "Phone top-up"},
        lambda w: count(BudgetCategory, user_id=w.people["owner"].id),
    ),
    "savings goal": (
        "owner",
        "/budget/savings",
        "/budget/savings",
        {"name": "A course", "kind": "goal", "target": "300"},
        lambda w: count(SavingsGoal, user_id=w.people["owner"].id),
    ),
    "savings contribution": (
        "owner",
        "/budget/savings/{savings}",
        "/budget/savings/{savings}/contributions",
        {"amount": "5", "direction": "in"},
        lambda w: count(SavingsContribution, goal_id=savings_id(w)),
    ),
    "circle": (
        "mentor",
        "/circles/run/new",
        "/circles/run/new",
        {
            "name": "Tardes de charla",
            "topic": "friendship",
            "languages": ["es"],
            "format": "in_person",
            "place": "Sala 2",
            "capacity": "6",
            "duration": "90",
            "repeat": "fortnightly",
            "nth": "1",
            "first_date": soon(3).isoformat(),
            "start_time": "18:00",
            "timezone": "Europe/Madrid",
            "ends": "count",
            "count": "6",
            "until": "",
        },
        lambda w: count(Circle, mentor_id=w.people["mentor"].id),
    ),
    "invite": (
        "staff_with",
        "/people/invite",
        "/people/invite",
        {"pseudonym": "Kim", "role": "survivor"},
        lambda w: count(User),
    ),
    "check-in": (
        "owner",
        "/reports/check-in",
        "/reports/check-in",
        {"safe_at_home": "4", "helped": "groups", "note": "A quiet week"},
        lambda w: count(CheckIn, user_id=w.people["owner"].id),
    ),
    "circle join": (
        "other",
        "/circles/{circle}",
        "/circles/{circle}/join",
        {},
        lambda w: count(CircleMember, circle_id=circle_id(w)),
    ),
    "session place": (
        "other",
        "/circles/{circle}",
        "/circles/{circle}/sessions/{session}/place",
        {},
        lambda w: count(SessionRsvp, circle_id=circle_id(w)),
    ),
}


def once_token(html: str, action: str) -> str:
    for form in re.findall(r"<form\b.*?</form>", html, re.S):
        if f'action="{action}"' in form:
            found = re.search(r'name="once" value="([^"]+)"', form)
            assert found, f"the form posting to {action} carries no once_field()"
            return found.group(1)
    raise AssertionError(f"no form posting to {action}")


@pytest.mark.parametrize("name", sorted(FORMS))
def test_the_same_form_posted_twice_creates_one_record(app, name):
    actor, page, action, data, counted = FORMS[name]
    w = build_world(app)
    page, action = (page.format(**w.ids), action.format(**w.ids))
    client = w.clients[actor]
    html = client.get(page).get_data(as_text=True)
    form = {**data, "once": once_token(html, action), "csrf_token": w.csrf(actor)}
    before = counted(w)
    first = client.post(action, data=form)
    assert first.status_code == 303, first.get_data(as_text=True)[:2000]
    assert counted(w) == before + 1
    second = client.post(action, data=form)
    assert second.status_code == 303
    assert counted(w) == before + 1
    # A fresh form (a new token) still creates another: the guard is per submission.
    if name not in ("circle join", "session place"):
        html = client.get(page).get_data(as_text=True)
        again = client.post(action, data={**form, "once": once_token(html, action)})
        assert again.status_code == 303
        assert counted(w) == before + 2


def test_a_double_tap_on_attended_or_missed_records_it_once(app):
    """Not a create form (no once token): saying the same again is a no-op, so a double tap
    leaves one value and one line in the audit trail, and both answers are a 303."""
    w = build_world(app)
    url = f"/appointments/{w.ids['past_appointment']}/outcome"
    form = {"outcome": "attended", "csrf_token": w.csrf("owner")}
    for _ in range(2):
        assert w.clients["owner"].post(url, data=form).status_code == 303
    row = db.session.scalar(
        select(Appointment).where(Appointment.public_id == w.ids["past_appointment"])
    )
    db.session.refresh(row)
    assert (row.outcome, row.outcome_by_id) == (Outcome.ATTENDED, w.people["owner"].id)
    assert count(AuditEvent, action="appointment_outcome_recorded") == 1
