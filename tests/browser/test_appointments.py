"""At phone size: staff book an appointment, the survivor sees it in their own time zone on
their home page, asks to move it, staff accept, and the survivor sees the new time."""

import re
from datetime import time, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from axe_playwright_python.sync_playwright import Axe

from survivorapp.database import utcnow
from survivorapp.extensions import db
from survivorapp.localtime import to_utc
from survivorapp.people.caseload import assign
from tests.factories import make_appointment, make_user

LONDON = ZoneInfo("Europe/London")
BANGKOK = ZoneInfo("Asia/Bangkok")


def clock(moment) -> str:
    """English short time as Babel writes it, e.g. 3:00 AM."""
    return moment.strftime("%I:%M %p").lstrip("0")


def assert_accessible(page):
    results = Axe().run(page, context="main", options={"resultTypes": ["violations"]})
    assert results.violations_count == 0, results.generate_report()


def plain(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\u2013", "-"))


def test_book_move_and_accept_across_time_zones(page, live, sign_in_browser):
    staff = make_user("staff", pseudonym="Sam", timezone="Europe/London")
    survivor = make_user("survivor", pseudonym="Mai", timezone="Asia/Bangkok")
    assign(staff, survivor)
    db.session.commit()
    # Plain values, then no transaction left open: SQLite's BEGIN IMMEDIATE would otherwise
    # hold the write lock while the live server needs it.
    staff, survivor = (SimpleNamespace(id=u.id, public_id=u.public_id) for u in (staff, survivor))
    db.session.commit()
    day = utcnow().astimezone(LONDON).date() + timedelta(days=3)
    start = to_utc(day, time(21, 0), LONDON)
    local_start = start.astimezone(BANGKOK)

    # Staff book it from their phone, in London time.
    sign_in_browser(staff)
    page.goto("/appointments/new")
    page.select_option("#survivor", survivor.public_id)
    page.select_option("#kind", "counselling")
    page.fill("#date", day.isoformat())
    page.fill("#start", "21:00")
    page.fill("#end", "22:00")
    assert page.input_value("#timezone") == "Europe/London"
    page.fill("#place", "Room 2")
    page.click("button:text('Save')")
    page.wait_for_url(re.compile(r"/appointments/[\w-]+$"))
    assert "9:00 PM-10:00 PM" in plain(page.inner_text(".appt-detail"))

    # The survivor sees it on their home page in Bangkok time, and asks to move it.
    sign_in_browser(survivor)
    page.goto("/home")
    panel = plain(page.inner_text(".appt-panel"))
    assert f"{clock(local_start)}-{clock(local_start + timedelta(hours=1))}" in panel
    assert "Counselling" in panel
    page.click(".appt-next a")
    page.click("text=Ask to move")
    assert page.input_value("#date") == local_start.date().isoformat()
    page.fill("#start", "15:00")
    page.fill("#end", "16:00")
    page.fill("#message", "I have a class then")
    page.click("button:text('Send request')")
    page.wait_for_url(re.compile(r"/appointments/[\w-]+$"))
    assert "Waiting for an answer" in page.inner_text("main")

    # Staff see the request in their queue, in London time, and accept it.
    sign_in_browser(staff)
    page.goto("/staff")
    page.click("text=1 request to move")
    new_start = to_utc(local_start.date(), time(15, 0), BANGKOK)
    queue = plain(page.inner_text("main"))
    assert "I have a class then" not in queue  # messages are read on the answer page
    assert clock(new_start.astimezone(LONDON)) in queue
    page.click("a:text('Answer')")
    assert page.is_checked("#decision-0")
    page.fill("#note", "See you then")
    page.click("button:text('Send answer')")
    page.wait_for_url(re.compile(r"/appointments/requests$"))
    assert "No requests waiting" in page.inner_text("main")

    # The survivor sees the new time at home, and the answer on the appointment.
    sign_in_browser(survivor)
    page.goto("/home")
    panel = plain(page.inner_text(".appt-panel"))
    assert "3:00 PM-4:00 PM" in panel
    page.click(".appt-next a")
    detail = page.inner_text("main")
    assert "Accepted" in detail and "See you then" in detail
    assert page.title() == "Appointments · Daybook"


def test_the_sharing_tick_box_keeps_its_size_and_its_line(page, live, sign_in_browser):
    """A survivor adding their own appointment: the tick box full size, its label beside it
    on one line, the note about what they share below them (it once squeezed all three)."""
    sign_in_browser(make_user("survivor"))
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/appointments/new")
    box = page.locator("#shared").bounding_box()
    label = page.locator("label[for=shared]").bounding_box()
    hint = page.locator("#shared-hint").bounding_box()
    assert box["width"] >= 23 and box["height"] >= 23
    assert label["height"] < 2 * 30  # one line, perhaps two, not a word per line
    assert hint["y"] >= label["y"] + label["height"] - 1
    # Every tick box and radio of this kind keeps its label beside it, long labels included.
    page.goto("/calendar")
    checks = page.locator(".choice").all()
    assert len(checks) >= 4
    for check in checks:
        box = check.locator("input").bounding_box()
        label = check.locator("label").bounding_box()
        assert label["x"] >= box["x"] + box["width"] and label["y"] < box["y"] + box["height"]


MARKER = "e => getComputedStyle(e, '::before').content"


def test_past_appointments_look_like_something_to_open(page, live, sign_in_browser):
    """The folded list of past appointments shows a disclosure arrow that reads the page's way
    and turns down when open (its flex layout had hidden the browser's own)."""
    person = make_user("survivor")
    make_appointment(person, start=(utcnow() - timedelta(days=3)).replace(microsecond=0))
    sign_in_browser(person)
    db.session.remove()
    page.goto("/appointments")
    summary = page.locator("details.appt-past summary")
    assert "\u25b8" in summary.evaluate(MARKER)
    summary.click()
    assert "\u25be" in summary.evaluate(MARKER)
    page.evaluate("document.documentElement.dir = 'rtl'")
    summary.click()
    assert "\u25c2" in summary.evaluate(MARKER)


def test_after_an_appointment_the_person_marks_whether_they_went(page, live, sign_in_browser):
    """At 320px, with no JavaScript needed: the question, two radios with their labels as the
    tap targets, Save, and the answer in a whole sentence; no axe violations either way round."""
    staff = make_user("staff")
    person = make_user("survivor")
    past = make_appointment(
        person, by=staff, start=(utcnow() - timedelta(days=1)).replace(microsecond=0)
    )
    url = f"/appointments/{past.public_id}"
    sign_in_browser(person)
    db.session.remove()
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(url)
    assert page.locator("legend", has_text="Did you go?").count() == 1
    label = page.locator("label[for=outcome-0]")
    assert label.bounding_box()["height"] >= 44
    label.click()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/appointments/[\w-]+$"))
    assert "You marked this as attended." in page.inner_text(".appt-detail")
    assert page.locator("#outcome-0").is_checked()
    assert_accessible(page)
    page.evaluate("document.documentElement.dir = 'rtl'")
    assert_accessible(page)
