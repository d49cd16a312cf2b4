"""An admin shows a year of outcomes (small numbers hidden); a survivor answers a check-in."""

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.journeys import switch_language
from tests.factories import make_goal, make_survivors, make_user
from tests.reports.conftest import IN


def assert_accessible(page):
    results = Axe().run(page, context="main", options={"resultTypes": ["violations"]})
    assert results.violations_count == 0, results.generate_report()


def test_admin_reads_a_year_of_outcomes(page, live, sign_in_browser):
    for person in make_survivors(15):
        make_goal(person, area="housing", at=IN)
    for person in make_survivors(11):  # hidden too, so that the 3 below cannot be worked out
        make_goal(person, area="wellbeing", at=IN)
    for person in make_survivors(3):
        make_goal(person, area="legal", at=IN)
    sign_in_browser(make_user("admin"))
    page.goto("/reports/?from=2025-01&to=2025-12")
    assert page.title() == "Reports · Daybook"
    goals = page.locator("section", has=page.locator("#t-goals"))
    expect(goals.locator("svg.reports-chart[role=img] title")).to_have_count(1)
    expect(goals.locator("tbody tr", has_text="Housing")).to_contain_text("15")
    expect(goals.locator("tbody tr", has_text="Legal")).to_contain_text("fewer than 11")
    expect(goals.locator("tbody tr", has_text="Wellbeing")).to_contain_text("hidden")
    expect(goals.locator("tfoot")).to_contain_text("30")  # 29, rounded to the nearest 5
    expect(page.locator(".reports-rounding")).to_have_text(
        "Numbers are rounded to the nearest 5 (11 and 12 show as 15), and numbers from 1 to 10 "
        "are hidden."
    )
    assert_accessible(page)
    # A bad period keeps what was typed and says what is wrong.
    page.fill("#from", "2025-09")
    page.fill("#to", "2025-02")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#to-error")).to_contain_text("must not be before")
    expect(page.locator("#from")).to_have_value("2025-09")


# Every label, value and "fewer than 11" of every chart, inside its chart's box.
TEXT_OUTSIDE_CHART = """() => [...document.querySelectorAll("svg.reports-chart")].flatMap(svg => {
  const box = svg.getBoundingClientRect();
  return [...svg.querySelectorAll("text")].filter(t => {
    const r = t.getBoundingClientRect();
    return r.left < box.left - 1 || r.right > box.right + 1;
  }).map(t => t.textContent);
})"""


def test_chart_labels_stay_inside_the_chart_in_both_directions(page, live, sign_in_browser):
    for person in make_survivors(15):
        make_goal(person, area="housing", at=IN)
    sign_in_browser(make_user("admin"))
    page.goto("/reports/?from=2025-01&to=2025-12")
    assert page.locator("svg.reports-chart text").count() > 10
    assert page.evaluate(TEXT_OUTSIDE_CHART) == []
    switch_language(page, "ar")
    page.goto("/reports/?from=2025-01&to=2025-12")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert page.evaluate(TEXT_OUTSIDE_CHART) == []


def test_survivor_answers_a_check_in(page, live, sign_in_browser):
    sign_in_browser(make_user("survivor"))
    page.goto("/home")
    page.get_by_role("link", name="Answer now").click()
    page.get_by_label("4", exact=True).check()
    page.select_option("#helped", "groups")
    page.fill("#note", "A calmer week")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".reports-answers")).to_contain_text("A calmer week")
    expect(page.locator(".reports-answers")).to_contain_text("Group meetings")
    assert_accessible(page)
