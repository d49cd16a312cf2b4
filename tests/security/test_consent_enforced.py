"""A survivor's choices on the privacy page decide what their case worker can open, and every
look is written to the access log the survivor reads: checked end to end through the pages
(the hardening pass found goals review and the shared budget summary ignoring the privacy page;
feat/wiring fixed the same on main)."""

from __future__ import annotations

from survivorapp.privacy import registry
from tests.security.world import build_world


def choose(w, **shared: bool) -> None:
    keys = [area.key for area in registry.areas()]
    form = {f"area-{key}": "shared" if shared.get(key, False) else "private" for key in keys}
    form["csrf_token"] = w.csrf("owner")
    response = w.clients["owner"].post("/privacy/sharing", data=form)
    assert response.status_code == 303, response.get_data(as_text=True)[:500]


def test_goals_follow_the_privacy_page_and_looks_are_logged(app):
    w = build_world(app)
    staff = w.clients["staff_with"]
    review = f"/goals/review/{w.ids['goal']}"
    person = f"/goals/review/people/{w.ids['owner']}"
    assert "Sam" not in w.clients["owner"].get("/privacy/access").get_data(as_text=True)
    assert staff.get(review).status_code == 200
    assert "Sam" in w.clients["owner"].get("/privacy/access").get_data(as_text=True)

    choose(w, goals=False, budget_summary=True)
    assert staff.get(review).status_code == 404
    assert "A room of my own" not in staff.get(person).get_data(as_text=True)
    decide = staff.post(
        f"{review}/decide", data={"decision": "approve", "csrf_token": w.csrf("staff_with")}
    )
    assert decide.status_code == 404

    choose(w, goals=True, budget_summary=True)
    assert staff.get(review).status_code == 200


def test_budget_summary_follows_the_privacy_page_and_looks_are_logged(app):
    w = build_world(app)  # A shared the summary from the budget settings page
    staff = w.clients["staff_with"]
    shared = f"/budget/shared/{w.ids['owner']}"
    assert staff.get(shared).status_code == 200
    assert shared in staff.get("/staff").get_data(as_text=True)
    assert "Sam" in w.clients["owner"].get("/privacy/access").get_data(as_text=True)

    choose(w, goals=True, budget_summary=False)  # withdrawn on the privacy page
    assert staff.get(shared).status_code == 404
    assert shared not in staff.get("/staff").get_data(as_text=True)
    page = w.clients["owner"].get("/budget/settings").get_data(as_text=True)
    assert 'name="share_summary" value="yes" checked' not in page

    # Sharing again from the budget settings page shows on the privacy page too.
    w.clients["owner"].post(
        "/budget/settings",
        data={"currency": "EUR", "share_summary": "yes", "csrf_token": w.csrf("owner")},
    )
    assert staff.get(shared).status_code == 200
    sharing = w.clients["owner"].get("/privacy/sharing").get_data(as_text=True)
    assert 'checked id="area-budget_summary-0"' in sharing
