"""Caseloads: which member of staff supports which survivor. Every staff query about a
survivor goes through these functions, so the rule lives in one place."""

from __future__ import annotations

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import lazyload

from ..extensions import db
from ..security import audit
from .models import CaseloadLink, Role, User, UserRole


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


def case_worker_of(survivor: User) -> User | None:
    # One query: the case worker's roles are read only if someone asks for them.
    return db.session.scalar(
        select(User)
        .join(CaseloadLink, CaseloadLink.staff_id == User.id)
        .where(CaseloadLink.survivor_id == survivor.id)
        .options(lazyload(User.role_rows))
    )


def on_caseload(staff_id: int, survivor_id: int) -> bool:
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    CaseloadLink.staff_id == staff_id, CaseloadLink.survivor_id == survivor_id
                )
            )
        )
    )


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


def unassigned_survivor_ids() -> Select:
    """The ids of survivors with no case worker: their shared items go to a queue all staff
    see. Two primary keys compared, so filtering by it stays cheap in a large organisation."""
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
