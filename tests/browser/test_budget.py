"""A survivor on a phone sets a monthly budget, logs spending with quick entry, sees what is
left and how a savings goal is going."""

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from survivorapp import localtime
from survivorapp.budget import preferences
from survivorapp.extensions import db
from survivorapp.people import caseload
from tests.factories import make_entry, make_plan, make_user


def assert_accessible(page):
    """axe-core on this feature's part of the page (the shared layout is checked elsewhere)."""
    results = Axe().run(page, context="main", options={"resultTypes": ["violations"]})
    assert results.violations_count == 0, results.generate_report()


def test_budget_on_a_phone(page, live, sign_in_browser):
    user = make_user("survivor", timezone="Europe/Madrid")
    sign_in_browser(user)

    # Set a monthly budget.
    page.goto("/budget/")
    assert page.title() == "Budget · Daybook"
    page.get_by_role("link", name="Monthly budget", exact=True).click()
    page.fill("#plan-food", "200")
    page.fill("#plan-transport", "40")
    page.get_by_role("button", name="Save budget").click()
    expect(page.locator("#left-to-spend")).to_have_text("Left to spend: €240.00")

    # Quick entry: tap a category, the amount field has focus, type, tap save.
    for amount in ("12.50", "7.25"):
        page.locator(".budget-quick").get_by_role("link", name="Food").click()
        amount_field = page.locator("#amount")
        expect(amount_field).to_be_focused()
        page.keyboard.type(amount)
        page.get_by_role("button", name="Save").click()
        expect(page.locator(".flash")).to_contain_text("Saved")
    page.locator(".budget-quick").get_by_role("link", name="Transport").click()
    expect(page.locator("#amount")).to_be_focused()
    page.keyboard.type("abc")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#amount-error")).to_contain_text("numbers only")
    expect(page.locator("#amount")).to_have_value("abc")
    assert page.problems.console_errors == []  # the 422 answer itself is not a problem
    page.fill("#amount", "4")
    page.get_by_role("button", name="Save").click()

    expect(page.locator("#left-to-spend")).to_have_text("Left to spend: €216.25")
    expect(page.locator(".budget-line", has_text="Food")).to_contain_text("€180.25 left")
    expect(page.locator("svg.budget-chart[role=img] title")).to_have_count(1)
    assert_accessible(page)

    # A savings goal and its progress.
    page.get_by_role("link", name="Savings and money put aside").click()
    page.fill("#name", "Deposit")
    page.fill("#target", "400")
    page.get_by_role("button", name="Add goal").click()
    page.fill("#amount", "100")
    page.get_by_role("button", name="Put in").click()
    expect(page.locator("#goal-progress-text")).to_have_text("€100.00 of €400.00 (25%)")
    assert page.locator("#goal-progress").get_attribute("value") == "25"
    assert_accessible(page)
    page.goto("/home")
    expect(page.locator(".budget-home")).to_contain_text("€216.25")


def test_shared_totals_fit_a_small_phone(page, live, sign_in_browser):
    """Staff read a shared budget in a currency with a long code (THB12,000.00 in English):
    the table scrolls inside its own box, never the page."""
    person = make_user("survivor")
    staff = make_user("staff")
    caseload.assign(staff, person)
    settings = preferences.settings_for(person)
    settings.currency = "THB"
    preferences.save_settings(settings)
    preferences.set_sharing(person, True)
    db.session.commit()
    today = localtime.today_for(person)
    for category in ("rent", "utilities", "transport", "childcare", "debt", "remittance"):
        make_plan(person, category, 1_234_567_00, currency="THB")
        make_entry(person, 1_200_000_00, category=category, currency="THB", on=today)
    url = f"/budget/shared/{person.public_id}"
    sign_in_browser(staff)
    db.session.remove()
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(url)
    expect(page.locator("tfoot")).to_contain_text("THB")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page)
