"""Issue 15: every role's journey at phone size in Chromium, walked by pointer and by keyboard
alone, each in English and in Arabic (right to left, found by the Arabic words), with axe-core
(WCAG 2.2 A/AA), reflow at 320 px and 200 % text and touch targets after every step; English
walks then visit each page again in dark and in Arabic."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from survivorapp.accounts.models import User
from survivorapp.circles.models import Circle, SessionChange
from survivorapp.extensions import db
from survivorapp.i18n import LANGUAGE_NAMES
from survivorapp.people import caseload, team
from survivorapp.settings import OrgSettings
from tests.browser.journeys import DIGIT, FOCUS_JS, Audit, Language
from tests.browser.test_safety import answer_exit_site
from tests.factories import make_appointment, make_circle, make_goal, make_user
from tests.helpers import soon

TIMEOUT = 15_000


def pick_radio(audit, name: str, target) -> None:
    """Tab into a radio group, then ArrowDown until `target` is chosen (Space when Tab lands on
    it unchosen), as a keyboard user picks a radio button; every stop must show focus."""
    page = audit.page
    for _ in range(60):
        page.keyboard.press("Tab")
        audit.note_focus()
        if page.evaluate("n => document.activeElement.name === n", name):
            break
    else:
        raise AssertionError(f"could not reach the {name} radio group with Tab")
    for _ in range(10):
        if target.is_checked():
            expect(target).to_be_focused()
            return
        focused = target.evaluate("el => el === document.activeElement")
        page.keyboard.press("Space" if focused else "ArrowDown")
        audit.note_focus()
    raise AssertionError(f"could not choose {target} with the arrow keys")


# -- By pointer, in English and in Arabic ---------------------------------------------------
# One journey per role, walked with clicks and fills in each language: the same steps, every
# word found through the catalogue (`t`), so the Arabic walk finds controls by their Arabic
# names and sees Arabic headings and announcements, right to left.


@pytest.fixture(params=["en", "ar"])
def t(request, page, live) -> Language:
    return Language(request.param, page, live)


def heading(page):
    return page.get_by_role("heading", level=1)


def open_nav(page, t, name: str) -> None:
    page.get_by_role("navigation", name=t("Main")).get_by_role("link", name=t(name)).click()


def sweep_english(audit, t, **kw) -> None:
    """An English walk ends with every page again in dark and in Arabic; an Arabic walk has
    been checked in Arabic at every step already."""
    if t.code == "en":
        audit.sweep(**kw)


def test_survivor_journey(page, live, t, authenticator):
    staff = make_user("staff", pseudonym="Sam")
    mentor = make_user("mentor", pseudonym="Lucía")
    kim, code = team.invite(None, "Kim", "survivor")
    caseload.assign(staff, kim)
    make_circle(mentor, name="Tuesday talk", languages=[t.code])
    make_appointment(kim, by=staff)
    db.session.commit()
    exit_url = answer_exit_site(page.context, live)
    db.session.remove()
    audit = Audit(page, t.code)
    when = t.pattern("%(date)s, %(start)s–%(end)s")

    # Enrol with the code staff gave: read the privacy note, create a passkey, land home.
    page.goto(f"/enrol?code={code}")
    audit.check()
    page.get_by_role("button", name=t("Create a passkey")).click()
    page.wait_for_url(re.compile(r"/home$"), timeout=TIMEOUT)
    expect(heading(page)).to_have_text(t("Today"))
    audit.check()

    # Set a goal, add a step, tick it, send it for approval (announced).
    open_nav(page, t, "Goals")
    expect(heading(page)).to_have_text(t("Goals"))
    audit.check()
    page.get_by_role("link", name=t("New goal")).click()
    expect(heading(page)).to_have_text(t("A new goal"))
    audit.check()
    page.get_by_label(t("Area of life")).select_option(label=t("Education"))
    page.get_by_label(t("Your goal"), exact=True).fill("Finish my English course")
    page.get_by_role("button", name=t("Save goal")).click()
    expect(heading(page)).to_have_text("Finish my English course")
    audit.check()
    page.get_by_label(t("Add a step")).fill("Sign up for the course")
    page.get_by_role("button", name=t("Add step")).click()
    step = page.get_by_role("button", name="Sign up for the course", exact=True)
    step.click()
    expect(step).to_have_attribute("aria-pressed", "true")
    audit.check()
    page.get_by_role("button", name=t("Send for approval")).click()
    sent = t("Sent. We will let you know when there is a reply.")
    expect(page.get_by_role("status").filter(has_text=sent)).to_be_visible()
    audit.check()

    # Log spending with quick entry: the amount typed as a person writing this language would.
    open_nav(page, t, "Budget")
    expect(heading(page)).to_have_text(t("Budget"))
    audit.check()
    page.locator(".budget-quick").get_by_role("link", name=t("Food"), exact=True).click()
    amount = page.get_by_label(t.pattern("Amount (%(currency)s)", numbers=False))
    expect(amount).to_be_focused()
    audit.check()
    amount.fill({"ar": "١٢٫٥٠"}.get(t.code, "12.50"))
    page.locator("#quick-entry").get_by_role("button", name=t("Save"), exact=True).click()
    expect(page.locator(".flash")).to_have_text(t.pattern("Saved: %(amount)s on %(date)s."))
    audit.check()

    # Join a circle.
    open_nav(page, t, "Circles")
    expect(heading(page)).to_have_text(t("Circles"))
    audit.check()
    page.get_by_role("link", name="Tuesday talk").click()
    expect(heading(page)).to_have_text("Tuesday talk")
    audit.check()
    page.get_by_role("button", name=t("Join the circle")).click()
    expect(page.locator(".flash")).to_have_text(t("You have joined the circle."))
    expect(page.locator(".circle-place-text")).to_be_visible()
    audit.check()

    # Ask to move the appointment: its time and the suggested one are shown, with numbers.
    open_nav(page, t, "Appointments")
    expect(heading(page)).to_have_text(t("Appointments"))
    audit.check()
    page.locator("main li.card").get_by_role("link", name=t("Counselling")).click()
    expect(heading(page)).to_have_text(t("Counselling"))
    expect(page.locator(".appt-when-text time")).to_have_text(when)
    audit.check()
    page.get_by_role("link", name=t("Ask to move")).click()
    expect(heading(page)).to_have_text(t("Ask to move"))
    audit.check()
    page.get_by_label(t("Starts"), exact=True).fill("15:00")
    page.get_by_label(t("Ends"), exact=True).fill("16:00")
    page.get_by_label(t("Message (optional)")).fill("I have a class then")
    page.get_by_role("button", name=t("Send request")).click()
    expect(page.locator(".flash")).to_have_text(
        t("Your request was sent. You will see the answer here.")
    )
    request = page.locator(".appt-request")
    expect(request).to_contain_text(t("Waiting for an answer"))
    expect(request.locator("time")).to_have_text(when)
    audit.check()

    # The enrolment code is spent, so its page is not visited again.
    sweep_english(audit, t, skip=("/enrol",))

    # Quick exit.
    page.goto("/home")
    page.get_by_role("link", name=t("Leave now")).click()
    page.wait_for_url(exit_url)
    audit.assert_clean()


def test_staff_journey(page, live, t, sign_in_browser):
    staff = make_user("staff", pseudonym="Sam", timezone="Europe/London")
    mai = make_user("survivor", pseudonym="Mai", timezone="Europe/London")
    caseload.assign(staff, mai)
    make_goal(mai, title="Finish my English course", area="education", submit=True)
    sign_in_browser(staff)
    db.session.remove()
    audit = Audit(page, t.code)
    day = soon(3, "Europe/London")

    page.goto("/staff")
    expect(heading(page)).to_have_text(t("Your work"))
    audit.check()

    # Invite someone: a code to show them.
    open_nav(page, t, "People")
    expect(heading(page)).to_have_text(t("People"))
    audit.check()
    page.locator("main").get_by_role("link", name=t("Add a person")).click()
    expect(heading(page)).to_have_text(t("Add a person"))
    audit.check()
    page.get_by_label(t("Name to use")).fill("Noor")
    page.get_by_role("button", name=t("Create and show code")).click()
    expect(heading(page)).to_have_text(t("One-time code"))
    expect(page.locator(".enrol-typed code")).to_have_text(re.compile(r"[2-9A-Z]{4}-"))
    audit.check()

    # Approve a goal with a comment.
    open_nav(page, t, "Work")
    page.get_by_role("link", name=f"Mai: {t('Education')}").click()
    expect(heading(page)).to_have_text("Finish my English course")
    audit.check()
    page.get_by_label(t("Comment")).fill("Well planned. Good luck!")
    page.get_by_role("button", name=t("Approve")).click()
    expect(page.locator(".flash")).to_have_text(t("Your reply is sent."))
    audit.check()

    # Book an appointment from the work page: its time is shown back, with numbers.
    open_nav(page, t, "Work")
    page.get_by_role("link", name=t("Book an appointment")).click()
    expect(heading(page)).to_have_text(t("Add an appointment"))
    audit.check()
    page.get_by_label(t("For"), exact=True).select_option(label="Mai (Europe/London)")
    page.get_by_label(t("Kind"), exact=True).select_option(label=t("Counselling"))
    page.get_by_label(t("Date"), exact=True).fill(day.isoformat())
    page.get_by_label(t("Starts"), exact=True).fill("10:00")
    page.get_by_label(t("Ends"), exact=True).fill("11:00")
    page.get_by_label(t("Place (optional)")).fill("Room 2")
    page.get_by_role("button", name=t("Save"), exact=True).click()
    expect(heading(page)).to_have_text(t("Counselling"))
    expect(page.locator(".appt-detail")).to_contain_text("Room 2")
    expect(page.locator(".appt-when-text time")).to_have_text(
        t.pattern("%(date)s, %(start)s–%(end)s")
    )
    audit.check()

    # Lock a lost phone: one action, a fresh code.
    open_nav(page, t, "People")
    page.locator("main .people").get_by_role("link", name="Mai").click()
    expect(heading(page)).to_have_text("Mai")
    audit.check()
    page.get_by_role("button", name=t("Lock account and issue a new code")).click()
    expect(heading(page)).to_have_text(t("One-time code"))
    expect(page.locator(".enrol-typed code")).to_have_text(re.compile(r"[2-9A-Z]{4}-"))
    audit.check()

    sweep_english(audit, t)
    audit.assert_clean()


def test_mentor_journey(page, live, t, sign_in_browser):
    mentor = make_user("mentor", pseudonym="Lucía", timezone="Europe/Madrid")
    sign_in_browser(mentor)
    db.session.remove()
    audit = Audit(page, t.code)
    first = soon(2)

    page.goto("/mentor")
    expect(heading(page)).to_have_text(t("Your groups"))
    audit.check()
    open_nav(page, t, "Circles I run")
    expect(heading(page)).to_have_text(t("Circles I run"))
    audit.check()
    page.locator("main").get_by_role("link", name=t("Post a circle")).click()
    expect(heading(page)).to_have_text(t("Post a circle"))
    audit.check()
    page.get_by_label(t("Name"), exact=True).fill("Evening talk")
    page.get_by_label(t("Topic"), exact=True).select_option(label=t("Friendship and social time"))
    page.get_by_label(LANGUAGE_NAMES[t.code], exact=True).check()
    page.get_by_label(t("In person"), exact=True).check()
    page.get_by_label(t("Place, link or phone number"), exact=True).fill("Room 2")
    page.get_by_label(t("Places"), exact=True).fill("6")
    page.get_by_label(t("Every week"), exact=True).check()
    page.get_by_label(t("First date"), exact=True).fill(first.isoformat())
    page.get_by_label(t("Start time"), exact=True).fill("18:00")
    page.get_by_label(t("Time zone"), exact=True).fill("Europe/Madrid")
    page.get_by_label(t("After a number of sessions"), exact=True).check()
    page.get_by_label(t("Number of sessions (up to 60)"), exact=True).fill("4")
    page.get_by_role("button", name=t("Post the circle")).click()
    expect(heading(page)).to_have_text("Evening talk")
    expect(page.locator(".circle-session")).to_have_count(4)
    audit.check()

    # Cancel the second session with a note: the session page is headed by its date and time.
    page.locator(".circle-session a").nth(1).click()
    expect(heading(page)).to_have_text(re.compile(DIGIT))
    audit.check()
    page.get_by_label(t("Short note for members (optional)")).first.fill("The room is closed")
    page.get_by_role("button", name=t("Cancel this session")).click()
    expect(page.get_by_text(t("This session is cancelled."))).to_be_visible()
    audit.check()

    sweep_english(audit, t)
    audit.assert_clean()


def test_admin_journey(page, live, t, sign_in_browser):
    admin = make_user("admin", pseudonym="Robin")
    make_user("staff", pseudonym="Sam")
    make_user("survivor", pseudonym="Ana")
    sign_in_browser(admin)
    db.session.remove()
    audit = Audit(page, t.code)

    page.goto("/admin")
    expect(heading(page)).to_have_text(t("Organisation"))
    audit.check()

    # Give Ana a contact on staff.
    page.locator("main").get_by_role("link", name=t("Caseloads")).click()
    expect(heading(page)).to_have_text(t("Caseloads"))
    audit.check()
    page.get_by_label(t("Contact on staff for %(name)s", name="Ana")).select_option(label="Sam")
    page.get_by_role("button", name=t("Assign")).click()
    expect(page.locator(".flash")).to_have_text(
        t("%(person)s is now with %(staff)s.", person="Ana", staff="Sam")
    )
    audit.check()

    # Rebrand: a new name and the leaf icon.
    open_nav(page, t, "Organisation")
    page.locator("main").get_by_role("link", name=t("Settings"), exact=True).click()
    expect(heading(page)).to_have_text(t("Organisation settings"))
    audit.check()
    page.get_by_label(t("App name")).fill("Sunny Planner")
    page.get_by_label(t("Leaf")).check()
    page.get_by_role("button", name=t("Save settings")).click()
    expect(page.locator(".flash")).to_have_text(
        t("Settings saved. They apply from the next page people open.")
    )
    expect(page.locator(".brand")).to_have_text("Sunny Planner")
    audit.check()

    sweep_english(audit, t)
    audit.assert_clean()


# -- By keyboard, in English and in Arabic ------------------------------------------------
# The same journeys with Tab, Shift+Tab, Enter, Space, arrow keys and typing alone, every
# stop visibly focused; names, headings, option labels typed into selects and announcements
# come from the catalogue, so the Arabic walk goes right to left by the Arabic words.


def test_survivor_journey_by_keyboard(page, live, t, authenticator):
    staff = make_user("staff", pseudonym="Sam")
    mentor = make_user("mentor", pseudonym="Lucía")
    user, code = team.invite(None, "Kim", "survivor")
    caseload.assign(staff, user)
    make_circle(mentor, name="Tuesday talk", languages=[t.code])
    make_appointment(user, by=staff)
    db.session.commit()
    exit_url = answer_exit_site(page.context, live)
    db.session.remove()
    audit = Audit(page, t.code)
    key = page.keyboard

    # Enrol with the code, and a passkey made by keyboard.
    page.goto(f"/enrol?code={code}")
    audit.check()
    audit.press(page.get_by_role("button", name=t("Create a passkey")))
    page.wait_for_url(re.compile(r"/home$"), timeout=TIMEOUT)
    expect(page.locator("h1")).to_have_text(t("Today"))
    audit.check()

    # Set a goal, add a step, tick it (focus stays on it), send it (announced).
    audit.press(page.get_by_role("link", name=t("Goals"), exact=True))
    page.wait_for_url("**/goals/")
    audit.check()
    audit.press(page.get_by_role("link", name=t("New goal")))
    page.wait_for_url("**/goals/new")
    audit.check()
    audit.tab_to(page.get_by_label(t("Area of life")))
    audit.keys(t("Education"))
    audit.type_into(page.get_by_label(t("Your goal"), exact=True), "Finish my English course")
    key.press("Enter")
    expect(heading(page)).to_have_text("Finish my English course")
    audit.type_into(page.get_by_label(t("Add a step")), "Sign up for the course")
    key.press("Enter")
    step = page.get_by_role("button", name="Sign up for the course", exact=True)
    expect(step).to_be_visible()
    audit.press(step, "Space", backwards=True)
    expect(step).to_have_attribute("aria-pressed", "true")
    expect(step).to_be_focused()
    audit.check()
    audit.press(page.get_by_role("button", name=t("Send for approval")))
    sent = t("Sent. We will let you know when there is a reply.")
    announced = page.locator("[role=status], [aria-live]").filter(has_text=sent)
    expect(announced.first).to_be_visible()
    audit.check()

    # Log spending with quick entry: the amount typed as a person writing this language would.
    audit.press(page.get_by_role("link", name=t("Budget"), exact=True), backwards=True)
    page.wait_for_url("**/budget/")
    audit.check()
    audit.press(page.locator(".budget-quick").get_by_role("link", name=t("Food"), exact=True))
    expect(page.locator("#amount")).to_be_focused()
    audit.check()
    expect(page.locator("#amount")).to_be_focused()
    audit.keys({"ar": "١٢٫٥٠"}.get(t.code, "12.50"))
    key.press("Enter")
    expect(page.locator(".flash")).to_have_text(t.pattern("Saved: %(amount)s on %(date)s."))
    audit.check()

    # Join a circle.
    audit.press(page.get_by_role("link", name=t("Circles"), exact=True), backwards=True)
    page.wait_for_url("**/circles")
    audit.check()
    audit.press(page.get_by_role("link", name="Tuesday talk"))
    page.wait_for_url(re.compile(r"/circles/[\w-]+$"))
    audit.check()
    audit.press(page.get_by_role("button", name=t("Join the circle")))
    expect(page.locator(".circle-place-text")).to_be_visible(timeout=TIMEOUT)
    audit.check()

    # Ask to move the appointment.
    audit.press(page.get_by_role("link", name=t("Appointments"), exact=True), backwards=True)
    page.wait_for_url("**/appointments*")
    audit.check()
    audit.press(page.locator("main li.card a").first)
    page.wait_for_url(re.compile(r"/appointments/[\w-]+$"))
    audit.check()
    audit.press(page.get_by_role("link", name=t("Ask to move")))
    page.wait_for_url(re.compile(r"/move"))
    audit.check()
    audit.tab_to(page.locator("#start"))
    key.type("0300P")
    audit.tab_to(page.locator("#end"))
    key.type("0400P")
    audit.type_into(page.locator("#message"), "I have a class then")
    audit.press(page.get_by_role("button", name=t("Send request")))
    page.wait_for_url(re.compile(r"/appointments/[\w-]+$"))
    expect(page.locator("main")).to_contain_text(t("Waiting for an answer"))
    audit.check()

    # The enrolment code is spent, so its page is not visited again.
    sweep_english(audit, t, skip=("/enrol",))

    # Quick exit: the first Tab stop from the top of the page, then Enter.
    page.goto("/home")
    key.press("Tab")
    expect(page.locator("#quick-exit")).to_be_focused()
    assert page.evaluate(FOCUS_JS) == ""
    key.press("Enter")
    page.wait_for_url(exit_url)
    audit.assert_clean()


def test_staff_journey_by_keyboard(page, live, t, sign_in_browser):
    staff = make_user("staff", pseudonym="Sam", timezone="Europe/London")
    mai = make_user("survivor", pseudonym="Mai", timezone="Europe/London")
    caseload.assign(staff, mai)
    make_goal(mai, title="Finish my English course", area="education", submit=True)
    mai_id = mai.public_id
    sign_in_browser(staff)
    db.session.remove()
    audit = Audit(page, t.code)
    key = page.keyboard

    page.goto("/staff")
    audit.check()
    page.keyboard.press("Tab")  # the first stop is the quick exit, visibly focused
    expect(page.locator("#quick-exit")).to_be_focused()
    assert page.evaluate(FOCUS_JS) == ""

    # Invite someone: a code to show them.
    audit.press(page.get_by_role("link", name=t("People"), exact=True))
    page.wait_for_url("**/people")
    audit.check()
    audit.press(page.locator("main a[href$='/people/invite']").first)
    page.wait_for_url("**/people/invite")
    audit.check()
    audit.type_into(page.get_by_label(t("Name to use")), "Noor")
    key.press("Enter")
    expect(page.locator(".enrol-typed code")).to_have_text(re.compile(r"[2-9A-Z]{4}-"))
    audit.check()

    # Approve a goal with a comment.
    audit.press(page.get_by_role("link", name=t("Work"), exact=True), backwards=True)
    page.wait_for_url("**/staff")
    goal = re.compile("^" + re.escape(f"Mai: {t('Education')}"))
    audit.press(page.get_by_role("link", name=goal))
    expect(heading(page)).to_have_text("Finish my English course")
    audit.check()
    audit.type_into(page.get_by_label(t("Comment")), "Well planned. Good luck!")
    audit.press(page.get_by_role("button", name=t("Approve")))
    announced = page.locator("[role=status], [aria-live], [role=alert]")
    expect(announced.filter(has_text=t("Your reply is sent.")).first).to_be_visible()
    audit.check()

    # Book an appointment, from the work page.
    day = soon(3, "Europe/London")
    audit.press(page.get_by_role("link", name=t("Work"), exact=True), backwards=True)
    page.wait_for_url("**/staff")
    audit.check()
    audit.press(page.get_by_role("link", name=t("Book an appointment")))
    page.wait_for_url("**/appointments/new")
    audit.check()
    audit.tab_to(page.locator("#survivor"))
    audit.keys("Mai")
    audit.tab_to(page.locator("#kind"))
    audit.keys(t("Counselling"))
    audit.tab_to(page.locator("#date"))
    key.type(day.strftime("%m%d%Y"))
    audit.tab_to(page.locator("#start"))
    key.type("1000A")
    audit.tab_to(page.locator("#end"))
    key.type("1100A")
    audit.type_into(page.locator("#place"), "Room 2")
    audit.press(page.get_by_role("button", name=t("Save"), exact=True))
    page.wait_for_url(re.compile(r"/appointments/[\w-]+$"))
    expect(page.locator(".appt-detail")).to_contain_text("Room 2")
    audit.check()

    # Lock a lost phone: one action, a fresh code.
    audit.press(page.get_by_role("link", name=t("People"), exact=True), backwards=True)
    page.wait_for_url("**/people")
    audit.press(page.locator("main .people a", has_text="Mai"))
    page.wait_for_url(f"**/people/{mai_id}")
    audit.check()
    audit.press(page.get_by_role("button", name=t("Lock account and issue a new code")))
    expect(page.locator(".enrol-typed code")).to_have_text(re.compile(r"[2-9A-Z]{4}-"))
    audit.check()

    sweep_english(audit, t, skip=("/people/invite",))
    audit.assert_clean()


def test_mentor_journey_by_keyboard(page, live, t, sign_in_browser):
    mentor = make_user("mentor", pseudonym="Lucía", timezone="Europe/Madrid")
    mentor_id = mentor.id
    sign_in_browser(mentor)
    db.session.remove()
    audit = Audit(page, t.code)
    key = page.keyboard
    first = soon(2)

    page.goto("/mentor")
    key.press("Tab")  # the first stop is the quick exit, visibly focused
    expect(page.locator("#quick-exit")).to_be_focused()
    assert page.evaluate(FOCUS_JS) == ""

    # Post a weekly circle of four sessions, in the journey's language.
    audit.press(page.get_by_role("link", name=t("Circles I run")))
    page.wait_for_url("**/circles/run")
    audit.press(page.locator("main").get_by_role("link", name=t("Post a circle")))
    page.wait_for_url("**/circles/run/new")
    audit.type_into(page.locator("#name"), "Evening talk")
    audit.tab_to(page.locator("#topic"))
    audit.keys(t("Friendship and social time"))
    expect(page.locator("#topic")).to_have_value("friendship")
    language = page.locator(f"input[name=languages][value={t.code}]")
    audit.press(language, "Space")
    expect(language).to_be_checked()
    pick_radio(audit, "format", page.locator("input[name=format][value=in_person]"))
    audit.type_into(page.locator("#place"), "Room 2")
    audit.type_into(page.locator("#capacity"), "6")
    pick_radio(audit, "repeat", page.locator("input[name=repeat][value=weekly]"))
    audit.tab_to(page.locator("#first_date"))
    key.type(first.strftime("%m%d%Y"))
    expect(page.locator("#first_date")).to_have_value(first.isoformat())
    audit.tab_to(page.locator("#start_time"))
    key.type("0600P")
    expect(page.locator("#start_time")).to_have_value("18:00")
    audit.type_into(page.locator("#timezone"), "Europe/Madrid")
    pick_radio(audit, "ends", page.locator("input[name=ends][value=count]"))
    audit.type_into(page.locator("#count"), "4")
    audit.press(page.get_by_role("button", name=t("Post the circle")))
    page.wait_for_url(re.compile(r"/circles/run/(?!new)[\w-]+$"))
    expect(page.locator("h1")).to_have_text("Evening talk")
    expect(page.locator(".circle-session")).to_have_count(4)
    audit.check()

    # Cancel the second session with a note for members.
    audit.press(page.locator(".circle-session a").nth(1))
    page.wait_for_url("**/sessions/*")
    audit.type_into(page.locator("#note"), "The room is closed")
    audit.press(page.get_by_role("button", name=t("Cancel this session")))
    expect(page.get_by_text(t("This session is cancelled."))).to_be_visible()
    audit.check()

    db.session.remove()
    circle = db.session.scalars(select(Circle).where(Circle.mentor_id == mentor_id)).one()
    assert (circle.name, circle.topic, circle.format) == ("Evening talk", "friendship", "in_person")
    assert (circle.place, circle.capacity, circle.repeat) == ("Room 2", 6, "weekly")
    assert (circle.first_date, circle.tzid) == (first, "Europe/Madrid")
    assert circle.start_time.strftime("%H:%M") == "18:00"
    assert "COUNT=4" in circle.rrule
    changes = select(SessionChange).where(SessionChange.circle_id == circle.id)
    change = db.session.scalars(changes).one()
    assert change.cancelled and change.note == "The room is closed"
    audit.assert_clean()


def test_admin_journey_by_keyboard(page, live, t, sign_in_browser):
    admin = make_user("admin", pseudonym="Robin")
    make_user("staff", pseudonym="Sam")
    ana = make_user("survivor", pseudonym="Ana")
    ana_id = ana.id
    sign_in_browser(admin)
    db.session.remove()
    audit = Audit(page, t.code)
    key = page.keyboard

    page.goto("/admin")
    key.press("Tab")  # the first stop is the quick exit, visibly focused
    expect(page.locator("#quick-exit")).to_be_focused()
    assert page.evaluate(FOCUS_JS) == ""

    # Give Ana a contact on staff: the select changed by typing, then Assign.
    audit.press(page.get_by_role("link", name=t("Caseloads")).last)
    page.wait_for_url("**/admin/caseloads")
    select_staff = page.get_by_label(t("Contact on staff for %(name)s", name="Ana"))
    audit.tab_to(select_staff)
    audit.keys("Sam")
    expect(select_staff.locator("option:checked")).to_have_text("Sam")
    audit.press(page.get_by_role("button", name=t("Assign")))
    assigned = t("%(person)s is now with %(staff)s.", person="Ana", staff="Sam")
    expect(page.locator(".flashes")).to_contain_text(assigned)
    audit.check()

    # Rebrand: a new name and the leaf icon.
    audit.press(page.get_by_role("link", name=t("Organisation"), exact=True), backwards=True)
    page.wait_for_url("**/admin")
    audit.press(page.locator("main").get_by_role("link", name=t("Settings"), exact=True))
    page.wait_for_url("**/admin/settings")
    audit.type_into(page.get_by_label(t("App name")), "Sunny Planner")
    pick_radio(audit, "brand_icon", page.get_by_label(t("Leaf")))
    audit.press(page.get_by_role("button", name=t("Save settings")))
    expect(page.locator(".brand")).to_have_text("Sunny Planner")
    audit.check()

    db.session.remove()
    ana = db.session.get(User, ana_id)
    worker = caseload.case_worker_of(ana)
    assert worker is not None and worker.pseudonym == "Sam"
    settings = db.session.scalars(select(OrgSettings)).one()
    assert (settings.brand_name, settings.brand_icon) == ("Sunny Planner", "leaf")
    audit.assert_clean()
