"""Key pages in Thai and Arabic at phone size, before and after sign-in, for a survivor and
their case worker: nothing overflows (360 px, then 320 px and 200 % text) and axe finds
nothing. The data is built here, in the language under test, as a person would type it."""

import pytest
from playwright.sync_api import expect

from survivorapp.accounts.models import User
from survivorapp.circles import membership as circle_membership
from survivorapp.extensions import db
from survivorapp.people import caseload, team
from tests.browser.journeys import PHONE, Audit
from tests.factories import (
    make_appointment,
    make_circle,
    make_entry,
    make_goal,
    make_plan,
    make_savings_goal,
    make_user,
)

WORDS = {
    "th": ("หาห้องเช่าของตัวเอง", "ไปดูห้องวันเสาร์", "กลุ่มคุยวันอังคาร", "จักรยาน"),
    "ar": ("إيجاد غرفة خاصة بي", "زيارة الغرفة يوم السبت", "لقاء الثلاثاء", "دراجة"),
}


def _check(page, audit, path, code, direction):
    page.goto(path)
    expect(page.locator("html")).to_have_attribute("dir", direction)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
    audit.axe(f"{path} [{code}]")
    audit.layout(f"{path} [{code}]")


@pytest.mark.parametrize(("code", "direction"), [("th", "ltr"), ("ar", "rtl")])
def test_key_pages_in_thai_and_arabic(page, live, sign_in_browser, code, direction):
    goal_title, step, circle_name, savings_name = WORDS[code]
    staff = make_user("staff", pseudonym="Sam", locale=code)
    mentor = make_user("mentor", pseudonym="Lucía")
    mai = make_user("survivor", pseudonym="Mai", locale=code, timezone="Asia/Bangkok")
    caseload.assign(staff, mai)
    goal = make_goal(mai, title=goal_title, steps=[step], submit=True)
    appointment = make_appointment(mai, by=staff, place="Soi 4")
    circle = make_circle(mentor, name=circle_name, languages=[code])
    circle_membership.join(circle, mai)
    _, enrolment_code = team.invite(staff, "Noor", "survivor")
    db.session.commit()
    make_plan(mai, "rent", 400000, currency="THB")
    make_entry(mai, 125050, category="food", currency="THB", note=step)
    make_savings_goal(mai, 1500000, name=savings_name, saved=250000, currency="THB")
    goal_id, appointment_id, circle_id = goal.public_id, appointment.public_id, circle.public_id
    mai_id, staff_id = mai.id, staff.id
    db.session.remove()  # SQLite: the live server must not wait for this test's transaction
    audit = Audit(page)

    page.context.add_cookies([{"name": "lang", "value": code, "url": live.url}])
    for path in ("/sign-in", f"/enrol?code={enrolment_code}", "/calculator"):
        _check(page, audit, path, code, direction)

    sign_in_browser(db.session.get(User, mai_id))
    db.session.remove()
    for path in (
        "/home",
        "/goals/",
        f"/goals/{goal_id}",
        "/appointments",
        f"/appointments/{appointment_id}",
        "/budget/",
        "/circles",
        f"/circles/{circle_id}",
        "/privacy",
        "/account",
    ):
        _check(page, audit, path, code, direction)

    sign_in_browser(db.session.get(User, staff_id))
    db.session.remove()
    for path in ("/staff", "/goals/review", f"/goals/review/{goal_id}", "/people"):
        _check(page, audit, path, code, direction)
    audit.assert_clean()
