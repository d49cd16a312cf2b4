"""Requests that succeed in the world of tests/security/world.py: a valid form for each POST
endpoint that reads one, and the state that a few endpoints need first (a goal waiting for the
person's reply, an app PIN to enter, an enrolment code).

The fuzz test starts examples from these forms, so that they reach the code behind the first
check; the authorization matrix sends them as its positive control (someone may use each
route)."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app

from survivorapp.accounts import pin as accounts
from survivorapp.database import utcnow
from survivorapp.extensions import db
from survivorapp.goals import services as goals
from survivorapp.goals.models import Goal
from survivorapp.people import team
from survivorapp.privacy import consent
from tests.admin.conftest import settings_form
from tests.security.test_double_submission import FORMS

CIRCLE = FORMS["circle"][3]
PIN = "482913"


def in_days(days: int) -> str:
    return (utcnow() + timedelta(days=days)).date().isoformat()


def all_shared() -> dict[str, str]:
    return {f"area-{area.key}": "shared" for area in consent.consent_areas()}


WHEN = {"date": "", "start": "10:00", "end": "11:00", "timezone": "Europe/Madrid"}
ENTRY = {"kind": "expense", "category": "food", "amount": "12.34", "on_date": "", "note": "x"}

# A valid form for each endpoint that reads one (POST endpoints not listed read no field, or
# only the one-time token `once`).
VALID_FORMS = {
    # A subscription as a browser would send it through FCM (nothing is sent to it here).
    "reminders.subscribe": lambda w: {
        "endpoint": "https://fcm.googleapis.com/fcm/send/matrix-device",
        "p256dh": "B" + "A" * 86,
        "auth": "A" * 22,
    },
    "goals.new": lambda w: {"area": "housing", "title": "Fix the bike", "why": "To get to work"},
    "goals.edit": lambda w: {"area": "work", "title": "A course", "target_month": "2027-03"},
    "goals.add_step": lambda w: {"text": "Call the office"},
    "goals.decide": lambda w: {"decision": "approve", "comment": "Good plan"},
    "goals.disagree": lambda w: {"comment": "I see it another way"},
    "goals.change_state": lambda w: {},  # no field: the action is in the URL
    "goals.move": lambda w: {"direction": "up"},
    "appointments.create": lambda w: {**WHEN, "date": in_days(9), "kind": "health"},
    "appointments.update": lambda w: {**WHEN, "date": in_days(9), "kind": "health"},
    "appointments.request_move": lambda w: {**WHEN, "date": in_days(10), "message": "Later"},
    "appointments.answer": lambda w: {
        "decision": "propose",
        "note": "Later",
        "new_date": in_days(11),
        "new_start": "10:00",
        "new_end": "11:00",
        "new_timezone": "Europe/Madrid",
    },
    "appointments.record_outcome": lambda w: {"outcome": "attended"},
    "appointments.save_time_zone": lambda w: {"timezone": "Asia/Bangkok"},
    "appointments.save_calendar_settings": lambda w: {"kind": "yes", "place": "yes"},
    "budget.create_entry": lambda w: {**ENTRY, "on_date": in_days(-1)},
    "budget.update_entry": lambda w: {**ENTRY, "on_date": in_days(-1)},
    "budget.add_category": lambda w: {"name": "Bus pass"},
    "budget.create_goal": lambda w: {"name": "A course", "kind": "goal", "target": "300"},
    "budget.contribute": lambda w: {"amount": "5", "direction": "in"},
    "budget.save_plan": lambda w: {"plan-food": "200", "plan-rent": "450"},
    "budget.save_settings": lambda w: {"currency": "EUR", "share_summary": "yes"},
    "budget.dismiss_tip": lambda w: {"next": "/budget/"},
    "circles.new": lambda w: dict(CIRCLE),
    "circles.move": lambda w: {"new_date": in_days(4), "new_time": "19:00", "note": "Moved"},
    "circles.cancel": lambda w: {"note": "Ill"},
    "circles.mark_attendance": lambda w: {"present": [w.ids["owner"]]},
    "admin.save_settings": lambda w: settings_form(),
    "admin_people.change_roles": lambda w: {"roles": ["survivor", "mentor"]},
    "admin_people.assign": lambda w: {"staff": w.ids["staff_with"], "survivor": w.ids["owner"]},
    "people.invite": lambda w: {"pseudonym": "Kim", "role": "survivor"},
    "accounts.pin": lambda w: {"pin": PIN},
    "accounts.set_pin": lambda w: {"pin": PIN, "confirm": PIN},
    "accounts.rename_passkey": lambda w: {"nickname": "Phone"},
    "accounts.enrol_sharing": lambda w: {"code": w.ids["code"], **all_shared()},
    "contact.contact_name": lambda w: {"contact_name": "Sam"},
    "i18n.choose_language": lambda w: {"language": "es", "next": "/home"},
    "safety.start_screen": lambda w: {"start": "cover"},
    "privacy.save_sharing": lambda w: all_shared(),
    "privacy.delete_confirmed": lambda w: {"confirm": "DELETE"},
    "reports.save_check_in": lambda w: {
        "safe_at_home": "4",
        "helped": "groups",
        "hindered": "",
        "note": "A calm week",
    },
}


def _ask_for_changes(w) -> None:
    """A's goal (sent for approval) gets a request for changes, which A may disagree with."""
    goal = db.session.scalar(db.select(Goal).where(Goal.public_id == w.ids["goal"]))
    goals.decide(goal, w.people["staff_with"], approve=False, comment="Smaller steps?")
    db.session.commit()


def _pin_due(w) -> None:
    """A has an app PIN, which A's signed-in session has not entered yet (set_pin marks only
    the session it runs in, here a throwaway one, as having entered it)."""
    with current_app.test_request_context():
        accounts.set_pin(w.people["owner"], PIN)


def _enrolment_code(w) -> None:
    """Someone invited but not yet enrolled: their code is in w.ids["code"]."""
    _, w.ids["code"] = team.invite(w.people["staff_with"], "Kim", "survivor")
    db.session.commit()


# State an endpoint's valid form needs, made after the world is built.
SETUP = {
    "goals.disagree": _ask_for_changes,
    "accounts.pin": _pin_due,
    "accounts.enrol_sharing": _enrolment_code,
    "accounts.enrol_options": _enrolment_code,
    "accounts.enrol_verify": _enrolment_code,
}


def prepare(w, endpoint: str) -> None:
    if endpoint in SETUP:
        SETUP[endpoint](w)
