"""Caseloads: which member of staff supports which survivor. This is the one place that reads
or writes CaseloadLink (tests/test_access_rules.py fails if another module does), so the rule
for "which survivors may this member of staff work with" is written once:

- A member of staff works with the survivors on their own caseload: `caseload_ids(staff_id)`.
- The shared-list exception: a survivor with no case worker is on the team's shared list, and
  what they share for review (goals waiting for approval, and the records they let staff open)
  is open to every member of staff, so that nothing waits unseen: `caseload_ids(staff_id,
  shared_list=True)`. Once a case worker is assigned, only that person sees them. Booking,
  money summaries and reports are never on the shared list: they need a case worker.
- Turned-off accounts stay linked (their history still counts in reports) but leave the lists
  of people to work with (`caseload_query`).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, delete, exists, func, or_, select
from sqlalchemy.orm import lazyload

from ..accounts.models import CaseloadLink, Role, User, UserRole
from ..extensions import db
from ..security import audit


def assign(staff: User, survivor: User, *, actor: User | None = None) -> CaseloadLink:
    if not staff.has_role(Role.STAFF):
        raise ValueError("only staff can hold a caseload")
    if not survivor.has_role(Role.SURVIVOR):
        raise ValueError("only survivors are on a caseload")
    link = db.session.get(CaseloadLink, survivor.id)
    if link is None:
        link = CaseloadLink(survivor_id=survivor.id, staff_id=staff.id)
        db.session.add(link)
    else:
        link.staff_id = staff.id
    audit.record(
        "caseload_assigned",
        actor=actor,
        subject=survivor,
        admin_action=audit.by_admin(actor, survivor),
        staff=staff.public_id,
    )
    return link


def unassign(survivor: User, *, actor: User | None = None) -> None:
    link = db.session.get(CaseloadLink, survivor.id)
    if link is not None:
        db.session.delete(link)
        audit.record(
            "caseload_unassigned",
            actor=actor,
            subject=survivor,
            admin_action=audit.by_admin(actor, survivor),
        )


def release_all(staff: User, *, actor: User | None = None) -> None:
    """Someone who is no longer staff holds no caseload: their survivors go back to the
    shared list, each with an audit entry."""
    for survivor in db.session.scalars(caseload_query(staff.id)):
        unassign(survivor, actor=actor)
    db.session.execute(delete(CaseloadLink).where(CaseloadLink.staff_id == staff.id))


def forget(user: User) -> None:
    """Every link to or from a person whose account is erased."""
    db.session.execute(
        delete(CaseloadLink).where(
            or_(CaseloadLink.survivor_id == user.id, CaseloadLink.staff_id == user.id)
        )
    )


def link_of(survivor: User) -> CaseloadLink | None:
    return db.session.get(CaseloadLink, survivor.id)


def case_worker_of(survivor: User) -> User | None:
    # One query: the case worker's roles are read only if someone asks for them.
    return db.session.scalar(
        select(User)
        .join(CaseloadLink, CaseloadLink.staff_id == User.id)
        .where(CaseloadLink.survivor_id == survivor.id)
        .options(lazyload(User.role_rows))
    )


def case_worker_id(survivor_id: int) -> int | None:
    return db.session.scalar(
        select(CaseloadLink.staff_id).where(CaseloadLink.survivor_id == survivor_id)
    )


def caseload_ids(staff_id: int, *, shared_list: bool = False) -> Select:
    """The ids of the survivors this member of staff works with, as a subquery; with
    `shared_list`, also those with no case worker (see the module docstring)."""
    mine = select(CaseloadLink.survivor_id).where(CaseloadLink.staff_id == staff_id)
    return mine.union(unassigned_survivor_ids()) if shared_list else mine


def works_with(staff_id: int, survivor_column, *, shared_list: bool = False) -> ColumnElement:
    """A WHERE clause: the survivor in `survivor_column` is one this member of staff works
    with. Correlated EXISTS, so it stays cheap on a large organisation."""
    mine = exists().where(
        CaseloadLink.survivor_id == survivor_column, CaseloadLink.staff_id == staff_id
    )
    return or_(mine, survivor_column.in_(unassigned_survivor_ids())) if shared_list else mine


def on_caseload(staff_id: int, survivor_id: int, *, shared_list: bool = False) -> bool:
    worker = case_worker_id(survivor_id)
    return worker == staff_id or (shared_list and worker is None)


def caseload_query(staff_id: int) -> Select:
    """Survivors on a member of staff's caseload, as a query to filter or page."""
    return (
        select(User)
        .join(CaseloadLink, CaseloadLink.survivor_id == User.id)
        .where(CaseloadLink.staff_id == staff_id, User.disabled_at.is_(None))
        .order_by(User.id)
    )


def caseload_size(staff_id: int) -> int:
    return db.session.scalar(
        caseload_query(staff_id).with_only_columns(func.count()).order_by(None)
    )


def sizes() -> dict[int, int]:
    """How many active survivors each member of staff supports, by staff id."""
    rows = db.session.execute(
        select(CaseloadLink.staff_id, func.count())
        .join(User, User.id == CaseloadLink.survivor_id)
        .where(User.disabled_at.is_(None))
        .group_by(CaseloadLink.staff_id)
    )
    return dict(rows.all())


def unassigned_survivor_ids() -> Select:
    """The ids of survivors with no case worker: the shared list. Two primary keys compared,
    so filtering by it stays cheap in a large organisation."""
    return select(UserRole.user_id).where(
        UserRole.role == Role.SURVIVOR,
        ~exists().where(CaseloadLink.survivor_id == UserRole.user_id),
    )


def unassigned_survivors_query() -> Select:
    """Survivors with no case worker, as people (for lists)."""
    return (
        select(User)
        .where(User.id.in_(unassigned_survivor_ids()), User.disabled_at.is_(None))
        .order_by(User.id)
    )
