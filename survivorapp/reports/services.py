"""Report queries (SQL aggregates only: no row about a person is loaded into Python), the
suppression of small numbers, the CSV export, and the check-in's reads and writes.

Every count is suppressed on its true value, then shown rounded to the nearest 5 (Cell, through
Table.cell; see suppression.py for why: differencing overlapping periods).

Who is counted: survivors in scope (the organisation for an admin, the caseload for staff)
who chose to be counted (consent area "counted_in_reports", see consent_area below). Whether
an account is turned off (User.disabled_at) plays no part, for any period: what a person did
still happened, and an admin could otherwise turn an account off and on and compare two
reports to read that person's cells (issue 21). The choice to be counted does: taken back, the
person leaves every period at once (their right, and made by them, not by whoever reads the
report). A deleted account's rows are gone. Staff scope is the caseload as it is today.

Small groups (suppression.py, step 0): a report whose scope has fewer than MIN_COUNTED counted
people shows nothing at all (Report.withheld), and a table with 1..THRESHOLD different people
behind it shows "Too few people to show" instead of its numbers (Table.withheld). The page and
the CSV both read through Report and Table, so they obey the same rules.

How each indicator is derived (also shown under each table):
- Active: a counted person who did something in the period: created or changed a goal,
  ticked a step, attended an appointment (marked attended), came to a group session, or
  answered a check-in.
- Goals: "set" = created in the period; "approved" = an approval recorded in the period;
  "achieved" = marked achieved in the period and still achieved.
- Housing stages: goals adopted from the "housing-phases" pathway keep its four stage steps at
  positions 1..4 (emergency, transitional, supported, independent living); steps a person adds
  get positions 5 and up. A person's stage at the end of the period is the highest stage step
  ticked by then (0 = on the pathway, no stage ticked); a "move" is a stage step ticked during
  the period. Step texts are the survivor's own (encrypted) and are never read.
- Training: in "stackable-training" goals, positions 2..4 are the three short modules and 5 is
  putting them together for the certificate. Work goals achieved: area "work".
- Appointments (booked by the team; a survivor's own private diary entries are not counted),
  starting in the period and already over: "kept" = marked attended, "missed" = marked missed
  (after the end, by the person or by staff who can see it: appointments.services); then
  "cancelled", and "not marked" = past, not cancelled, and nobody has said yet.
- Groups: sessions in the period where at least one counted person was marked present, and
  the number of present marks, by topic.
- Check-ins: each person's latest answer in the period (safety at home), and how many people
  chose each answer (what helped, what got in the way). Free text is never read here.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import abort
from flask_babel import _
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Select,
    and_,
    case,
    delete,
    func,
    literal_column,
    or_,
    select,
    union_all,
)

from ..accounts.models import Role, User, UserRole
from ..appointments.labels import KIND_LABELS
from ..appointments.models import Appointment, Kind, Outcome, Status
from ..circles.forms import TOPICS
from ..circles.models import Attendance, Circle
from ..csvsafe import csv_cell
from ..database import utcnow
from ..extensions import db
from ..goals.forms import AREAS
from ..goals.models import EventKind, Goal, GoalEvent, Step
from ..people import caseload
from ..privacy import consent
from ..privacy.registry import consent_area, eraser, exporter
from ..settings import org_setting
from . import suppression
from .forms import HELPED, HINDERED, SAFE_LABELS, Period
from .models import CheckIn

COUNTED = "counted_in_reports"
HOUSING_PATHWAY = "housing-phases"
TRAINING_PATHWAY = "stackable-training"
HOUSING_STAGES = {
    0: _l("On the pathway, no stage reached yet"),
    1: _l("Emergency"),
    2: _l("Transitional"),
    3: _l("Supported"),
    4: _l("Independent living"),
}

# Opt-in (default False): being counted is a choice, made at enrolment where every area is
# asked explicitly; people enrolled before this area existed are not counted until they say so.
# Survivors own their data (DESIGN §2 rule 4) and consent to data use must be an act, not a
# silence. The price is smaller numbers, which suppression then hides more often.
consent_area(
    COUNTED,
    label=_l("Anonymous totals"),
    explains=_l(
        "Your progress is added to anonymous totals (how many goals, stages, visits and "
        "check-in answers) that the organisation reports. Small numbers are always hidden and "
        "your name, notes and words are never included."
    ),
    default=False,
    order=60,
)


# -- scope and period --------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    staff_id: int | None  # None: the whole organisation

    @property
    def organisation(self) -> bool:
        return self.staff_id is None


def scope_for(user: User) -> Scope:
    if user.has_role(Role.ADMIN):
        return Scope(None)
    if user.has_role(Role.STAFF):
        return Scope(user.id)
    abort(403)


def counted_ids(scope: Scope) -> Select:
    """The ids of survivors in scope who chose to be counted (a subquery, never loaded).
    Turned-off accounts are counted too (see the module docstring): so this is not
    people.caseload.caseload_query, which lists the people a member of staff can work with."""
    column = UserRole.user_id
    query = select(column).where(UserRole.role == Role.SURVIVOR)
    if not scope.organisation:
        query = query.where(column.in_(caseload.caseload_ids(scope.staff_id)))
    return query.where(consent.allows_clause(column, COUNTED))


def count_of(ids: Select) -> int:
    return int(db.session.scalar(select(func.count()).select_from(ids.subquery())) or 0)


def people_in(ids: Select, *sources: Select) -> int:
    """How many different counted people stand behind any of `sources` (selects of one
    column: a person's id)."""
    union = union_all(*sources).subquery()
    column = union.c[0]
    return int(
        db.session.scalar(select(func.count(func.distinct(column))).where(column.in_(ids))) or 0
    )


def _zone() -> ZoneInfo:
    try:
        return ZoneInfo(str(org_setting("DEFAULT_TIMEZONE")))
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def bounds(period: Period) -> tuple[datetime, datetime]:
    """[start, end) of the period in UTC; months begin at midnight in the organisation's zone."""
    zone = _zone()
    start = datetime.combine(period.first, time(0), zone).astimezone(UTC)
    end = datetime.combine(period.end, time(0), zone).astimezone(UTC)
    return start, end


# -- tables ------------------------------------------------------------------------------------


@dataclass
class Cell:
    """What a page or the CSV shows for one count: hidden (no value at all), or the count
    rounded to the nearest 5 from its true value (suppression.rounded)."""

    value: int | None
    hidden: bool


def shown_cell(true_value: int, hidden: bool) -> Cell:
    return Cell(None, True) if hidden else Cell(suppression.rounded(true_value), False)


@dataclass
class Table:
    key: str
    title: object
    how: object  # how the numbers are derived, shown under the table
    row_labels: list
    col_labels: list
    counts: list[list[int]]
    people: list[list[int]] | None = None  # people behind each cell, when cells count events
    row_totals: bool = False
    col_totals: bool = True
    # Different people behind the whole table (exact, from the database). None: the most
    # behind one cell, a lower bound (tables built by hand in tests).
    persons: int | None = None
    grid: list[list[int]] = field(init=False)  # TRUE counts with their margins: never shown
    hidden: set = field(init=False)
    withheld: bool = field(init=False)  # too few people: the table shows nothing

    def __post_init__(self) -> None:
        self.grid, self.hidden = suppression.suppress(self.counts, self.people)
        if self.persons is None:
            self.persons = max((max(r, default=0) for r in self.people or self.counts), default=0)
        self.withheld = suppression.too_few_people(self.persons)
        if self.withheld:
            self.hidden = {(i, j) for i, r in enumerate(self.grid) for j in range(len(r))}

    def cell(self, i: int, j: int) -> Cell:
        """What is shown: every page, chart and CSV reads counts through here."""
        return shown_cell(self.grid[i][j], (i, j) in self.hidden)

    @property
    def rows(self) -> list[tuple[object, list[Cell], Cell]]:
        width = len(self.col_labels)
        return [
            (label, [self.cell(i, j) for j in range(width)], self.cell(i, width))
            for i, label in enumerate(self.row_labels)
        ]

    @property
    def totals(self) -> tuple[list[Cell], Cell]:
        n, width = len(self.row_labels), len(self.col_labels)
        return [self.cell(n, j) for j in range(width)], self.cell(n, width)

    @property
    def chart(self) -> list[tuple[object, Cell]]:
        """The first column, for the bar chart."""
        return [(label, cells[0]) for label, cells, _total in self.rows]

    @property
    def chart_max(self) -> int:
        """The longest bar, from the shown (rounded) values, like every bar."""
        shown = [c.value for _label, c in self.chart if not c.hidden]
        return max(shown, default=0) or 1


def _grid(keys: list, cols: list, results) -> tuple[list[list[int]], list[list[int]]]:
    """counts and people grids from (row key, column key, count, people) results."""
    index = {k: i for i, k in enumerate(keys)}
    counts = [[0] * len(cols) for _ in keys]
    people = [[0] * len(cols) for _ in keys]
    for row_key, col_key, count, persons in results:
        i = index.get(row_key, index.get("other"))
        if i is None or col_key not in cols:
            continue
        j = cols.index(col_key)
        counts[i][j] += int(count or 0)
        people[i][j] = max(people[i][j], int(persons or 0))  # a lower bound when merged
    return counts, people


def _in(column, start, end):
    return and_(column >= start, column < end)


def active_people(ids: Select, start: datetime, end: datetime, now: datetime) -> int:
    sources = union_all(
        select(Goal.owner_id.label("uid")).where(_in(Goal.created_at, start, end)),
        select(Goal.owner_id)
        .join(GoalEvent, GoalEvent.goal_id == Goal.id)
        .where(GoalEvent.actor_id == Goal.owner_id, _in(GoalEvent.at, start, end)),
        select(Goal.owner_id)
        .join(Step, Step.goal_id == Goal.id)
        .where(_in(Step.done_at, start, end)),
        select(Appointment.survivor_id).where(
            _in(Appointment.starts_at, start, min(end, now)),
            Appointment.status != Status.CANCELLED,
            Appointment.outcome == Outcome.ATTENDED,
        ),
        select(Attendance.user_id).where(
            Attendance.present.is_(True), _in(Attendance.occurrence, start, end)
        ),
        select(CheckIn.user_id).where(_in(CheckIn.answered_at, start, end)),
    ).subquery()
    return int(
        db.session.scalar(
            select(func.count(func.distinct(sources.c.uid))).where(sources.c.uid.in_(ids))
        )
        or 0
    )


def goals_table(ids: Select, start: datetime, end: datetime) -> Table:
    cols = ["set", "approved", "achieved"]
    owner_in = Goal.owner_id.in_(ids)
    set_q = (
        select(
            Goal.area,
            literal_column("'set'"),
            func.count(Goal.id),
            func.count(Goal.owner_id.distinct()),
        )
        .where(owner_in, _in(Goal.created_at, start, end))
        .group_by(Goal.area)
    )
    approved_q = (
        select(
            Goal.area,
            literal_column("'approved'"),
            func.count(GoalEvent.goal_id.distinct()),
            func.count(Goal.owner_id.distinct()),
        )
        .join(GoalEvent, GoalEvent.goal_id == Goal.id)
        .where(
            owner_in,
            GoalEvent.kind == EventKind.APPROVED.value,
            _in(GoalEvent.at, start, end),
        )
        .group_by(Goal.area)
    )
    achieved_q = (
        select(
            Goal.area,
            literal_column("'achieved'"),
            func.count(Goal.id),
            func.count(Goal.owner_id.distinct()),
        )
        .where(owner_in, _in(Goal.achieved_at, start, end))
        .group_by(Goal.area)
    )
    results = [*db.session.execute(set_q), *db.session.execute(approved_q)]
    results += db.session.execute(achieved_q).all()
    keys = list(AREAS)
    counts, people = _grid(keys, cols, results)
    persons = people_in(
        ids,
        select(Goal.owner_id).where(_in(Goal.created_at, start, end)),
        select(Goal.owner_id)
        .join(GoalEvent, GoalEvent.goal_id == Goal.id)
        .where(GoalEvent.kind == EventKind.APPROVED.value, _in(GoalEvent.at, start, end)),
        select(Goal.owner_id).where(_in(Goal.achieved_at, start, end)),
    )
    return Table(
        "goals",
        _l("Goals by area"),
        _l(
            "Set: goals created in the period. Approved: approvals recorded in the period. "
            "Achieved: goals marked achieved in the period (and still achieved)."
        ),
        [AREAS[k] for k in keys],
        [_l("Set"), _l("Approved"), _l("Achieved")],
        counts,
        people,
        persons=persons,
    )


def housing_table(ids: Select, start: datetime, end: datetime) -> Table:
    stage_step = and_(Step.position.between(1, 4), Step.done_at.is_not(None), Step.done_at < end)
    per_person = (
        select(
            Goal.owner_id.label("uid"),
            func.max(case((stage_step, Step.position), else_=0)).label("stage"),
        )
        .outerjoin(Step, Step.goal_id == Goal.id)
        .where(
            Goal.owner_id.in_(ids),
            Goal.pathway == HOUSING_PATHWAY,
            Goal.created_at < end,
            or_(Goal.archived_at.is_(None), Goal.archived_at >= end),
        )
        .group_by(Goal.owner_id)
        .subquery()
    )
    at_stage = select(
        per_person.c.stage, literal_column("'at'"), func.count(), func.count()
    ).group_by(per_person.c.stage)
    moves = (
        select(
            Step.position,
            literal_column("'moves'"),
            func.count(Step.id),
            func.count(Goal.owner_id.distinct()),
        )
        .join(Goal, Goal.id == Step.goal_id)
        .where(
            Goal.owner_id.in_(ids),
            Goal.pathway == HOUSING_PATHWAY,
            Step.position.between(1, 4),
            _in(Step.done_at, start, end),
        )
        .group_by(Step.position)
    )
    results = [*db.session.execute(at_stage), *db.session.execute(moves)]
    keys = list(HOUSING_STAGES)
    counts, people = _grid(keys, ["at", "moves"], results)
    persons = people_in(
        ids,
        select(per_person.c.uid),
        moves.with_only_columns(Goal.owner_id).group_by(None),
    )
    return Table(
        "housing",
        _l("Housing pathway"),
        _l(
            "People on the four-stage housing pathway by the highest stage they had ticked at "
            "the end of the period, and stages ticked during the period (moves toward "
            "independent living)."
        ),
        [HOUSING_STAGES[k] for k in keys],
        [_l("People at this stage"), _l("Moves into this stage")],
        counts,
        people,
        persons=persons,
    )


def work_table(ids: Select, start: datetime, end: datetime) -> Table:
    # Grouped by the step's position, named in Python: a CASE in both SELECT and GROUP BY
    # would carry separate bind parameters, which PostgreSQL refuses to match.
    steps = (
        select(Step.position, func.count(Step.id), func.count(Goal.owner_id.distinct()))
        .join(Goal, Goal.id == Step.goal_id)
        .where(
            Goal.owner_id.in_(ids),
            Goal.pathway == TRAINING_PATHWAY,
            Step.position.between(2, 5),
            _in(Step.done_at, start, end),
        )
        .group_by(Step.position)
    )
    achieved = select(
        literal_column("'work_goals'"),
        literal_column("'n'"),
        func.count(Goal.id),
        func.count(Goal.owner_id.distinct()),
    ).where(Goal.owner_id.in_(ids), Goal.area == "work", _in(Goal.achieved_at, start, end))
    results = [
        ("certificate" if pos == 5 else "modules", "n", c, p)
        for pos, c, p in db.session.execute(steps)
    ]
    results += db.session.execute(achieved).all()
    keys = ["modules", "certificate", "work_goals"]
    counts, people = _grid(keys, ["n"], results)
    persons = people_in(
        ids,
        steps.with_only_columns(Goal.owner_id).group_by(None),
        achieved.with_only_columns(Goal.owner_id),
    )
    return Table(
        "work",
        _l("Training and work"),
        _l(
            "Short training modules ticked in the period, certificates put together, and "
            "goals in the area “Work and training” achieved in the period."
        ),
        [_l("Training modules completed"), _l("Certificates"), _l("Work goals achieved")],
        [_l("Number")],
        counts,
        people,
        col_totals=False,
        persons=persons,
    )


def appointments_table(ids: Select, start: datetime, end: datetime, now: datetime) -> Table:
    booked_by_team = and_(
        Appointment.survivor_id.in_(ids),
        _in(Appointment.starts_at, start, end),
        Appointment.ends_at <= now,  # over: only then can anyone say whether it took place
        or_(
            Appointment.created_by_id.is_(None),
            Appointment.created_by_id != Appointment.survivor_id,
        ),
    )
    count = (func.count(Appointment.id), func.count(Appointment.survivor_id.distinct()))
    # Two queries, so that each cell's count of different people is exact (not merged).
    marked = (
        select(Appointment.kind, Appointment.outcome, *count)
        .where(booked_by_team, Appointment.status != Status.CANCELLED)
        .group_by(Appointment.kind, Appointment.outcome)
    )
    cancelled = (
        select(Appointment.kind, *count)
        .where(booked_by_team, Appointment.status == Status.CANCELLED)
        .group_by(Appointment.kind)
    )
    buckets = {Outcome.ATTENDED: "kept", Outcome.MISSED: "missed", None: "unmarked"}
    results = [
        (Kind(k).value, buckets[Outcome(o) if o else None], c, p)
        for k, o, c, p in db.session.execute(marked)
    ]
    results += [(Kind(k).value, "cancelled", c, p) for k, c, p in db.session.execute(cancelled)]
    keys = [k.value for k in Kind]
    counts, people = _grid(keys, ["kept", "missed", "cancelled", "unmarked"], results)
    persons = people_in(ids, select(Appointment.survivor_id).where(booked_by_team))
    return Table(
        "appointments",
        _l("Appointments by kind"),
        _l(
            "Appointments the team booked that started in the period and are over. Kept and "
            "missed: as marked afterwards by the person or the team. Cancelled. Not marked: "
            "nobody has said yet whether it took place."
        ),
        [KIND_LABELS[k] for k in Kind],
        [_l("Kept"), _l("Missed"), _l("Cancelled"), _l("Not marked")],
        counts,
        people,
        row_totals=True,
        persons=persons,
    )


def circles_table(ids: Select, start: datetime, end: datetime) -> Table:
    present = and_(
        Attendance.user_id.in_(ids),
        Attendance.present.is_(True),
        _in(Attendance.occurrence, start, end),
    )
    sessions = (
        select(Circle.topic.label("topic"), Attendance.circle_id, Attendance.occurrence)
        .join(Circle, Circle.id == Attendance.circle_id)
        .where(present)
        .distinct()
        .subquery()
    )
    sessions_q = select(
        sessions.c.topic, literal_column("'sessions'"), func.count(), literal_column("0")
    ).group_by(sessions.c.topic)
    marks_q = (
        select(
            Circle.topic,
            literal_column("'attendance'"),
            func.count(Attendance.id),
            func.count(Attendance.user_id.distinct()),
        )
        .join(Circle, Circle.id == Attendance.circle_id)
        .where(present)
        .group_by(Circle.topic)
    )
    marks = db.session.execute(marks_q).all()
    people_by_topic = {t: p for t, _c, _n, p in marks}
    results = [
        (t, c, n, people_by_topic.get(t, 0)) for t, c, n, _p in db.session.execute(sessions_q)
    ]
    keys = list(TOPICS)
    counts, people = _grid(keys, ["sessions", "attendance"], results + marks)
    persons = people_in(
        ids,
        select(Attendance.user_id)
        .join(Circle, Circle.id == Attendance.circle_id)
        .where(present, Circle.topic.in_(keys)),
    )
    return Table(
        "circles",
        _l("Group sessions by topic"),
        _l(
            "Sessions in the period where someone counted here was marked present, and how "
            "many times people were marked present."
        ),
        [TOPICS[k] for k in keys],
        [_l("Sessions held"), _l("Attendance")],
        counts,
        people,
        persons=persons,
    )


def checkin_tables(ids: Select, start: datetime, end: datetime) -> list[Table]:
    in_period = and_(CheckIn.user_id.in_(ids), _in(CheckIn.answered_at, start, end))
    latest = (
        select(func.max(CheckIn.id).label("last"))
        .where(in_period, CheckIn.safe_at_home.is_not(None))
        .group_by(CheckIn.user_id)
        .subquery()
    )
    safe_q = (
        select(CheckIn.safe_at_home, literal_column("'n'"), func.count(), func.count())
        .join(latest, latest.c.last == CheckIn.id)
        .group_by(CheckIn.safe_at_home)
    )
    safe_counts, _p = _grid(list(SAFE_LABELS), ["n"], db.session.execute(safe_q))
    tables = [
        Table(
            "safe",
            _l("How safe people feel at home"),
            _l("Each person's latest answer in the period, from 1 (not safe) to 5."),
            list(SAFE_LABELS.values()),
            [_l("People")],
            safe_counts,
            persons=sum(r[0] for r in safe_counts),  # each person once, by their latest
        )
    ]
    for key, column, labels, title in (
        ("helped", CheckIn.helped, HELPED, _l("What helped most")),
        ("hindered", CheckIn.hindered, HINDERED, _l("What got in the way")),
    ):
        query = (
            select(
                column,
                literal_column("'n'"),
                func.count(CheckIn.user_id.distinct()),
                literal_column("0"),
            )
            .where(in_period, column.is_not(None))
            .group_by(column)
        )
        counts, _p = _grid(list(labels), ["n"], db.session.execute(query))
        persons = people_in(ids, select(CheckIn.user_id).where(in_period, column.is_not(None)))
        tables.append(
            Table(
                key,
                title,
                _l("How many people chose each answer in the period."),
                list(labels.values()),
                [_l("People")],
                counts,
                col_totals=False,
                persons=persons,
            )
        )
    return tables


@dataclass
class Report:
    period: Period
    scope: Scope
    active: Cell
    tables: list[Table]
    withheld: bool = False  # fewer than MIN_COUNTED counted people: nothing is shown


def build(scope: Scope, period: Period) -> Report:
    """The report. Every query runs whatever the numbers, withheld or not: the page costs the
    same for every scope (tests/test_query_counts.py)."""
    start, end = bounds(period)
    now = utcnow()
    ids = counted_ids(scope)
    withheld = suppression.report_withheld(count_of(ids))
    active = active_people(ids, start, end, now)
    tables = [
        goals_table(ids, start, end),
        housing_table(ids, start, end),
        work_table(ids, start, end),
        appointments_table(ids, start, end, now),
        circles_table(ids, start, end),
        *checkin_tables(ids, start, end),
    ]
    if withheld:
        return Report(period, scope, Cell(None, True), [], withheld=True)
    return Report(period, scope, shown_cell(active, suppression.suppress_single(active)), tables)


def hidden_text() -> str:
    return _("fewer than 11, or hidden")


def too_few_text() -> str:
    """Instead of a table with 1 to 10 people behind it (suppression.THRESHOLD)."""
    return _("Too few people to show.")


def withheld_text() -> str:
    """Instead of a report of fewer than suppression.MIN_COUNTED counted people."""
    return _(
        "Too few people are counted here to show a report: it needs at least %(n)s people "
        "who chose to be counted.",
        n=suppression.MIN_COUNTED,
    )


def rounding_note() -> str:
    """Said on the page and in the CSV: how to read every number (suppression.BASE, THRESHOLD)."""
    return _(
        "Numbers are rounded to the nearest 5 (11 and 12 show as 15), and numbers from 1 to 10 "
        "are hidden."
    )


def export_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    if report.withheld:
        writer.writerow([csv_cell(withheld_text())])
        return out.getvalue()
    writer.writerow([csv_cell(rounding_note())])  # first, where anyone opening the file reads
    writer.writerow([csv_cell(h) for h in (_("Table"), _("Row"), _("Column"), _("Number"))])
    hidden = hidden_text()

    def shown(cell: Cell) -> str:
        return hidden if cell.hidden else str(cell.value)

    writer.writerow(
        [csv_cell(v) for v in (_("Active people"), "", _("Total"), shown(report.active))]
    )
    for table in report.tables:
        if table.withheld:
            writer.writerow([csv_cell(v) for v in (table.title, "", "", too_few_text())])
            continue
        for label, cells, total in table.rows:
            for col, cell in zip(table.col_labels, cells, strict=True):
                writer.writerow([csv_cell(v) for v in (table.title, label, col, shown(cell))])
            if table.row_totals:
                writer.writerow(
                    [csv_cell(v) for v in (table.title, label, _("Total"), shown(total))]
                )
        if table.col_totals:
            cells, grand = table.totals
            for col, cell in zip(table.col_labels, cells, strict=True):
                writer.writerow([csv_cell(v) for v in (table.title, _("Total"), col, shown(cell))])
            if table.row_totals:
                writer.writerow(
                    [csv_cell(v) for v in (table.title, _("Total"), _("Total"), shown(grand))]
                )
    return out.getvalue()


# -- check-ins ---------------------------------------------------------------------------------

HISTORY_LIMIT = 24


def add_check_in(user: User, values: dict) -> CheckIn:
    row = CheckIn(
        user_id=user.id,
        safe_at_home=values["safe_at_home"],
        helped=values["helped"],
        hindered=values["hindered"],
        note=values["note"],
    )
    db.session.add(row)
    return row


def own_check_ins(user: User) -> list[CheckIn]:
    return list(
        db.session.scalars(
            select(CheckIn)
            .where(CheckIn.user_id == user.id)
            .order_by(CheckIn.answered_at.desc(), CheckIn.id.desc())
            .limit(HISTORY_LIMIT)
        )
    )


def last_check_in_at(user: User) -> datetime | None:
    return db.session.scalar(
        select(func.max(CheckIn.answered_at)).where(CheckIn.user_id == user.id)
    )


def get_owned_or_404(public_id: str, user: User) -> CheckIn:
    if not isinstance(public_id, str) or len(public_id) > 40:
        abort(404)
    row = db.session.scalar(
        select(CheckIn).where(CheckIn.public_id == public_id, CheckIn.user_id == user.id)
    )
    if row is None:
        abort(404)
    return row


@exporter("check_ins", label=_l("Check-ins"), order=80)
def export_check_ins(user: User) -> list[dict]:
    rows = db.session.scalars(
        select(CheckIn).where(CheckIn.user_id == user.id).order_by(CheckIn.answered_at)
    )
    return [
        {
            _l("Answered"): r.answered_at,
            _l("How safe at home (1 to 5)"): r.safe_at_home,
            _l("What helped most"): str(HELPED[r.helped]) if r.helped in HELPED else None,
            _l("What got in the way"): str(HINDERED[r.hindered])
            if r.hindered in HINDERED
            else None,
            _l("Anything else"): r.note,
        }
        for r in rows
    ]


@eraser("check_ins")
def erase_check_ins(user: User) -> None:
    db.session.execute(delete(CheckIn).where(CheckIn.user_id == user.id))
