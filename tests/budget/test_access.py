"""Private by default: another person's budget objects answer 404; staff see a shared monthly
summary only for people on their caseload who chose to share it, and never single entries."""

from datetime import date

from sqlalchemy import select

from survivorapp import localtime
from survivorapp.budget import preferences, summary
from survivorapp.budget.models import BudgetCategory, BudgetEntry, BudgetSettings, SavingsGoal
from survivorapp.extensions import db
from survivorapp.people import caseload
from survivorapp.privacy.models import AccessEvent, ConsentChange
from tests.factories import make_entry, make_plan, make_savings_goal, make_user

PAGE = "/budget/"


def test_another_survivors_objects_answer_404(as_role):
    c, _ = as_role("survivor")
    other = make_user("survivor")
    entry = make_entry(other, 999, note="theirs")
    goal = make_savings_goal(other, 10000, name="Their goal")
    cat = BudgetCategory(user_id=other.id, name="Theirs")
    db.session.add(cat)
    db.session.commit()
    assert c.get(f"/budget/savings/{goal.public_id}").status_code == 404
    for url in (
        f"/budget/entries/{entry.public_id}/delete",
        f"/budget/savings/{goal.public_id}/contributions",
        f"/budget/savings/{goal.public_id}/delete",
        f"/budget/categories/{cat.public_id}/delete",
    ):
        assert c.post_form(url, {"amount": "5"}, page=PAGE).status_code == 404, url
    # Their category is not a choice for me either.
    response = c.post_form(
        "/budget/entries", {"kind": "expense", "category": cat.public_id, "amount": "5"}, page=PAGE
    )
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(BudgetEntry, entry.id) is not None
    assert db.session.get(SavingsGoal, goal.id).saved_minor == 0
    # Nothing of theirs shows on my pages or in my export.
    for url in (PAGE, "/budget/entries", "/budget/savings", "/budget/export.csv", "/budget/plan"):
        body = c.get(url).get_data(as_text=True)
        assert "theirs" not in body and "Their goal" not in body and "Theirs" not in body, url


def test_my_own_objects_work(as_role):
    c, me = as_role("survivor")
    entry = make_entry(me, 999)
    assert (
        c.post_form(f"/budget/entries/{entry.public_id}/delete", {}, page=PAGE).status_code == 303
    )
    assert db.session.scalars(select(BudgetEntry)).all() == []


def share(user, on=True):
    preferences.set_sharing(user, on)
    db.session.commit()


def test_staff_see_a_shared_summary_only_on_their_caseload(as_role):
    staff_client, staff = as_role("staff")
    survivor = make_user("survivor")
    caseload.assign(staff, survivor)
    db.session.commit()
    make_plan(survivor, "food", 20000)
    make_entry(survivor, 1234, note="Secret note", on=localtime.today_for(survivor))
    url = f"/budget/shared/{survivor.public_id}"

    assert staff_client.get(url).status_code == 404  # not shared yet
    share(survivor)
    response = staff_client.get(url)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "€12.34" in body and "€200.00" in body
    assert "Secret note" not in body  # totals only, never single entries
    assert survivor.public_id in staff_client.get("/staff").get_data(as_text=True)
    assert db.session.scalars(
        select(AccessEvent).where(
            AccessEvent.subject_id == survivor.id, AccessEvent.area == "budget_summary"
        )
    ).all()

    # Staff never reach raw entries or the export.
    assert staff_client.get("/budget/entries").status_code == 403
    assert staff_client.get("/budget/export.csv").status_code == 403

    # Another member of staff, not their case worker: 404 even though it is shared.
    other_client, _ = as_role("staff")
    assert other_client.get(url).status_code == 404
    assert survivor.public_id not in other_client.get("/staff").get_data(as_text=True)
    # A mentor or another survivor: refused.
    mentor_client, _ = as_role("mentor")
    assert mentor_client.get(url).status_code == 403
    survivor_client, _ = as_role("survivor")
    assert survivor_client.get(url).status_code == 403
    assert staff_client.get("/budget/shared/nobody").status_code == 404


def test_sharing_is_the_survivors_choice_and_can_be_taken_back(as_role):
    staff_client, staff = as_role("staff")
    c, me = as_role("survivor")
    caseload.assign(staff, me)
    db.session.commit()
    url = f"/budget/shared/{me.public_id}"
    c.post_form("/budget/settings", {"currency": "EUR", "share_summary": "yes"}, page=PAGE)
    assert staff_client.get(url).status_code == 200
    c.post_form("/budget/settings", {"currency": "EUR"}, page=PAGE)
    assert staff_client.get(url).status_code == 404
    # Both changes are recorded in the privacy consent history.
    changes = db.session.scalars(
        select(ConsentChange)
        .where(ConsentChange.survivor_id == me.id, ConsentChange.area == "budget_summary")
        .order_by(ConsentChange.id)
    ).all()
    assert [c.shared for c in changes] == [True, False]


def test_a_get_never_writes(as_role):
    c, me = as_role("survivor")
    for url in (
        PAGE,
        "/budget/plan",
        "/budget/settings",
        "/budget/savings",
        "/budget/add",
        "/budget/entries",
        "/budget/export.csv",
        "/home",
    ):
        assert c.get(url).status_code == 200, url
    assert db.session.get(BudgetSettings, me.id) is None


def test_summary_for_a_month_is_totals_by_category(app):
    user = make_user("survivor")
    make_entry(user, 100, on=date(2026, 3, 1), category="food")
    make_entry(user, 250, on=date(2026, 3, 2), category="food")
    with app.test_request_context():
        s = summary.summary(user, date(2026, 3, 1))
    assert [(line.key, line.spent) for line in s.lines if line.spent] == [("food", 350)]
