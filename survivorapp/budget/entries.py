"""Money spent and money in: each entry a local calendar date, an amount in minor units and
the currency it was made in; and the CSV download of them all."""

from __future__ import annotations

import csv
import io
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..accounts.models import User
from ..csvsafe import csv_cell
from ..extensions import db
from . import money
from .categories import category_label, custom_categories
from .models import BudgetEntry, EntryKind
from .months import add_months

ENTRY_KINDS = {EntryKind.EXPENSE: _l("Spent"), EntryKind.INCOME: _l("Money in")}


def entries_query(user: User, first: date, end: date):
    return (
        select(BudgetEntry)
        .where(BudgetEntry.user_id == user.id, BudgetEntry.on_date >= first)
        .where(BudgetEntry.on_date < end)
        .order_by(BudgetEntry.on_date.desc(), BudgetEntry.id.desc())
    )


def entries_in_month(user: User, first: date) -> list[BudgetEntry]:
    return list(db.session.scalars(entries_query(user, first, add_months(first, 1))))


def add_entry(user: User, **values) -> BudgetEntry:
    entry = BudgetEntry(user_id=user.id, **values)
    db.session.add(entry)
    return entry


def change_entry(entry: BudgetEntry, *, category, amount_minor, on_date, note, **_kept) -> None:
    """An entry keeps its kind and its currency; the rest may change."""
    entry.category = category
    entry.amount_minor = amount_minor
    entry.on_date = on_date
    entry.note = note


def delete_entry(entry: BudgetEntry) -> None:
    db.session.delete(entry)


def export_csv(user: User) -> str:
    names = {c.public_id: c.name for c in custom_categories(user)}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            csv_cell(h)
            for h in (
                _l("Date"),
                _l("Type"),
                _l("Category"),
                _l("Amount"),
                _l("Currency"),
                _l("Note"),
            )
        ]
    )
    rows = db.session.scalars(
        select(BudgetEntry)
        .where(BudgetEntry.user_id == user.id)
        .order_by(BudgetEntry.on_date, BudgetEntry.id)
    )
    for e in rows:
        writer.writerow(
            [
                csv_cell(v)
                for v in (
                    e.on_date.isoformat(),
                    ENTRY_KINDS[e.kind],
                    category_label(e.category, names),
                    money.plain(e.amount_minor, e.currency),
                    e.currency,
                    e.note or "",
                )
            ]
        )
    return out.getvalue()
