"""A real page in a real browser, with no console error and no CSP violation."""

from tests.factories import make_user


def test_sign_in_page_loads_cleanly(page):
    page.goto("/sign-in")
    assert page.title() == "Sign in · Daybook"
    assert page.locator("html").get_attribute("lang") == "en"
    # htmx loaded, with the history cache off so no page snapshot is kept in localStorage.
    assert page.evaluate("htmx.config.historyCacheSize") == 0
    assert page.evaluate("htmx.config.allowEval") is False
    # The quick-exit control is the first thing in the tab order.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "quick-exit"


def test_language_switch_works_without_javascript_errors(page, live):
    make_user("survivor")
    page.goto("/sign-in")
    page.select_option("#language-select", "ar")
    page.click("text=Change")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.evaluate("localStorage.length") == 0


def test_signed_in_page_in_the_browser(page, live, sign_in_browser):
    user = make_user("survivor")
    sign_in_browser(user)
    page.goto("/")
    assert page.url.endswith("/home")
    assert page.locator("h1").inner_text() == "Today"
