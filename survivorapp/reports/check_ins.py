"""Check-ins: a survivor answers, reads back and removes their own; the report counts the
answers of people who chose to be counted (checkin_tables), never their words."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, func, literal_column, select

from ..accounts.models import User
from ..extensions import db
from .forms import HELPED, HINDERED, SAFE_LABELS
from .models import CheckIn
from .scope import people_in, within
from .tables import Table, grid_of

HISTORY_LIMIT = 24


def add_check_in(user: User, answers: dict) -> CheckIn:
    """`answers`: CheckInForm.answers()."""
    row = CheckIn(
        user_id=user.id,
        safe_at_home=answers["safe_at_home"],
        helped=answers["helped"],
        hindered=answers["hindered"],
        note=answers["note"],
    )
    db.session.add(row)
    return row


def remove_check_in(row: CheckIn) -> None:
    db.session.delete(row)


def own_check_ins(user: User) -> list[CheckIn]:
    return list(
        db.session.scalars(
            select(CheckIn)
            .where(CheckIn.user_id == user.id)
            .order_by(CheckIn.answered_at.desc(), CheckIn.id.desc())
            .limit(HISTORY_LIMIT)
        )
    )


def owned_check_in(public_id: str, user: User) -> CheckIn | None:
    return db.session.scalar(
        select(CheckIn).where(CheckIn.public_id == public_id, CheckIn.user_id == user.id)
    )


def last_check_in_at(user: User) -> datetime | None:
    return db.session.scalar(
        select(func.max(CheckIn.answered_at)).where(CheckIn.user_id == user.id)
    )


# -- in the report ---------------------------------------------------------------------------


def checkin_tables(ids: Select, start: datetime, end: datetime) -> list[Table]:
    in_period = and_(CheckIn.user_id.in_(ids), within(CheckIn.answered_at, start, end))
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
    safe_counts, _p = grid_of(list(SAFE_LABELS), ["n"], db.session.execute(safe_q))
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
        counts, _p = grid_of(list(labels), ["n"], db.session.execute(query))
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
