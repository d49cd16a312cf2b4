"""Who is counted in a report, and the period's bounds in the organisation's time zone.

Who is counted: survivors in scope (the organisation for an admin, the caseload for staff)
who chose to be counted (consent area COUNTED, reports/privacy.py). Whether an account is
turned off (User.disabled_at) plays no part, for any period: what a person did still happened,
and an admin could otherwise turn an account off and on and compare two reports to read that
person's cells (issue 21). The choice to be counted does: taken back, the person leaves every
period at once (their right, and made by them, not by whoever reads the report). A deleted
account's rows are gone. Staff scope is the caseload as it is today.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, func, select, union_all

from ..accounts.models import Role, UserRole
from ..database import utcnow
from ..extensions import db
from ..localtime import zone
from ..people import caseload
from ..privacy import consent
from ..settings import org_setting
from .forms import Period
from .privacy import COUNTED


@dataclass(frozen=True)
class Scope:
    staff_id: int | None  # None: the whole organisation

    @property
    def organisation(self) -> bool:
        return self.staff_id is None


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


def org_zone() -> ZoneInfo:
    """The organisation's time zone: reports' months begin at midnight there."""
    return zone(str(org_setting("DEFAULT_TIMEZONE")))


def org_today() -> date:
    return utcnow().astimezone(org_zone()).date()


def bounds(period: Period) -> tuple[datetime, datetime]:
    """[start, end) of the period in UTC; months begin at midnight in the organisation's zone."""
    here = org_zone()
    start = datetime.combine(period.first, time(0), here).astimezone(UTC)
    end = datetime.combine(period.end, time(0), here).astimezone(UTC)
    return start, end


def within(column, start: datetime, end: datetime):
    """start <= column < end."""
    return and_(column >= start, column < end)
