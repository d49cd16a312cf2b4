"""Each indicator's arithmetic on built data, consent filtering and the staff scope."""

from __future__ import annotations

from datetime import date

from survivorapp.appointments.models import Kind, Outcome, Status
from survivorapp.database import utcnow
from survivorapp.extensions import db
from survivorapp.people.caseload import assign
from survivorapp.privacy.services import delete_account
from survivorapp.reports import indicators, scope, services
from survivorapp.reports.forms import HELPED, HINDERED, Period
from survivorapp.reports.scope import Scope
from tests.factories import (
    attend,
    counted,
    make_appointment,
    make_check_in,
    make_circle,
    make_goal,
    make_survivors,
    make_user,
)
from tests.reports.conftest import AFTER, BEFORE, IN

YEAR = Period(date(2025, 1, 1), date(2025, 12, 1))
ORG = Scope(None)


def table(report, key):
    return next(t for t in report.tables if t.key == key)


def value(t, row: int, col: int) -> int:
    return t.grid[row][col]


def test_goals_by_area_count_set_approved_achieved_in_the_period(app):
    people = make_survivors(12)
    for p in people:
        make_goal(p, area="housing", approved=IN, achieved=IN, at=IN)
        make_goal(p, area="work", at=BEFORE, approved=IN)  # set before, approved in period
        make_goal(p, area="money", at=AFTER)  # after the period: not counted
    report = services.build(ORG, YEAR)
    goals = table(report, "goals")
    assert goals.persons == 12
    housing, work, money = 0, 1, 3
    assert [value(goals, housing, j) for j in range(3)] == [12, 12, 12]
    assert [value(goals, work, j) for j in range(3)] == [0, 12, 0]
    assert [value(goals, money, j) for j in range(3)] == [0, 0, 0]
    assert goals.grid[-1][0] == 12
    assert goals.totals[0][0].value == 15 and not goals.totals[0][0].hidden  # 12, shown as 15
    assert report.active.value == 15


def test_only_people_who_chose_to_be_counted_are_counted(app):
    yes = make_survivors(11)
    no = make_survivors(5, count=False)  # never asked: the default is not counted
    refused = make_survivors(3)
    for p in refused:
        counted(p, False)
    for p in yes + no + refused:
        make_goal(p, area="wellbeing", at=IN)
    report = services.build(ORG, YEAR)
    assert value(table(report, "goals"), 2, 0) == 11
    assert report.active.value == 15  # 11, shown as 15 (never as if hidden)


def test_housing_stages_and_moves(app):
    people = make_survivors(24)
    # 12 people: emergency before, transitional during the period -> stage 2, one move each.
    for p in people[:12]:
        make_goal(p, pathway="housing-phases", steps=4, done={1: BEFORE, 2: IN}, at=IN)
    # 12 people: all four stages ticked in the period -> independent living, four moves each.
    for p in people[12:]:
        make_goal(
            p,
            pathway="housing-phases",
            steps=6,
            done={1: IN, 2: IN, 3: IN, 4: IN, 5: IN, 6: IN},
            at=IN,
        )
    housing = table(services.build(ORG, YEAR), "housing")
    at_stage = [value(housing, i, 0) for i in range(5)]
    moves = [value(housing, i, 1) for i in range(5)]
    assert at_stage == [0, 0, 12, 0, 12]
    assert moves == [0, 12, 24, 12, 12]  # steps 5 and 6 are the person's own, not stages
    assert housing.persons == 24  # different people behind the whole table
    assert housing.totals[0][1].value == 60


def test_a_stage_ticked_after_the_period_does_not_count(app):
    people = make_survivors(11)
    for p in people:
        make_goal(p, pathway="housing-phases", steps=4, done={1: IN, 2: AFTER}, at=IN)
    housing = table(services.build(ORG, YEAR), "housing")
    assert value(housing, 1, 0) == 11 and value(housing, 2, 0) == 0
    assert value(housing, 2, 1) == 0


def test_training_modules_certificates_and_work_goals(app):
    people = make_survivors(11)
    for p in people:
        make_goal(
            p,
            area="work",
            pathway="stackable-training",
            steps=5,
            done={1: IN, 2: IN, 3: IN, 5: IN},
            at=IN,
        )
        make_goal(p, area="work", achieved=IN, at=IN)
    work = table(services.build(ORG, YEAR), "work")
    assert [value(work, i, 0) for i in range(3)] == [22, 11, 11]
    assert work.persons == 11


def test_appointments_kept_missed_cancelled_and_not_marked_by_kind(app):
    staff = make_user("staff")
    people = make_survivors(11)
    for p in people:
        make_appointment(p, kind=Kind.COUNSELLING, outcome=Outcome.ATTENDED, by=staff, start=IN)
        # Missed, though never confirmed: what counts is what was marked afterwards.
        make_appointment(
            p,
            kind=Kind.COUNSELLING,
            status=Status.SCHEDULED,
            outcome=Outcome.MISSED,
            by=staff,
            start=IN,
        )
        make_appointment(p, kind=Kind.COUNSELLING, status=Status.CANCELLED, by=staff, start=IN)
        # Confirmed is not kept: nobody has said it took place.
        make_appointment(p, kind=Kind.HEALTH, status=Status.CONFIRMED, by=staff, start=IN)
        make_appointment(
            p,
            kind=Kind.HEALTH,
            status=Status.SCHEDULED,
            outcome=Outcome.ATTENDED,
            by=staff,
            start=IN,
        )
        make_appointment(p, kind=Kind.HEALTH, outcome=Outcome.ATTENDED, by=p, start=IN)  # own diary
        make_appointment(p, kind=Kind.LEGAL_AID, start=BEFORE, outcome=Outcome.ATTENDED, by=staff)
    t = table(services.build(ORG, YEAR), "appointments")
    counselling, health, legal = 0, 4, 1
    assert [value(t, counselling, j) for j in range(5)] == [11, 11, 11, 0, 33]
    assert [value(t, health, j) for j in range(5)] == [11, 0, 0, 11, 22]
    assert [value(t, legal, j) for j in range(5)] == [0, 0, 0, 0, 0]
    assert [value(t, -1, j) for j in range(5)] == [22, 11, 11, 11, 55]
    assert t.persons == 11  # own diary entries and other periods aside


def test_kept_counts_each_person_once_across_confirmed_and_unconfirmed(app):
    """Eleven people kept one appointment each, some confirmed beforehand and some not: the
    cell stands for 11 different people, so it is shown (not taken as 6 and hidden). The
    member of staff who booked them has left since: they are still the team's bookings."""
    staff = make_user("staff")
    for i, p in enumerate(make_survivors(11)):
        status = Status.CONFIRMED if i % 2 else Status.SCHEDULED
        make_appointment(
            p, by=staff, kind=Kind.TRAINING, status=status, outcome=Outcome.ATTENDED, start=IN
        )
    delete_account(staff)  # leaves the bookings with no one named as their author
    db.session.commit()
    t = table(services.build(ORG, YEAR), "appointments")
    training = list(Kind).index(Kind.TRAINING)
    assert value(t, training, 0) == 11 and (training, 0) not in t.hidden


def test_only_an_attended_appointment_makes_someone_active(app):
    kept, confirmed, missed = make_survivors(11), make_survivors(5), make_survivors(5)
    for p in kept:
        make_appointment(p, outcome=Outcome.ATTENDED, start=IN)
    for p in confirmed:
        make_appointment(p, status=Status.CONFIRMED, start=IN)
    for p in missed:
        make_appointment(p, outcome=Outcome.MISSED, start=IN)
    start, end = scope.bounds(YEAR)
    ids = scope.counted_ids(ORG)
    assert indicators.active_people(ids, start, end, utcnow()) == 11


def test_future_appointments_are_not_counted_yet(app):
    from datetime import timedelta

    from survivorapp.database import utcnow

    staff = make_user("staff")
    for p in make_survivors(11):
        make_appointment(p, by=staff, start=utcnow() + timedelta(days=3))
    today = utcnow().date()
    period = Period(date(today.year, today.month, 1), date(today.year, today.month, 1))
    t = table(services.build(ORG, period), "appointments")
    assert t.grid[-1][-1] == 0


def test_circle_sessions_and_attendance(app):
    people = make_survivors(12)
    circle = make_circle(topic="money")
    for p in people:
        attend(circle, p, at=IN)
        attend(circle, p, at=IN.replace(day=22))
    absent = make_survivors(1)[0]
    attend(circle, absent, at=IN, present=False)
    t = table(services.build(ORG, YEAR), "circles")
    money = 2
    assert value(t, money, 0) == 2  # two sessions held
    assert value(t, money, 1) == 24  # 24 present marks
    assert (money, 0) in t.hidden  # "2" is a small number: hidden on the page
    assert t.persons == 12  # the absent person is not behind the table


def test_check_ins_count_each_person_once_by_their_latest_answer(app):
    people = make_survivors(12)
    for p in people:
        make_check_in(p, at=IN.replace(month=3), safe=2, helped="groups")
        make_check_in(p, at=IN, safe=4, helped="groups", hindered="money", note="private words 9d")
    report = services.build(ORG, YEAR)
    safe = table(report, "safe")
    assert [value(safe, i, 0) for i in range(5)] == [0, 0, 0, 12, 0]
    helped = table(report, "helped")
    assert value(helped, list(HELPED).index("groups"), 0) == 12
    hindered = table(report, "hindered")
    assert value(hindered, list(HINDERED).index("money"), 0) == 12
    assert safe.persons == helped.persons == hindered.persons == 12


def test_staff_scope_is_their_caseload_only(app):
    staff, other = make_user("staff"), make_user("staff")
    mine = make_survivors(11)
    theirs = make_survivors(13)
    for p in mine:
        assign(staff, p)
    for p in theirs:
        assign(other, p)
    db.session.commit()
    for p in mine + theirs:
        make_goal(p, area="family", at=IN)
    assert value(table(services.build(Scope(staff.id), YEAR), "goals"), 5, 0) == 11
    assert value(table(services.build(Scope(other.id), YEAR), "goals"), 5, 0) == 13
    assert value(table(services.build(ORG, YEAR), "goals"), 5, 0) == 24


def test_small_numbers_are_hidden_in_the_report(app):
    for p in make_survivors(12):  # counted and behind the table (an approval), not active
        make_goal(p, area="housing", at=BEFORE, approved=IN)
    people = make_survivors(3)
    for p in people:
        make_goal(p, area="legal", at=IN)
    report = services.build(ORG, YEAR)
    goals = table(report, "goals")
    assert not goals.withheld and goals.persons == 15
    assert (4, 0) in goals.hidden and goals.rows[4][1][0].hidden
    assert report.active.hidden
