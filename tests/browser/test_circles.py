"""Peer circles in a real browser at phone size: post, find, join, calendar, cancel."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

from tests.factories import make_user


def test_fortnightly_spanish_circle_from_posting_to_a_cancelled_session(
    page, live, sign_in_browser
):
    mentor = make_user("mentor", pseudonym="Lucía", timezone="Europe/Madrid")
    survivor = make_user("survivor", pseudonym="Ana", timezone="Europe/Madrid")
    first = datetime.now(ZoneInfo("Europe/Madrid")).date() + timedelta(days=2)

    # The mentor posts a fortnightly circle in Spanish.
    sign_in_browser(mentor)
    page.goto("/circles/run/new")
    page.fill("#name", "Tardes de charla")
    page.select_option("#topic", "friendship")
    page.check("input[name=languages][value=es]")
    page.check("input[name=format][value=in_person]")
    page.fill("#place", "Sala 2, Centro Cívico")
    page.fill("#capacity", "6")
    page.check("input[name=repeat][value=fortnightly]")
    page.fill("#first_date", first.isoformat())
    page.fill("#start_time", "18:00")
    page.fill("#timezone", "Europe/Madrid")
    page.check("input[name=ends][value=count]")
    page.fill("#count", "6")
    page.click("text=Post the circle")
    page.wait_for_url("**/circles/run/*")
    assert page.locator("h1").inner_text() == "Tardes de charla"
    assert page.title() == "Circle · Daybook"
    manage_url = page.url

    # A survivor finds it with the filter, joins, sees where it meets and gets the calendar.
    sign_in_browser(survivor)
    page.goto("/circles")
    page.select_option("#filter-language", "es")
    page.click("text=Show circles")
    page.wait_for_url("**language=es**")
    page.click("text=Tardes de charla")
    assert "Sala 2" not in page.content()
    page.click("text=Join the circle")
    page.wait_for_selector(".circle-place-text")
    assert page.locator(".circle-place-text").inner_text() == "Sala 2, Centro Cívico"
    with page.expect_download() as info:
        page.click("text=Download calendar file")
    download = info.value
    assert download.suggested_filename == "event.ics"
    with open(download.path(), encoding="utf-8") as f:
        text = f.read()
    (event,) = icalendar.Calendar.from_ical(text).walk("VEVENT")
    rule = event["RRULE"]
    assert (rule["FREQ"], rule["INTERVAL"]) == (["WEEKLY"], [2]) and "SUMMARY:Meeting" in text
    assert "DTSTART;TZID=Europe/Madrid:" in text and "Tardes" not in text

    # The mentor cancels the second session; the survivor sees it on the home page.
    sign_in_browser(mentor)
    page.goto(manage_url)
    page.locator(".circle-session a").nth(1).click()
    page.fill("#note", "La sala está cerrada")
    page.click("button:has-text('Cancel this session')")
    page.wait_for_selector("text=This session is cancelled.")

    sign_in_browser(survivor)
    page.goto("/home")
    panel = page.locator(".circle-home")
    assert "Cancelled" in panel.inner_text()
    assert "La sala está cerrada" in panel.inner_text()
