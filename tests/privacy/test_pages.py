"""The privacy pages: navigation, neutral titles, the enrolment partial, malformed input."""

from __future__ import annotations

from flask import render_template

from survivorapp.privacy import consent

PAGES = ("/privacy", "/privacy/sharing", "/privacy/access", "/privacy/export", "/privacy/delete")


def test_survivors_find_privacy_in_the_navigation(as_role):
    client, _ = as_role("survivor")
    html = client.get("/home").get_data(as_text=True)
    assert 'href="/privacy"' in html and ">Privacy<" in html
    staff, _ = as_role("staff")
    assert 'href="/privacy"' not in staff.get("/staff").get_data(as_text=True)


def test_pages_have_neutral_titles(as_role):
    client, _ = as_role("survivor")
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        assert "<title>Privacy · Daybook</title>" in html, path
        for word in ("traffick", "survivor", "victim", "abuse", "shelter", "case worker"):
            assert word not in html.lower(), (path, word)


def test_the_consent_partial_works_inside_another_form(app):
    with app.test_request_context("/enrol"):
        html = render_template("privacy/_consent_form.html", **consent.consent_form_context())
    assert "<form" not in html
    assert html.count('type="radio"') == 2 * len(consent.choices_for(None))
    assert 'checked id="area-goals-0"' in html
    assert 'checked id="area-circle_attendance-1"' in html


def test_malformed_input_never_breaks_a_page(as_role):
    client, _ = as_role("survivor")
    token = client.csrf_token("/privacy/sharing")
    cases = [
        {"area-goals": "x" * 200_000},
        {"area-goals": ["shared", "private"], "area-": "shared"},
        {"confirm": ["other", "DELETE"]},
        {},
    ]
    for data in cases:
        for url in ("/privacy/sharing", "/privacy/delete"):
            response = client.post(url, data={**data, "csrf_token": token})
            assert 400 <= response.status_code < 500, (url, response.status_code)
    assert client.get("/privacy").status_code == 200  # still signed in, still here
