"""The budget pages: quick entry, plan, savings, settings, tips, export and bad input."""

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy import text as text_sql

from survivorapp import csvsafe, localtime
from survivorapp.budget import plan, preferences, summary
from survivorapp.budget.models import BudgetCategory, BudgetEntry, BudgetSettings, SavingsGoal
from survivorapp.extensions import db
from tests.factories import make_entry, make_plan, make_user

PAGE = "/budget/"


def entries_of(user):
    return db.session.scalars(select(BudgetEntry).where(BudgetEntry.user_id == user.id)).all()


def text(response) -> str:
    html = response.get_data(as_text=True)
    return re.sub(r"\s+", " ", html.replace("\u00a0", " ").replace("\u202f", " "))


def test_the_budget_page_is_private_and_neutral(survivor, as_role, client):
    c, _ = survivor
    response = c.get(PAGE)
    assert response.status_code == 200
    assert "<title>Budget · Daybook</title>" in response.get_data(as_text=True)
    assert "no-store" in response.headers.get("Cache-Control", "")
    assert client.get(PAGE).status_code == 302  # signed out
    for role in ("mentor", "staff", "admin"):
        other, _ = as_role(role)
        assert other.get(PAGE).status_code == 403, role
        assert other.get("/budget/export.csv").status_code == 403, role
        assert other.get("/budget/entries").status_code == 403, role


def test_quick_entry_two_taps_and_an_amount(survivor):
    c, user = survivor
    page = text(c.get(PAGE))
    assert 'href="/budget/add?category=food"' in page  # tap 1: a category button
    form = c.get("/budget/add?category=food").get_data(as_text=True)
    assert re.search(r'<input[^>]*autofocus[^>]*id="amount"', form, re.S)
    assert '<option dir="auto" selected value="food">' in form
    fragment = c.get("/budget/add?category=food", headers={"HX-Request": "true"})
    assert "<html" not in fragment.get_data(as_text=True)  # htmx gets only the form
    response = c.post_form(
        "/budget/entries", {"kind": "expense", "category": "food", "amount": "12.34"}, page=PAGE
    )  # tap 2: save
    assert response.status_code == 303
    [entry] = entries_of(user)
    assert (entry.amount_minor, entry.currency, entry.category) == (1234, "EUR", "food")
    assert entry.on_date == localtime.today_for(user)
    assert "Saved: €12.34" in text(c.get(response.headers["Location"]))


def test_set_a_plan_and_see_what_is_left(survivor):
    c, user = survivor
    response = c.post_form(
        "/budget/plan", {"plan-food": "200", "plan-rent": "450.00", "plan-phone": ""}, page=PAGE
    )
    assert response.status_code == 303
    assert plan.plans_for(user, "EUR") == {"food": 20000, "rent": 45000}
    make_entry(user, 4550, category="food", on=localtime.today_for(user))
    page = text(c.get(PAGE))
    assert "Left to spend: €604.50" in page
    assert "€154.50 left" in page
    assert re.search(r'<progress class="budget-progress" max="20000" value="4550"', page)
    assert "Left to spend in" in text(c.get("/home"))
    assert "€604.50" in text(c.get("/home"))
    # Emptying a line removes it.
    c.post_form("/budget/plan", {"plan-food": "", "plan-rent": "450"}, page=PAGE)
    assert plan.plans_for(user, "EUR") == {"rent": 45000}


def test_a_spanish_speaker_types_spanish_numbers(as_role):
    c, user = as_role("survivor", locale="es")
    c.post_form(
        "/budget/entries", {"kind": "expense", "category": "rent", "amount": "1.234,56"}, page=PAGE
    )
    assert [e.amount_minor for e in entries_of(user)] == [123456]
    c.post_form("/budget/plan", {"plan-rent": "2.000"}, page=PAGE)
    assert "1.234,56 €" in text(c.get("/budget/entries"))
    plan_page = c.get("/budget/plan").get_data(as_text=True)
    assert 'value="2.000,00"' in plan_page  # written back the Spanish way


def test_an_arabic_speaker_can_type_arabic_indic_digits(as_role):
    c, user = as_role("survivor", locale="ar")
    response = c.post_form(
        "/budget/entries",
        {"kind": "expense", "category": "food", "amount": "\u0661\u0662\u066b\u0665\u0660"},
        page=PAGE,
    )
    assert response.status_code == 303
    assert [e.amount_minor for e in entries_of(user)] == [1250]
    page = c.get(PAGE).get_data(as_text=True)
    assert 'dir="rtl"' in page


def test_the_currency_is_the_persons_and_its_exponent_is_used(survivor):
    c, user = survivor
    response = c.post_form("/budget/settings", {"currency": "jpy"}, page=PAGE)
    assert response.status_code == 303
    assert db.session.get(BudgetSettings, user.id).currency == "JPY"
    bad = c.post_form(
        "/budget/entries", {"kind": "expense", "category": "food", "amount": "12.5"}, page=PAGE
    )
    assert bad.status_code == 422
    c.post_form(
        "/budget/entries", {"kind": "expense", "category": "food", "amount": "1,200"}, page=PAGE
    )
    [entry] = entries_of(user)
    assert (entry.amount_minor, entry.currency) == (1200, "JPY")
    assert "¥1,200" in text(c.get(PAGE))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("amount", "-5", "without a minus sign"),
        ("amount", "0", "more than zero"),
        ("amount", "abc", "numbers only"),
        ("amount", "1e9", "numbers only"),
        ("amount", "", "Enter an amount"),
        ("amount", "99999999999999", "too large"),
        ("note", "x" * 10_000, "Keep the note under 500 characters"),
        ("category", "caviar", "Choose a category from the list"),
        ("category", "", "Choose a category from the list"),
        ("on_date", "9999-01-01", "too far ahead"),
        ("on_date", "1900-01-01", "too long ago"),
        ("on_date", "31/01/2026", "Enter a date like"),
        ("kind", "gift", "Choose money in or money spent"),
    ],
)
def test_bad_entries_are_refused_clearly_and_nothing_typed_is_lost(survivor, field, value, message):
    c, user = survivor
    data = {"kind": "expense", "category": "food", "amount": "7,50", "note": "Market"}
    data["amount"] = "7.50"
    data[field] = value
    response = c.post_form("/budget/entries", data, page=PAGE)
    assert response.status_code == 422
    page = text(response)
    assert message in page
    assert "Please check these and try again" in page
    assert f'<a href="#{field}">' in page  # the summary links to the field to fix
    if field in ("amount", "note") and value:
        assert (value if field == "amount" else value[:200]) in page  # kept as typed
    if field != "note":
        assert re.search(r">\s*Market</textarea>", page)
    assert entries_of(user) == []


def test_malformed_requests_never_500(survivor):
    c, _ = survivor
    token = c.csrf_token(PAGE)
    for data in (
        {},
        {"kind": ["expense", "income"], "amount": ["1", "2"]},
        {"kind": "expense", "category": "food", "amount": "\uff11\uff12x"},
        {"kind": "expense", "category": "food", "amount": "1" * 5000},
        {"kind": "expense", "category": "food", "amount": "12", "on_date": "2026-02-30"},
    ):
        response = c.post("/budget/entries", data={**data, "csrf_token": token})
        assert response.status_code == 422, data
    assert c.get("/budget/?month=9999-99").status_code == 200
    assert c.get("/budget/entries?month=x").status_code == 200
    assert (
        c.post("/budget/plan", data={"csrf_token": token, "plan-food": "x" * 100}).status_code
        == 422
    )
    assert (
        c.post("/budget/settings", data={"csrf_token": token, "currency": "€€€"}).status_code == 422
    )
    assert c.post("/budget/savings", data={"csrf_token": token}).status_code == 422
    assert c.post("/budget/tips/unknown/dismiss", data={"csrf_token": token}).status_code == 404
    assert c.get("/budget/savings/" + "x" * 500).status_code == 404


def test_a_wrong_currency_code_is_refused_and_kept(survivor):
    c, user = survivor
    for code in ("XYZ", "EURO", "12"):
        response = c.post_form("/budget/settings", {"currency": code}, page=PAGE)
        assert response.status_code == 422
        assert "three-letter currency code" in text(response)
        assert f'value="{code}"' in response.get_data(as_text=True)
    assert db.session.get(BudgetSettings, user.id) is None


def test_the_plan_keeps_what_was_typed_on_error(survivor):
    c, user = survivor
    response = c.post_form("/budget/plan", {"plan-food": "200", "plan-rent": "-3"}, page=PAGE)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'value="200"' in page and 'value="-3"' in page
    assert "without a minus sign" in page
    assert '<a href="#plan-rent">' in page  # the summary links to the line to fix
    assert plan.plans_for(user, "EUR") == {}


def test_a_savings_goal_error_links_to_its_field(survivor):
    c, _user = survivor
    response = c.post_form(
        "/budget/savings", {"kind": "goal", "name": "Rent", "target": "-1"}, page=PAGE
    )
    assert response.status_code == 422
    assert '<a href="#target">' in response.get_data(as_text=True)


def test_own_categories(survivor):
    c, user = survivor
    assert c.post_form("/budget/categories", {"name": "Bus pass"}, page=PAGE).status_code == 303
    [cat] = db.session.scalars(select(BudgetCategory)).all()
    assert "Bus pass" in text(c.get(PAGE))
    c.post_form(
        "/budget/entries", {"kind": "expense", "category": cat.public_id, "amount": "30"}, page=PAGE
    )
    long = c.post_form("/budget/categories", {"name": "y" * 10_000}, page=PAGE)
    assert long.status_code == 422
    assert "Keep the name under 60 characters" in text(long)
    c.post_form(f"/budget/categories/{cat.public_id}/delete", {}, page=PAGE)
    [entry] = entries_of(user)
    assert entry.category == "other"  # no money disappears
    assert entry.amount_minor == 3000


def test_savings_goal_with_contributions(survivor):
    c, _ = survivor
    response = c.post_form(
        "/budget/savings", {"kind": "goal", "name": "Deposit", "target": "600"}, page=PAGE
    )
    assert response.status_code == 303
    goal_url = response.headers["Location"]
    c.post_form(goal_url + "/contributions", {"amount": "150", "direction": "in"}, page=PAGE)
    page = text(c.get(goal_url))
    assert "€150.00 of €600.00 (25%)" in page
    assert 'max="100" value="25"' in page
    too_much = c.post_form(
        goal_url + "/contributions", {"amount": "151", "direction": "out"}, page=PAGE
    )
    assert too_much.status_code == 422
    assert "more than you have put aside" in text(too_much)
    c.post_form(goal_url + "/contributions", {"amount": "50", "direction": "out"}, page=PAGE)
    [goal] = db.session.scalars(select(SavingsGoal)).all()
    db.session.refresh(goal)
    assert goal.saved_minor == 10000
    assert "Deposit" in text(c.get(PAGE))


def test_money_put_aside_for_a_bill_needs_a_due_date(survivor):
    c, user = survivor
    response = c.post_form(
        "/budget/savings", {"kind": "bills", "name": "Winter heating", "target": "240"}, page=PAGE
    )
    assert response.status_code == 422
    assert "Enter the date the bill is due" in text(response)
    assert 'value="Winter heating"' in response.get_data(as_text=True)
    for bad in ("9999-12-31", "2000-01-01"):
        r = c.post_form(
            "/budget/savings",
            {"kind": "bills", "name": "Heating", "target": "240", "target_date": bad},
            page=PAGE,
        )
        assert r.status_code == 422
    today = localtime.today_for(user)
    due = date(today.year + 1, today.month, 1)
    ok = c.post_form(
        "/budget/savings",
        {"kind": "bills", "name": "Heating", "target": "240", "target_date": due.isoformat()},
        page=PAGE,
    )
    assert ok.status_code == 303
    assert "€20.00 a month" in text(c.get("/budget/savings"))


def test_tips_show_where_they_help_and_can_be_hidden(survivor):
    c, user = survivor
    make_plan(user, "rent", 40000)
    make_plan(user, "debt", 5000)
    page = text(c.get(PAGE))
    assert "Rent and deposits" in page
    assert "Spotting debt traps" not in page  # one tip at a time
    response = c.post_form("/budget/tips/rent/dismiss", {"next": "/budget/?month=x"}, page=PAGE)
    assert response.status_code == 303
    assert response.headers["Location"] == "/budget/?month=x"
    page = text(c.get(PAGE))
    assert "Rent and deposits" not in page
    assert "Spotting debt traps" in page
    evil = c.post_form("/budget/tips/saving/dismiss", {"next": "//evil.example"}, page=PAGE)
    assert evil.headers["Location"] == "/budget/"
    assert (
        c.post_form(
            "/budget/tips/debt/dismiss", {}, page=PAGE, headers={"HX-Request": "true"}
        ).get_data()
        == b""
    )
    assert preferences.dismissed(db.session.get(BudgetSettings, user.id)) == {
        "rent",
        "debt",
        "saving",
    }


def test_the_trend_is_accessible_svg_with_a_table(survivor):
    c, user = survivor
    make_entry(user, 2500, on=localtime.today_for(user))
    html = c.get(PAGE).get_data(as_text=True)
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg
    assert "<title" in svg and "<desc" in svg
    assert "style=" not in html
    assert "€25.00" in svg
    assert html.count('<tr><th scope="row">') >= 6


def test_an_entry_saved_at_2330_on_the_last_evening_lands_in_that_month(as_role, monkeypatch):
    c, user = as_role("survivor", timezone="America/Lima")

    class Frozen(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime(2026, 2, 1, 4, 30, tzinfo=UTC).astimezone(tz)

    monkeypatch.setattr(localtime, "datetime", Frozen)
    c.post_form(
        "/budget/entries", {"kind": "expense", "category": "food", "amount": "5"}, page=PAGE
    )
    [entry] = entries_of(user)
    assert entry.on_date == date(2026, 1, 31)
    assert summary.summary(user, date(2026, 1, 1)).spent == 500
    assert summary.summary(user, date(2026, 2, 1)).spent == 0


def test_notes_are_encrypted_at_rest(survivor):
    _, user = survivor
    make_entry(user, 100, note="Bought shoes for Mia")
    raw = db.session.execute(text_sql("SELECT note FROM budget_entry")).scalar_one()
    assert b"Mia" not in bytes(raw)


def test_csv_export_is_neutral_and_safe_against_formulas(survivor):
    c, user = survivor
    make_entry(user, 1234, note='=HYPERLINK("http://x","click")', on=date(2026, 3, 1))
    make_entry(user, 5, note="+1 call", on=date(2026, 3, 2))
    make_entry(user, 5, note="-2", on=date(2026, 3, 3))
    make_entry(user, 5, note="@SUM(A1)", on=date(2026, 3, 4))
    make_entry(user, 5, note="\tTab", on=date(2026, 3, 5))
    make_entry(user, 5, note="\rCR", on=date(2026, 3, 6))
    make_entry(user, 5, note="plain, with comma", on=date(2026, 3, 7))
    db.session.add(BudgetCategory(user_id=user.id, name="=cmd|' /C calc'!A0", public_id="c1"))
    db.session.commit()
    make_entry(user, 7, category="c1", on=date(2026, 3, 8))
    response = c.get("/budget/export.csv")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="entries.csv"'
    assert response.mimetype == "text/csv"
    import csv
    import io

    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["Date", "Type", "Category", "Amount", "Currency", "Note"]
    assert rows[1] == [
        "2026-03-01",
        "Spent",
        "Food",
        "12.34",
        "EUR",
        '\'=HYPERLINK("http://x","click")',
    ]
    notes = [r[5] for r in rows[2:8]]
    assert notes == ["'+1 call", "'-2", "'@SUM(A1)", "'\tTab", "'\rCR", "plain, with comma"]
    assert rows[8][2] == "'=cmd|' /C calc'!A0"
    for row in rows[1:]:
        assert not row[5].startswith(("=", "+", "-", "@"))


def test_csv_cells_are_escaped():
    assert csvsafe.csv_cell("=1+1") == "'=1+1"
    assert csvsafe.csv_cell("safe") == "safe"
    assert csvsafe.csv_cell(None) == ""
    assert csvsafe.csv_cell("12.50") == "12.50"


def test_right_to_left_mirrors_the_chart_and_keeps_the_table_in_time_order(as_role):
    c, user = as_role("survivor", locale="ar")
    today = localtime.today_for(user)
    make_entry(user, 1000, on=today)
    html = c.get(PAGE).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    xs = [int(x) for x in re.findall(r'<rect class="budget-bar[^"]*" x="(\d+)"', html)]
    assert len(xs) == 6
    assert xs == sorted(xs, reverse=True)  # the oldest month at the reading start (the right)
    table = re.search(r'<table class="budget-table">.*?</table>', html, re.S).group(0)
    assert "oldest first" in table or "<caption" in table


def test_entries_in_another_currency_are_named_not_mixed_in(survivor):
    c, user = survivor
    today = localtime.today_for(user)
    make_entry(user, 1000, on=today, currency="USD")
    make_entry(user, 2000, on=today, currency="EUR")
    page = text(c.get(PAGE))
    assert "1 entry in another currency is not counted here." in page
    assert "Spent this month: €20.00" in page


def test_an_entry_can_be_changed_in_its_own_currency(as_role):
    c, user = as_role("survivor", locale="es")
    entry = make_entry(user, 123456, category="rent", on=date(2026, 3, 5), note="marzo")
    form = c.get(f"/budget/entries/{entry.public_id}").get_data(as_text=True)
    assert 'value="1.234,56"' in form and re.search(r">\s*marzo</textarea>", form)
    bad = c.post_form(
        f"/budget/entries/{entry.public_id}",
        {"category": "rent", "amount": "1.234,567", "on_date": "2026-03-05", "note": "abril"},
        page=PAGE,
    )
    assert bad.status_code == 422
    assert 'value="1.234,567"' in bad.get_data(as_text=True)
    assert re.search(r">\s*abril</textarea>", bad.get_data(as_text=True))
    ok = c.post_form(
        f"/budget/entries/{entry.public_id}",
        {"category": "food", "amount": "10,5", "on_date": "2026-04-01", "kind": "income"},
        page=PAGE,
    )
    assert ok.status_code == 303
    assert ok.headers["Location"].endswith("/budget/entries?month=2026-04")
    db.session.refresh(entry)
    assert (entry.kind, entry.category, entry.amount_minor, entry.on_date, entry.note) == (
        "expense",
        "food",
        1050,
        date(2026, 4, 1),
        None,
    )


def test_another_persons_entry_cannot_be_read_or_changed(as_role):
    c, _ = as_role("survivor")
    other = make_entry(make_user("survivor"), 500, note="not yours")
    assert c.get(f"/budget/entries/{other.public_id}").status_code == 404
    r = c.post_form(
        f"/budget/entries/{other.public_id}", {"category": "food", "amount": "1"}, page=PAGE
    )
    assert r.status_code == 404
    db.session.refresh(other)
    assert other.amount_minor == 500
