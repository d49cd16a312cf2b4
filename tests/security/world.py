"""One small world for the security tests: survivor A owns one of everything (and a calendar
feed address), mentor M1 runs a circle that A joined (one of its sessions is past, the next is
in two days), and every actor of the authorization matrix has a signed-in client."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta

from survivorapp.accounts import devices as accounts
from survivorapp.accounts.models import Passkey
from survivorapp.appointments import feed as appointments
from survivorapp.budget.models import BudgetCategory
from survivorapp.budget.preferences import save_settings as budget_save_settings
from survivorapp.budget.preferences import settings_for as budget_settings_for
from survivorapp.circles import membership as circle_membership
from survivorapp.circles import occurrences as circle_occurrences
from survivorapp.database import utcnow
from survivorapp.extensions import db
from survivorapp.people.caseload import assign
from survivorapp.privacy import areas, consent
from tests.factories import (
    make_appointment,
    make_check_in,
    make_circle,
    make_entry,
    make_goal,
    make_move_request,
    make_savings_goal,
    make_user,
)
from tests.helpers import Client, sign_in, soon

# The columns of the matrix, in the order the expected answers are written.
ACTORS = (
    "anon",
    "owner",
    "other",
    "mentor",
    "circle_mentor",
    "staff_with",
    "staff_without",
    "admin",
)

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"|"X-CSRFToken": *"([^"]+)"')


@dataclass
class World:
    people: dict = field(default_factory=dict)
    clients: dict[str, Client] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)

    def csrf(self, actor: str) -> str:
        if actor not in self.tokens:
            client = self.clients[actor]
            page = "/sign-in" if actor == "anon" else "/account"
            html = client.get(page, follow_redirects=True).get_data(as_text=True)
            found = CSRF.search(html)
            assert found, f"no CSRF token for {actor}"
            self.tokens[actor] = found.group(1) or found.group(2)
        return self.tokens[actor]


def build_world(app) -> World:
    w = World()
    a = make_user("survivor", pseudonym="Mai", timezone="Europe/Madrid")
    b = make_user("survivor", pseudonym="Olena")
    m1 = make_user("mentor", pseudonym="Ines")
    m2 = make_user("mentor", pseudonym="Tomas")
    staff_with = make_user("staff", pseudonym="Sam")
    staff_without = make_user("staff", pseudonym="Alex")
    admin = make_user("admin", pseudonym="Robin")
    assign(staff_with, a)
    db.session.commit()
    w.people = {
        "owner": a,
        "other": b,
        "mentor": m2,
        "circle_mentor": m1,
        "staff_with": staff_with,
        "staff_without": staff_without,
        "admin": admin,
    }

    goal = make_goal(a, title="A room of my own", steps=["Ask about rooms"], submit=True)
    appointment = make_appointment(a, by=staff_with, place="Office 2")
    request = make_move_request(appointment)
    own_appointment = make_appointment(
        a, start=(utcnow() + timedelta(days=5)).replace(microsecond=0)
    )
    # Over, so that whether it took place can be recorded (appointments.record_outcome).
    past_appointment = make_appointment(
        a, by=staff_with, start=(utcnow() - timedelta(days=2)).replace(microsecond=0)
    )
    entry = make_entry(a, 1250, note="groceries")
    category = BudgetCategory(user_id=a.id, name="Bus pass")
    db.session.add(category)
    savings = make_savings_goal(a, 50000, name="A bike", saved=1000)
    settings = budget_settings_for(a)
    settings.share_summary = True
    budget_save_settings(settings)
    consent.set_choices(a, {areas.BUDGET_SUMMARY: True}, actor=a)
    circle = make_circle(m1, first_date=soon(-5))  # weekly: five days ago, in two days, ...
    circle_membership.join(circle, a)
    db.session.commit()
    session = circle_occurrences.upcoming(circle)[0]
    [past] = circle_occurrences.sessions(circle, utcnow() - timedelta(days=6), utcnow())

    w.ids = {
        "goal": goal.public_id,
        "step": goal.steps[0].public_id,
        "appointment": appointment.public_id,
        "own_appointment": own_appointment.public_id,
        "past_appointment": past_appointment.public_id,
        "request": request.public_id,
        "entry": entry.public_id,
        "category": category.public_id,
        "savings": savings.public_id,
        "circle": circle.public_id,
        "session": session.token,
        "past_session": past.token,
        "owner": a.public_id,
        "staff_with": staff_with.public_id,
    }

    passkey = Passkey(
        user_id=a.id, credential_id=b"matrix-credential", public_key=b"key", nickname="My phone"
    )
    db.session.add(passkey)
    db.session.commit()
    w.ids["passkey"] = passkey.public_id
    w.ids["check_in"] = make_check_in(a, safe=4).public_id
    w.ids["feed_key"] = appointments.issue_feed_token(a)
    db.session.commit()

    for actor in ACTORS:
        client = app.test_client()
        if actor != "anon":
            sign_in(client, w.people[actor])
        w.clients[actor] = client
    w.clients["owner"].get("/account")  # the session row exists once a request used it
    [row] = accounts.sessions_of(a)
    w.ids["session_key"] = accounts.session_key(row)
    return w


def sign_in_again(w: World, actor: str) -> None:
    """After a route that ends the session (quick exit), sign the same client in again."""
    w.tokens.pop(actor, None)
    if actor != "anon":
        sign_in(w.clients[actor], w.people[actor])
