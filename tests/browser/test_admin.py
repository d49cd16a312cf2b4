"""At phone size, an admin assigns a caseload and renames the app; the title follows."""

from survivorapp.extensions import db
from survivorapp.people import caseload
from tests.browser.journeys import Audit
from tests.factories import make_user


def test_admin_assigns_a_caseload_and_renames_the_brand(page, live, sign_in_browser):
    admin = make_user("admin", pseudonym="Robin")
    make_user("staff", pseudonym="Sam")
    ana = make_user("survivor", pseudonym="Ana")
    sign_in_browser(admin)

    page.goto("/admin")
    assert page.title() == "Organisation · Daybook"
    page.get_by_role("link", name="Caseloads").last.click()
    page.wait_for_url("**/admin/caseloads")
    page.get_by_label("Contact on staff for Ana").select_option(label="Sam")
    page.get_by_role("button", name="Assign").click()
    page.wait_for_url("**/admin/caseloads")
    assert "Ana is now with Sam." in page.locator(".flashes").inner_text()
    assert "Everyone has a contact on staff." in page.locator("main").inner_text()

    # the people list filters as you ask (htmx swaps the list in place)
    page.goto("/admin/people")
    page.get_by_label("Name").fill("an")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/admin/people?q=an*")
    assert page.locator("#people-list").inner_text().count("Joined") == 1
    assert "Ana" in page.locator("#people-list").inner_text()

    page.goto("/admin/settings")
    page.get_by_label("App name").fill("Sunny Planner")
    page.get_by_label("Leaf").check()
    page.get_by_role("button", name="Save settings").click()
    page.wait_for_url("**/admin/settings")
    assert page.title() == "Settings · Sunny Planner"
    assert page.locator(".brand").inner_text() == "Sunny Planner"

    # a mistake keeps what was typed and says what to fix
    page.get_by_label("Quick exit address").fill("http://example.org")
    page.get_by_role("button", name="Save settings").click()
    assert "starts with https://" in page.locator(".error-summary").inner_text()
    assert page.get_by_label("Quick exit address").input_value() == "http://example.org"

    # retention: a number out of bounds is refused, what was typed stays
    page.get_by_label("Quick exit address").fill("https://www.bbc.com/weather")
    retention = page.get_by_label("Keep what is left of closed accounts (days)")
    assert retention.input_value() == "365"
    retention.fill("20")
    page.get_by_role("button", name="Save settings").click()
    assert "from 30 to 3650" in page.locator(".error-summary").inner_text()
    assert retention.input_value() == "20"
    axe = Audit(page)
    axe.axe("/admin/settings with an error")
    retention.fill("90")
    page.get_by_role("button", name="Save settings").click()
    page.wait_for_url("**/admin/settings")
    assert retention.input_value() == "90"

    # the activity log lists each change in plain words
    page.goto("/admin/audit")
    log = page.locator("main").inner_text()
    for text in ("Added to a caseload", "Organisation settings changed", "365 → 90"):
        assert text in log, text
    axe.axe("/admin/audit")
    assert axe.problems == []

    # SQLite: the test reads only when the server is done (BEGIN IMMEDIATE takes the lock).
    assert caseload.case_worker_of(ana).pseudonym == "Sam"
    db.session.rollback()
