"""Report pages: who may open them, what they show, bad input, the CSV and the check-in."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from survivorapp.csvsafe import csv_cell
from survivorapp.extensions import db
from survivorapp.people.caseload import assign
from survivorapp.reports.models import CheckIn
from tests.factories import make_check_in, make_goal, make_survivors, make_user
from tests.helpers import sign_in
from tests.reports.conftest import IN, YEAR


def rows_of(response) -> list[list[str]]:
    text = response.get_data(as_text=True).lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("role", ["survivor", "mentor"])
def test_survivors_and_mentors_cannot_open_reports(as_role, role):
    client, _user = as_role(role)
    assert client.get("/reports/").status_code == 403
    assert client.get("/reports/report.csv").status_code == 403


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get("/reports/")
    assert response.status_code in (302, 303, 401)


def test_staff_and_admins_can_open_reports_and_reach_them_from_home(as_role):
    staff, _s = as_role("staff")
    admin, _a = as_role("admin")
    assert staff.get("/reports/").status_code == 200
    assert admin.get("/reports/").status_code == 200
    assert 'href="/reports/"' in staff.get("/staff").get_data(as_text=True)
    assert 'href="/reports/"' in admin.get("/admin").get_data(as_text=True)


def test_staff_see_only_their_caseload_and_admins_the_organisation(app, as_role):
    client, staff = as_role("staff")
    admin, _a = as_role("admin")
    mine = make_survivors(11)
    others = make_survivors(13)
    for p in mine:
        assign(staff, p)
    db.session.commit()
    for p in mine + others:
        make_goal(p, area="family", at=IN)
    assert ["Goals by area", "Family", "Set", "15"] in rows_of(  # 11, shown as 15
        client.get("/reports/report.csv", query_string=YEAR)
    )
    assert ["Goals by area", "Family", "Set", "25"] in rows_of(  # 24, rounded
        admin.get("/reports/report.csv", query_string=YEAR)
    )


def test_no_name_or_private_words_in_the_page_or_the_export(app, as_role):
    admin, _a = as_role("admin")
    people = make_survivors(12)
    for p in people:
        make_goal(p, area="money", at=IN)
        make_check_in(p, safe=3, helped="budget", note="my private words 4b2f", at=IN)
    page = admin.get("/reports/", query_string=YEAR).get_data(as_text=True)
    export = admin.get("/reports/report.csv", query_string=YEAR).get_data(as_text=True)
    for text in (page, export):
        assert "my private words 4b2f" not in text
        assert "A goal 5c1e" not in text
        for p in people:
            assert p.pseudonym not in text and p.public_id not in text
    assert ["What helped most", "Keeping a budget", "People", "15"] in rows_of(
        admin.get("/reports/report.csv", query_string=YEAR)
    )


def test_small_numbers_show_as_fewer_than_11_on_the_page_and_in_the_export(app, as_role):
    admin, _a = as_role("admin")
    for p in make_survivors(12):  # enough people counted, and behind the goals table
        make_goal(p, area="housing", at=IN)
    for p in make_survivors(4):
        make_goal(p, area="legal", at=IN)
    page = admin.get("/reports/", query_string=YEAR).get_data(as_text=True)
    assert "fewer than 11" in page
    rows = rows_of(admin.get("/reports/report.csv", query_string=YEAR))
    assert ["Goals by area", "Legal", "Set", "fewer than 11, or hidden"] in rows
    assert not any(r[-1] == "4" for r in rows)


def test_chart_is_accessible_svg_without_style_attributes(app, as_role):
    admin, _a = as_role("admin")
    for p in make_survivors(12):
        make_goal(p, area="housing", at=IN)
    page = admin.get("/reports/", query_string=YEAR).get_data(as_text=True)
    assert '<svg class="reports-chart" role="img"' in page
    assert "<title id=" in page and "<desc id=" in page and "<table>" in page
    assert "style=" not in page


def test_csv_is_a_neutral_download_safe_against_formulas(app, as_role):
    admin, _a = as_role("admin")
    response = admin.get("/reports/report.csv", query_string=YEAR)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert disposition == 'attachment; filename="report-2025-01-2025-12.csv"'
    for row in rows_of(response):
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_csv_cell_escapes_formulas():
    assert csv_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert csv_cell("+1") == "'+1" and csv_cell("-1") == "'-1" and csv_cell("@x") == "'@x"
    assert csv_cell(12) == "12" and csv_cell(None) == ""


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"from": "2025-13", "to": "2025-12"}, "Enter a month like 2026-01."),
        ({"from": "2025-06", "to": "2025-01"}, "must not be before the first month"),
        ({"from": "2001-01", "to": "2025-12"}, "Choose at most five years."),
        ({"from": "x" * 10000, "to": "2025-12"}, "Enter a month like 2026-01."),
        ({"from": "9999-01", "to": "9999-02"}, "Enter a month like 2026-01."),
        ({"from": "2099-01", "to": "2099-02"}, "must not be in the future"),
        ({"from": "2025-01", "to": "\x00"}, "Enter a month like 2026-12."),
    ],
)
def test_bad_periods_answer_422_and_keep_what_was_typed(as_role, query, message):
    client, _u = as_role("admin")
    response = client.get("/reports/", query_string=query)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    if query["from"] == "2025-06":
        assert 'value="2025-06"' in html and 'value="2025-01"' in html
    assert client.get("/reports/report.csv", query_string=query).status_code == 422


def test_repeated_parameters_do_not_break_the_page(as_role):
    client, _u = as_role("staff")
    response = client.get("/reports/?from=2025-01&from=2024-01&to=2025-02&to=x")
    assert response.status_code in (200, 422)


def test_htmx_gets_just_the_report(app, as_role):
    client, _u = as_role("admin")
    response = client.get("/reports/", query_string=YEAR, headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<div id="report"' in html and "<html" not in html


# -- check-in --------------------------------------------------------------------------------


def test_a_survivor_answers_the_check_in_and_sees_their_answers(app, as_role):
    client, user = as_role("survivor")
    page = client.get("/reports/check-in")
    assert page.status_code == 200
    response = client.post_form(
        "/reports/check-in",
        {"safe_at_home": "4", "helped": "groups", "hindered": "", "note": "quiet week 71c"},
        page="/reports/check-in",
    )
    assert response.status_code == 303
    row = db.session.scalar(select(CheckIn).where(CheckIn.user_id == user.id))
    assert (row.safe_at_home, row.helped, row.hindered, row.note) == (
        4,
        "groups",
        None,
        "quiet week 71c",
    )
    html = client.get("/reports/check-in").get_data(as_text=True)
    assert "quiet week 71c" in html and "Group meetings" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"safe_at_home": "9", "note": "kept text 3e"}, "Choose a number from 1 to 5"),
        ({"helped": "<script>", "note": "kept text 3e"}, "Choose one of the answers"),
        ({"hindered": "x" * 5000, "note": "kept text 3e"}, "Choose one of the answers"),
        ({"note": "kept text 3e" + "y" * 2000}, "Keep it under"),
        ({}, "Answer at least one question"),
    ],
)
def test_bad_check_ins_answer_422_and_keep_what_was_typed(app, as_role, data, message):
    client, user = as_role("survivor")
    response = client.post_form("/reports/check-in", data, page="/reports/check-in")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    if "note" in data:
        assert "kept text 3e" in html
    assert db.session.scalar(select(CheckIn).where(CheckIn.user_id == user.id)) is None


def test_check_ins_are_private_to_their_author(app, as_role):
    client, _me = as_role("survivor")
    other = make_user("survivor")
    theirs = make_check_in(other, safe=1, note="not yours 55a")
    assert "not yours 55a" not in client.get("/reports/check-in").get_data(as_text=True)
    response = client.post_form(
        f"/reports/check-in/{theirs.public_id}/delete", {}, page="/reports/check-in"
    )
    assert response.status_code == 404
    assert db.session.get(CheckIn, theirs.id) is not None


def test_a_survivor_can_remove_an_answer(app, as_role):
    client, me = as_role("survivor")
    mine = make_check_in(me, safe=2)
    response = client.post_form(
        f"/reports/check-in/{mine.public_id}/delete", {}, page="/reports/check-in"
    )
    assert response.status_code == 303
    assert db.session.get(CheckIn, mine.id) is None


def test_staff_cannot_open_the_check_in(as_role):
    client, _u = as_role("staff")
    assert client.get("/reports/check-in").status_code == 403


def test_home_invites_a_check_in_until_one_is_answered(app, as_role):
    client, me = as_role("survivor")
    assert "A short check-in" in client.get("/home").get_data(as_text=True)
    make_check_in(me, safe=3)  # answered now
    assert "A short check-in" not in client.get("/home").get_data(as_text=True)


def test_the_consent_choice_appears_among_privacy_choices(app, as_role):
    client, _me = as_role("survivor")
    html = client.get("/privacy/sharing").get_data(as_text=True)
    assert "Anonymous totals" in html


def test_signed_in_survivor_home_still_works_for_mentor(app):
    mentor = make_user("mentor", "survivor")
    c = app.test_client()
    sign_in(c, mentor)
    assert c.get("/home").status_code == 200
