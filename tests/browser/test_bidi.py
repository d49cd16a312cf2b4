"""Typed text keeps its own direction on a page in another: on an Arabic page, a goal titled in
English still reads "Rent 200!" (not "!Rent 200"), and an input follows what is typed in it."""

from playwright.sync_api import expect

from survivorapp.extensions import db
from tests.browser.journeys import switch_language
from tests.factories import make_user
from tests.goals.factories import make_goal

LTR = "e => e.matches(':dir(ltr)')"


def test_an_english_title_stays_left_to_right_on_an_arabic_page(page, live, sign_in_browser):
    person = make_user("survivor")
    url = f"/goals/{make_goal(person, title='Rent 200!').public_id}"
    sign_in_browser(person)
    db.session.remove()  # hold no database transaction while the browser works
    page.goto("/goals/")
    switch_language(page, "ar")
    page.goto(url)
    expect(page.locator("html")).to_have_attribute("dir", "rtl")

    heading = page.locator("h1.goal-title")
    title = heading.locator("bdi")
    expect(title).to_have_text("Rent 200!")
    assert title.evaluate(LTR)
    assert not heading.evaluate(LTR)  # the heading itself stays with the page

    step = page.locator("input[name=text]")
    # Empty, it follows the page (placeholder and caret on the right), not dir=auto's default.
    assert step.evaluate("e => getComputedStyle(e).direction") == "rtl"
    step.fill("Rent 200!")
    assert step.evaluate(LTR)  # the input follows what is typed in it (dir=auto)
