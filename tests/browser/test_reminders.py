"""Settings → Reminders in real Chromium: the page passes axe and the layout checks, the
button appears where the Push API exists, and nothing happens before a tap. Playwright's
contexts are incognito, where Chromium has no Push API, so the tap itself is not made here:
the subscription round trip is tested in tests/reminders with a generated key pair and a
local push service."""

from __future__ import annotations

from playwright.sync_api import expect

from survivorapp.extensions import db
from tests.browser.journeys import Audit
from tests.factories import make_user


def test_reminders_settings_on_a_phone(page, live, sign_in_browser):
    person = make_user("survivor", pseudonym="Ana Reminders", timezone="Europe/Madrid")
    sign_in_browser(person)
    db.session.remove()
    audit = Audit(page)
    # Headless Chromium answers "denied" unless told otherwise: allow, as a person would.
    page.context.grant_permissions(["notifications"])

    page.goto("/account")
    page.get_by_role("link", name="Reminders").click()
    expect(page.locator("h1")).to_have_text("Reminders")
    button = page.get_by_role("button", name="Turn on reminders for this device")
    expect(button).to_be_visible()
    expect(page.locator("#reminders-status")).to_have_text("")  # nothing happens before a tap
    audit.check()

    page.get_by_label("Quiet from").fill("23:00")
    page.get_by_label("Quiet until").fill("")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".error-summary")).to_contain_text("Give both times")
    expect(page.get_by_label("Quiet from")).to_have_value("23:00")
    audit.check()

    page.get_by_role("link", name="See what is coming up").click()
    expect(page.locator("h1")).to_have_text("Coming up")
    audit.check()
    audit.assert_clean()
