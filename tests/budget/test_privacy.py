"""Budget and privacy (issue 9): one sharing switch, the access log, export and deletion."""

from __future__ import annotations

import json
import re
from datetime import date

from sqlalchemy import select

from survivorapp.budget import categories, preferences
from survivorapp.budget.models import (
    BudgetCategory,
    BudgetEntry,
    BudgetPlan,
    BudgetSettings,
    SavingsContribution,
    SavingsGoal,
)
from survivorapp.extensions import db
from survivorapp.people import caseload
from survivorapp.privacy import areas, consent
from survivorapp.privacy.models import AccessEvent
from survivorapp.privacy.services import delete_account
from tests.factories import make_entry, make_plan, make_savings_goal, make_user
from tests.privacy.samples import rows_referencing_user

PAGE = "/budget/"
SETTINGS = "/budget/settings"


def sharing_box_on(html: str) -> bool:
    """Whether the settings page shows "Share my monthly totals" ticked."""
    box = re.search(r'<input[^>]*name="share_summary"[^>]*>', html).group(0)
    return 'value="yes"' in box and re.search(r"\bchecked\b", box) is not None


def staff_for(as_role, person):
    client, staff = as_role("staff", pseudonym="Sam")
    caseload.assign(staff, person)
    db.session.commit()
    return client, staff


def test_the_budget_switch_and_the_privacy_page_are_one_choice(as_role):
    client, me = as_role("survivor")
    staff_client, _ = staff_for(as_role, me)
    url = f"/budget/shared/{me.public_id}"
    assert not sharing_box_on(client.get(SETTINGS).get_data(as_text=True))

    # Sharing on the privacy page shows as on in the budget settings, and staff see it.
    choices = consent.choices_for(me.id)
    form = {f"area-{k}": "shared" if v else "private" for k, v in choices.items()}
    form["area-budget_summary"] = "shared"
    assert client.post_form("/privacy/sharing", form, page="/privacy/sharing").status_code == 303
    html = client.get(SETTINGS).get_data(as_text=True)
    assert sharing_box_on(html)
    assert 'href="/privacy/sharing"' in html
    assert staff_client.get(url).status_code == 200

    # Switching it off in the budget settings is private on the privacy page too.
    client.post_form(SETTINGS, {"currency": "EUR"}, page=SETTINGS)
    assert consent.allows(me.id, areas.BUDGET_SUMMARY) is False
    page = client.get("/privacy/sharing").get_data(as_text=True)
    assert 'checked id="area-budget_summary-1"' in page
    assert staff_client.get(url).status_code == 404
    assert url not in staff_client.get("/staff").get_data(as_text=True)

    # And on again from the budget settings.
    client.post_form(SETTINGS, {"currency": "EUR", "share_summary": "yes"}, page=SETTINGS)
    assert consent.allows(me.id, areas.BUDGET_SUMMARY) is True
    assert url in staff_client.get("/staff").get_data(as_text=True)


def test_a_bad_currency_keeps_the_sharing_choice_typed_and_changes_nothing(as_role):
    client, me = as_role("survivor")
    response = client.post_form(
        SETTINGS, {"currency": "???", "share_summary": "yes"}, page=SETTINGS
    )
    assert response.status_code == 422
    assert sharing_box_on(response.get_data(as_text=True))
    assert consent.allows(me.id, areas.BUDGET_SUMMARY) is False


def test_staff_without_consent_get_nothing(as_role):
    _, me = as_role("survivor")
    staff_client, staff = staff_for(as_role, me)
    make_entry(me, 4200, note="Private note")
    assert staff_client.get(f"/budget/shared/{me.public_id}").status_code == 404
    assert preferences.sharing_with(staff) == []
    assert "/budget/shared/" not in staff_client.get("/staff").get_data(as_text=True)
    # Shared, then taken back: gone from the list at once.
    preferences.set_sharing(me, True)
    db.session.commit()
    assert preferences.sharing_with(staff) == [me]
    preferences.set_sharing(me, False)
    db.session.commit()
    assert preferences.sharing_with(staff) == []


def test_people_with_no_case_worker_are_seen_by_nobody_even_when_shared(as_role):
    staff_client, _ = as_role("staff")
    lone = make_user("survivor")
    preferences.set_sharing(lone, True)
    db.session.commit()
    assert staff_client.get(f"/budget/shared/{lone.public_id}").status_code == 404
    assert db.session.scalars(select(AccessEvent)).all() == []


def test_each_staff_view_is_logged_with_the_month_and_shown(as_role):
    client, me = as_role("survivor", timezone="Europe/Madrid", locale="es")
    staff_client, staff = staff_for(as_role, me)
    preferences.set_sharing(me, True)
    db.session.commit()
    url = f"/budget/shared/{me.public_id}"
    assert staff_client.get(url + "?month=2026-03").status_code == 200
    assert staff_client.get(url + "?month=2026-04").status_code == 200
    events = db.session.scalars(
        select(AccessEvent).where(AccessEvent.subject_id == me.id).order_by(AccessEvent.id)
    ).all()
    # The month in the survivor's own language: the log is theirs to read.
    assert [(e.viewer_id, e.area, e.what) for e in events] == [
        (staff.id, "budget_summary", "marzo de 2026"),
        (staff.id, "budget_summary", "abril de 2026"),
    ]
    html = client.get("/privacy/access").get_data(as_text=True)
    assert "Sam" in html and "abril de 2026" in html
    # A refused view is not logged.
    preferences.set_sharing(me, False)
    db.session.commit()
    assert staff_client.get(url).status_code == 404
    assert db.session.scalar(select(db.func.count()).select_from(AccessEvent)) == 2


def test_export_holds_everything_budget_keeps(as_role):
    client, me = as_role("survivor")
    db.session.add(BudgetSettings(user_id=me.id, currency="EUR", dismissed_tips="rent"))
    category = categories.add_category(me, "Bus pass for school")
    db.session.commit()
    make_entry(me, 1250, category=category.public_id, on=date(2026, 5, 4), note="Monthly card")
    make_entry(me, 90000, kind="income", category="pay", on=date(2026, 5, 1))
    make_plan(me, "food", 30000)
    make_savings_goal(
        me, 50000, name="Deposit for a room", saved=2000, target_date=date(2027, 1, 1)
    )
    preferences.set_sharing(me, True)
    db.session.commit()

    data = json.loads(client.get("/privacy/export/my-data.json").get_data(as_text=True))
    sections = {s["key"]: s["items"] for s in data["sections"]}
    assert sections["budget_settings"] == [
        {
            "Currency": "EUR",
            "Monthly totals shared with the team": True,
            "Tips you hid": ["Rent and deposits"],
        }
    ]
    assert [c["Name"] for c in sections["budget_categories"]] == ["Bus pass for school"]
    earned, spent = sections["budget_entries"]  # by date
    assert spent["Date"] == "2026-05-04" and spent["Type"] == "Spent"
    assert spent["Category"] == "Bus pass for school" and spent["Amount"] == "12.50"
    assert spent["Note"] == "Monthly card" and spent["Currency"] == "EUR"
    assert (earned["Type"], earned["Category"], earned["Amount"]) == ("Money in", "Pay", "900.00")
    assert sections["budget_plan"] == [
        {"Category": "Food", "Amount each month": "300.00", "Currency": "EUR"}
    ]
    [saving] = sections["budget_savings"]
    assert saving["Name"] == "Deposit for a room" and saving["Target"] == "500.00"
    assert saving["Saved"] == "20.00" and saving["By"] == "2027-01-01"
    [put_in] = sections["budget_contributions"]
    assert put_in["Savings"] == "Deposit for a room" and put_in["Amount"] == "20.00"
    html = client.get("/privacy/export/my-data.html").get_data(as_text=True)
    assert "Monthly card" in html and "Deposit for a room" in html


def test_deleting_a_survivor_removes_every_budget_row(as_role):
    _, me = as_role("survivor")
    _, staff = staff_for(as_role, me)
    other = make_user("survivor")
    db.session.add(BudgetSettings(user_id=me.id, currency="EUR"))
    categories.add_category(me, "Mine")
    db.session.commit()
    make_entry(me, 100, note="Gone")
    make_plan(me, "food", 100)
    make_savings_goal(me, 1000, saved=10)
    make_entry(other, 200, note="Stays")
    preferences.set_sharing(me, True)
    db.session.commit()
    me_id = me.id
    delete_account(me)
    db.session.expire_all()
    assert rows_referencing_user(me_id) == []
    for model in (BudgetSettings, BudgetCategory, BudgetPlan, SavingsGoal, SavingsContribution):
        assert db.session.scalars(select(model)).all() == [], model
    assert [e.note for e in db.session.scalars(select(BudgetEntry))] == ["Stays"]
    assert preferences.sharing_with(staff) == []
