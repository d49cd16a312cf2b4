"""A survivor sets a goal on a phone, ticks a step without a reload, shares it; a member of
staff approves it in another browser; the survivor sees the reply."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from survivorapp.extensions import db
from survivorapp.people import caseload
from tests.browser.conftest import CSP_WATCH, PHONE
from tests.factories import make_goal, make_user
from tests.helpers import sign_in


@pytest.fixture
def second_browser(browser, live):
    """signed_in(user) -> a second, separate browser context (its own cookies) for `user`."""
    contexts = []

    def signed_in(user):
        context = signed_in_context(browser, live, user)
        contexts.append(context)
        return context

    yield signed_in
    for context in contexts:
        context.close()


def signed_in_context(browser, live, user):
    client = live.app.test_client()
    sign_in(client, user)
    cookie = client.get_cookie(live.app.config["SESSION_COOKIE_NAME"])
    context = browser.new_context(viewport=PHONE, base_url=live.url)
    context.add_init_script(CSP_WATCH)
    context.add_cookies(
        [
            {
                "name": cookie.key,
                "value": cookie.value,
                "url": live.url,
                "httpOnly": True,
                "sameSite": "Lax",
            }
        ]
    )
    return context


def test_set_share_and_approve_a_goal_on_a_phone(page, live, second_browser, sign_in_browser):
    mai = make_user("survivor", pseudonym="Mai")
    sam = make_user("staff", pseudonym="Sam")
    caseload.assign(sam, mai)
    db.session.commit()
    sign_in_browser(mai)
    # Staff sign in in a second, separate browser context (their own cookies).
    staff = second_browser(sam)
    db.session.remove()  # hold no database transaction while the browsers work

    # Create a goal.
    page.goto("/goals/")
    page.get_by_role("link", name="New goal").click()
    page.get_by_label("Area of life").select_option("education")
    page.get_by_label("Your goal").fill("Finish my English course")
    page.get_by_label("Why this matters to you (optional)").fill("To talk with my neighbours")
    page.get_by_role("button", name="Save goal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Finish my English course")
    expect(page.locator(".flashes")).to_contain_text("Only you can see it for now.")
    goal_url = page.url

    # Add two steps and tick one, all without a page load.
    page.evaluate("window.__stillHere = true")
    for text in ("Sign up for the course", "Go to the first class"):
        page.get_by_label("Add a step").fill(text)
        page.get_by_role("button", name="Add step").click()
        expect(page.get_by_role("button", name=text, exact=True)).to_be_visible()
    expect(page.get_by_label("Add a step")).to_have_value("")
    # The message from the page load is stale once the goal changes without a reload.
    expect(page.locator(".flashes")).to_have_count(0)
    page.get_by_role("button", name="Sign up for the course", exact=True).click()
    expect(page.get_by_role("button", name="Sign up for the course", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.locator(".goal-progress")).to_have_text("1 of 2 steps done")
    # Keyboard focus stays on the step that was ticked, in the new content.
    assert page.evaluate("document.activeElement.getAttribute('aria-pressed')") == "true"
    assert page.evaluate("window.__stillHere") is True
    assert page.url == goal_url

    # Share it: the sentence explains what sending means.
    expect(page.get_by_text("Only you can see this goal until you send it")).to_be_visible()
    page.get_by_role("button", name="Send for approval").click()
    expect(page.get_by_text("Sent: waiting for a reply")).to_be_visible()
    expect(page.locator(".goal .notice")).to_contain_text("Sent. We will let you know")
    expect(page.get_by_text("Only you can see it for now.")).to_have_count(0)
    assert page.evaluate("window.__stillHere") is True

    # Staff approve it in their own browser.
    staff_page = staff.new_page()
    staff_errors = []
    staff_page.on("console", lambda m: m.type == "error" and staff_errors.append(m.text))
    staff_page.goto("/staff")
    staff_page.get_by_role("link", name=re.compile("^Mai: Education")).click()
    expect(staff_page.get_by_role("heading", level=1)).to_have_text("Finish my English course")
    staff_page.get_by_label("Comment").fill("Well planned. Good luck!")
    staff_page.get_by_role("button", name="Approve").click()
    expect(staff_page.get_by_text("Your reply is sent.")).to_be_visible()
    assert staff_page.evaluate("window.__cspViolations") == []
    assert staff_errors == []

    # The survivor sees the reply on their home page and on the goal.
    page.goto("/home")
    expect(page.get_by_text("You have 1 new reply about your goals.")).to_be_visible()
    page.get_by_role("link", name="Finish my English course").first.click()
    expect(page.get_by_text("Sam approved this goal")).to_be_visible()
    expect(page.get_by_text("Well planned. Good luck!").first).to_be_visible()
    expect(page.locator(".goal-history")).to_contain_text("Approved the goal")


def test_a_step_with_a_mistake_is_explained_in_place(page, live, sign_in_browser):
    """htmx swaps a 422 answer in like a success: the message and what was typed appear on the
    card, the page does not reload, and no console error is left (htmx-config in base.html)."""
    mai = make_user("survivor", pseudonym="Mai")
    goal = make_goal(mai, title="A room of my own")
    url = f"/goals/{goal.public_id}"
    sign_in_browser(mai)
    db.session.remove()
    page.goto(url)
    page.evaluate("window.__samePage = true")
    page.get_by_label("Add a step").fill("x" * 600)
    page.get_by_role("button", name="Add step").click()
    expect(page.locator(".goal-add-step .error")).to_contain_text("characters or fewer")
    expect(page.get_by_label("Add a step")).to_have_value("x" * 600)
    assert page.evaluate("window.__samePage === true")  # swapped in, not reloaded
    assert page.url.endswith(url)
