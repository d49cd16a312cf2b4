"""The report's indicators: one SQL aggregate query or a few per table (no row about a
person is loaded into Python).

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
- Check-ins (check_ins.py): each person's latest answer in the period (safety at home), and
  how many people chose each answer (what helped, what got in the way). Free text is never
  read there.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, case, func, literal_column, or_, select, union_all

from ..appointments.labels import KIND_LABELS
from ..appointments.models import Appointment, Kind, Outcome, Status
from ..circles.forms import TOPICS
from ..circles.models import Attendance, Circle
from ..extensions import db
from ..goals.forms import AREAS
from ..goals.models import Area, EventKind, Goal, GoalEvent, Step
from .models import CheckIn
from .scope import people_in, within
from .tables import Table, grid_of

HOUSING_PATHWAY = "housing-phases"
TRAINING_PATHWAY = "stackable-training"
HOUSING_STAGES = {
    0: _l("On the pathway, no stage reached yet"),
    1: _l("Emergency"),
    2: _l("Transitional"),
    3: _l("Supported"),
    4: _l("Independent living"),
}


def active_people(ids: Select, start: datetime, end: datetime, now: datetime) -> int:
    sources = union_all(
        select(Goal.owner_id.label("uid")).where(within(Goal.created_at, start, end)),
        select(Goal.owner_id)
        .join(GoalEvent, GoalEvent.goal_id == Goal.id)
        .where(GoalEvent.actor_id == Goal.owner_id, within(GoalEvent.at, start, end)),
        select(Goal.owner_id)
        .join(Step, Step.goal_id == Goal.id)
        .where(within(Step.done_at, start, end)),
        select(Appointment.survivor_id).where(
            within(Appointment.starts_at, start, min(end, now)),
            Appointment.status != Status.CANCELLED,
            Appointment.outcome == Outcome.ATTENDED,
        ),
        select(Attendance.user_id).where(
            Attendance.present.is_(True), within(Attendance.occurrence, start, end)
        ),
        select(CheckIn.user_id).where(within(CheckIn.answered_at, start, end)),
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
        .where(owner_in, within(Goal.created_at, start, end))
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
            GoalEvent.kind == EventKind.APPROVED,
            within(GoalEvent.at, start, end),
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
        .where(owner_in, within(Goal.achieved_at, start, end))
        .group_by(Goal.area)
    )
    results = [*db.session.execute(set_q), *db.session.execute(approved_q)]
    results += db.session.execute(achieved_q).all()
    keys = list(AREAS)
    counts, people = grid_of(keys, cols, results)
    persons = people_in(
        ids,
        select(Goal.owner_id).where(within(Goal.created_at, start, end)),
        select(Goal.owner_id)
        .join(GoalEvent, GoalEvent.goal_id == Goal.id)
        .where(GoalEvent.kind == EventKind.APPROVED, within(GoalEvent.at, start, end)),
        select(Goal.owner_id).where(within(Goal.achieved_at, start, end)),
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
            within(Step.done_at, start, end),
        )
        .group_by(Step.position)
    )
    results = [*db.session.execute(at_stage), *db.session.execute(moves)]
    keys = list(HOUSING_STAGES)
    counts, people = grid_of(keys, ["at", "moves"], results)
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
            within(Step.done_at, start, end),
        )
        .group_by(Step.position)
    )
    achieved = select(
        literal_column("'work_goals'"),
        literal_column("'n'"),
        func.count(Goal.id),
        func.count(Goal.owner_id.distinct()),
    ).where(Goal.owner_id.in_(ids), Goal.area == Area.WORK, within(Goal.achieved_at, start, end))
    results = [
        ("certificate" if pos == 5 else "modules", "n", c, p)
        for pos, c, p in db.session.execute(steps)
    ]
    results += db.session.execute(achieved).all()
    keys = ["modules", "certificate", "work_goals"]
    counts, people = grid_of(keys, ["n"], results)
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
        within(Appointment.starts_at, start, end),
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
    counts, people = grid_of(keys, ["kept", "missed", "cancelled", "unmarked"], results)
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
        within(Attendance.occurrence, start, end),
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
    counts, people = grid_of(keys, ["sessions", "attendance"], results + marks)
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
