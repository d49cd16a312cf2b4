"""Issue 21 item 3: small groups must not give single answers away, on the page or in the CSV.

(a) zeros beside a hidden count said where it was; (b) a table with 10 or fewer people behind
it shows nothing; (c) a report of a scope with fewer than MIN_COUNTED counted people shows
nothing at all; (d) turning an account off and on again does not change any count, so two
reports cannot be diffed to find one person's cells."""

from __future__ import annotations

from datetime import date

import pytest

from survivorapp.appointments.models import Kind, Outcome
from survivorapp.database import utcnow
from survivorapp.extensions import db
from survivorapp.goals.forms import AREAS
from survivorapp.people import admin_services
from survivorapp.people.caseload import assign
from survivorapp.privacy.services import delete_account
from survivorapp.reports import services
from survivorapp.reports.access import scope_for
from survivorapp.reports.forms import Period
from survivorapp.reports.scope import Scope, org_today
from survivorapp.reports.suppression import MIN_COUNTED, THRESHOLD
from tests.factories import (
    counted,
    make_appointment,
    make_check_in,
    make_goal,
    make_survivors,
    make_user,
)
from tests.reports.conftest import BEFORE, IN, YEAR
from tests.reports.test_views import rows_of

TOO_FEW = "Too few people to show."
NO_REPORT = (
    "Too few people are counted here to show a report: it needs at least 11 people who chose "
    "to be counted."
)
HTMX = {"HX-Request": "true"}


def people_in(client_user, n: int) -> list:
    """n counted survivors in the scope of `client_user` (assigned when they are staff)."""
    people = make_survivors(n)
    if client_user.has_role("staff"):
        for p in people:
            assign(client_user, p)
        db.session.commit()
    return people


def csv_rows(client, title: str, query=YEAR) -> list[list[str]]:
    rows = rows_of(client.get("/reports/report.csv", query_string=query))
    return [r for r in rows if r[0] == title]


def section(html: str, key: str) -> str:
    start = html.index(f'id="t-{key}"')
    return html[start : html.index("</section>", start)]


def fragment(client, query=YEAR) -> str:
    response = client.get("/reports/", query_string=query, headers=HTMX)
    assert response.status_code == 200
    return response.get_data(as_text=True)


# -- (a) zeros beside a hidden count ------------------------------------------------------------


def test_where_one_hidden_count_sits_cannot_be_read_off_the_zeros(app, as_role):
    """21 people each kept one health appointment and missed another; one more person had a
    legal-aid appointment. Whether they kept or missed it, the page and the CSV are the same:
    the zeros beside the hidden count no longer say which one it was."""
    admin, _a = as_role("admin")
    staff = make_user("staff")
    for p in make_survivors(21):
        make_appointment(p, by=staff, kind=Kind.HEALTH, outcome=Outcome.ATTENDED, start=IN)
        make_appointment(p, by=staff, kind=Kind.HEALTH, outcome=Outcome.MISSED, start=IN)
    [one] = make_survivors(1)
    legal = make_appointment(one, by=staff, kind=Kind.LEGAL_AID, outcome=Outcome.ATTENDED, start=IN)
    kept_csv = csv_rows(admin, "Appointments by kind")
    kept_page = section(fragment(admin), "appointments")
    legal.outcome = Outcome.MISSED
    db.session.commit()
    missed_csv = csv_rows(admin, "Appointments by kind")
    missed_page = section(fragment(admin), "appointments")
    assert kept_csv == missed_csv, "the CSV says whether the one legal-aid visit was kept"
    assert kept_page == missed_page, "the page says whether the one legal-aid visit was kept"
    assert ["Appointments by kind", "Legal aid", "Kept", "fewer than 11, or hidden"] in kept_csv


def test_one_persons_answer_cannot_be_read_off_the_zeros(app, as_role):
    """The issue's case: one person answered "how safe at home"; their cell was hidden and the
    four zeros around it said which answer it was."""
    admin, _a = as_role("admin")
    for p in make_survivors(12):
        make_goal(p, area="housing", at=IN)
    [one] = make_survivors(1)
    answer = make_check_in(one, safe=2, at=IN)
    shown = {}
    for value in (2, 4):
        answer.safe_at_home = value
        db.session.commit()
        shown[value] = (
            csv_rows(admin, "How safe people feel at home"),
            section(fragment(admin), "safe"),
        )
    assert shown[2] == shown[4], "the report says which answer the one person gave"
    rows, _page = shown[2]
    assert all(r[3] != "0" for r in rows), rows


# -- (b) a table with 10 or fewer people behind it ----------------------------------------------


def test_a_table_with_few_people_behind_it_shows_nothing(app, as_role):
    """Ten people, all of whom answered "3": the hidden cell among four zeros said so."""
    admin, _a = as_role("admin")
    for p in make_survivors(12):
        make_goal(p, area="housing", at=IN)
    for p in make_survivors(THRESHOLD):
        make_check_in(p, safe=3, helped="groups", at=IN)
    html = fragment(admin)
    safe = section(html, "safe")
    assert TOO_FEW in safe, "a table with 10 people behind it is still shown"
    assert "<table" not in safe and "<svg" not in safe and "fewer than 11" not in safe
    assert TOO_FEW in section(html, "helped")
    assert TOO_FEW not in section(html, "goals")  # 12 people: shown
    for title in ("How safe people feel at home", "What helped most"):
        assert csv_rows(admin, title) == [[title, "", "", TOO_FEW]]
    page = admin.get("/reports/", query_string=YEAR).get_data(as_text=True)
    assert TOO_FEW in section(page, "safe")


def test_a_table_with_one_more_person_than_the_threshold_is_shown(app, as_role):
    admin, _a = as_role("admin")
    for p in make_survivors(THRESHOLD + 1):
        make_check_in(p, safe=3, at=IN)
    safe = section(fragment(admin), "safe")
    assert TOO_FEW not in safe and "<table" in safe
    assert ["How safe people feel at home", "3", "People", "15"] in csv_rows(
        admin, "How safe people feel at home"
    )


def test_a_table_nobody_is_behind_shows_its_zeros(app, as_role):
    admin, _a = as_role("admin")
    for p in make_survivors(12):
        make_goal(p, area="housing", at=IN)
    safe = section(fragment(admin), "safe")
    assert TOO_FEW not in safe and "<td>0</td>" in safe


def test_people_behind_a_table_are_counted_once_across_its_cells(app):
    """Six people set a goal and five others had one approved: no cell has 11 people behind
    it, but the table does, so it is shown (and its small cells hidden)."""
    six, five = make_survivors(6), make_survivors(5)
    for p in six:
        make_goal(p, area="housing", at=IN)
    for p in five:
        make_goal(p, area="work", at=BEFORE, approved=IN)
    report = services.build(Scope(None), Period(date(2025, 1, 1), date(2025, 12, 1)))
    goals = next(t for t in report.tables if t.key == "goals")
    assert goals.persons == 11 and not goals.withheld


# -- (c) a scope with too few counted people ----------------------------------------------------


@pytest.mark.parametrize("role", ["staff", "admin"])
def test_a_report_with_few_counted_people_shows_nothing_at_all(app, as_role, role):
    client, user = as_role(role)
    people = people_in(user, MIN_COUNTED - 1)
    for p in people:
        make_goal(p, area="housing", at=IN)
        make_goal(p, area="housing", at=IN)
        make_check_in(p, safe=4, at=IN)
    not_counted = make_survivors(5, count=False)  # in scope, but never chose to be counted
    if role == "staff":
        for p in not_counted:
            assign(user, p)
        db.session.commit()
    html = fragment(client)
    assert NO_REPORT in html, "a report of 10 counted people is shown"
    assert "<table" not in html and "<svg" not in html and "fewer than 11" not in html
    rows = rows_of(client.get("/reports/report.csv", query_string=YEAR))
    assert rows == [[NO_REPORT]], rows
    page = client.get("/reports/", query_string=YEAR).get_data(as_text=True)
    assert NO_REPORT in page and "<table" not in page


@pytest.mark.parametrize("role", ["staff", "admin"])
def test_a_report_with_enough_counted_people_is_shown(app, as_role, role):
    client, user = as_role(role)
    for p in people_in(user, MIN_COUNTED):
        make_goal(p, area="housing", at=IN)
    html = fragment(client)
    assert NO_REPORT not in html and "<table" in html
    assert ["Goals by area", "Housing", "Set", "15"] in csv_rows(client, "Goals by area")


def test_the_minimum_is_more_than_the_threshold():
    assert MIN_COUNTED == THRESHOLD + 1


# -- (d) turning an account off and on ----------------------------------------------------------


def snapshot(client, scope: Scope, period: Period, query: dict) -> tuple:
    """What the report shows (CSV and page) and the true grids behind it."""
    report = services.build(scope, period)
    grids = [(t.key, t.grid, t.persons) for t in report.tables]
    return (
        rows_of(client.get("/reports/report.csv", query_string=query)),
        fragment(client, query),
        grids,
    )


@pytest.mark.parametrize("role", ["staff", "admin"])
def test_turning_an_account_off_and_on_does_not_change_a_closed_period(app, as_role, role):
    client, user = as_role(role)
    admin = user if role == "admin" else make_user("admin")
    people = people_in(user, 18)  # 18 shows as 20; 17 would show as 15
    for p in people:
        make_goal(p, area="housing", at=IN)
        make_check_in(p, safe=4, at=IN)
    scope = scope_for(user)
    year = Period(date(2025, 1, 1), date(2025, 12, 1))
    before = snapshot(client, scope, year, YEAR)
    admin_services.disable(admin, people[0])
    while_off = snapshot(client, scope, year, YEAR)
    admin_services.enable(admin, people[0])
    after = snapshot(client, scope, year, YEAR)
    assert before[0] == while_off[0], "the CSV of a closed period changes when an account is off"
    assert before[1] == while_off[1], "the page of a closed period changes when an account is off"
    assert before[2] == while_off[2] == after[2]
    assert ["Goals by area", "Housing", "Set", "20"] in while_off[0]


def test_turning_an_account_off_does_not_change_this_month_either(app, as_role):
    client, admin = as_role("admin")
    people = make_survivors(18)
    for p in people:
        make_goal(p, area="money", at=utcnow())
    today = org_today()
    month = Period(date(today.year, today.month, 1), date(today.year, today.month, 1))
    query = {"from": month.param("from"), "to": month.param("to")}
    before = snapshot(client, Scope(None), month, query)
    admin_services.disable(admin, people[0])
    assert snapshot(client, Scope(None), month, query) == before


def test_consent_and_deletion_still_take_people_out(app, as_role):
    """Off or on, a person is counted only while they choose to be, and a deleted account's
    rows are gone."""
    _client, admin = as_role("admin")
    people = make_survivors(20)
    for p in people:
        make_goal(p, area="family", at=IN)
    year = Period(date(2025, 1, 1), date(2025, 12, 1))

    def family_set() -> int:
        goals = next(t for t in services.build(Scope(None), year).tables if t.key == "goals")
        return goals.grid[list(AREAS).index("family")][0]

    admin_services.disable(admin, people[0])
    assert family_set() == 20
    counted(people[0], False)  # took their choice back
    assert family_set() == 19
    delete_account(people[1])
    assert family_set() == 18
