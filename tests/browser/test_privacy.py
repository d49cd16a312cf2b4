"""Privacy at phone size: change a sharing choice, take the data, leave for good."""

from pathlib import Path

from survivorapp.accounts.models import User
from survivorapp.extensions import db
from survivorapp.privacy import areas, consent
from tests.factories import make_user


def test_share_export_and_delete_on_a_phone(page, live, sign_in_browser):
    person = make_user("survivor", pseudonym="Mai Browser", timezone="Asia/Bangkok")
    person_id = person.id
    sign_in_browser(person)
    db.session.remove()  # SQLite: the test must not hold a transaction the server waits for

    page.goto("/home")
    page.get_by_role("link", name="Privacy").click()
    page.get_by_role("link", name="What you share").click()
    assert page.title() == "Privacy · Daybook"
    budget = page.get_by_role("group", name="Budget summary")
    budget.get_by_label("Share with the team").check()
    page.get_by_role("button", name="Save choices").click()
    page.wait_for_url("**/privacy/sharing")
    assert "Saved." in page.locator(".flashes").inner_text()
    assert budget.get_by_label("Share with the team").is_checked()
    db.session.expire_all()
    assert consent.allows(person_id, areas.BUDGET_SUMMARY) is True
    db.session.remove()

    page.goto("/privacy/export")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download as a page").click()
    download = info.value
    assert download.suggested_filename == "my-data.html"
    html = Path(download.path()).read_text()
    assert "Mai Browser" in html and "Asia/Bangkok" in html
    with page.expect_download() as info:
        page.get_by_role("link", name="Download as data (JSON)").click()
    assert info.value.suggested_filename == "my-data.json"

    page.goto("/privacy/delete")
    page.get_by_role("button", name="Delete my account for good").click()
    assert page.url.endswith("/privacy/delete")  # nothing typed: the browser asks first
    page.get_by_label("To confirm, type DELETE").fill("DELETE")
    page.get_by_role("button", name="Delete my account for good").click()
    page.wait_for_url("**/privacy/closed")
    assert page.locator("h1").inner_text() == "Account closed"
    db.session.expire_all()
    assert db.session.get(User, person_id) is None
    db.session.remove()
    page.goto("/privacy")
    assert page.url.endswith("/sign-in")
