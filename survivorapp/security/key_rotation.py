"""Key rotation: how stored values stand against the keys in use, and re-encryption under
the first key (`flask --app wsgi rotate-keys`)."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app
from sqlalchemy import LargeBinary, select, type_coerce, update

from ..database import EncryptedText
from ..extensions import db
from .crypto import fernet, split_keys


def encrypted_columns():
    """Every (model, column) stored with EncryptedText, across all features."""
    for mapper in db.Model.registry.mappers:
        for column in mapper.columns:
            if isinstance(column.type, EncryptedText):
                yield mapper.class_, column


def _stored_values():
    """(table, primary key columns, column, rows of (*pk, v)) for every encrypted column."""
    for _model, column in encrypted_columns():
        pk = list(column.table.primary_key.columns)
        raw = type_coerce(column, LargeBinary)
        rows = db.session.execute(select(*pk, raw.label("v")).where(column.isnot(None))).all()
        yield column.table, pk, column, rows


def key_census() -> dict[str, int]:
    """How the stored values stand against the keys in use: how many the first key reads,
    how many only a later key reads (rotation moves those), how many no key reads."""
    keys = split_keys(current_app.config["ENCRYPTION_KEYS"])
    first, every = Fernet(keys[0]), fernet()
    counts = {"first": 0, "older": 0, "unreadable": 0}
    for _table, _pk, _column, rows in _stored_values():
        for row in rows:
            token = bytes(row.v)
            try:
                first.decrypt(token)
                counts["first"] += 1
            except InvalidToken:
                try:
                    every.decrypt(token)
                    counts["older"] += 1
                except InvalidToken:
                    counts["unreadable"] += 1
    return counts


def reencrypt_all(batch: int = 500) -> int:
    """Re-encrypt every encrypted value under the first key (MultiFernet.rotate). The app may
    keep running meanwhile: a value is replaced only if it is still the one read, so an edit
    made in between (already under the first key) is never overwritten with the old text."""
    f = fernet()
    count = 0
    for table, pk, column, rows in _stored_values():
        for start in range(0, len(rows), batch):
            for row in rows[start : start + batch]:
                token = f.rotate(bytes(row.v))
                where = [c == getattr(row, c.key) for c in pk]
                unchanged = type_coerce(column, LargeBinary) == type_coerce(
                    bytes(row.v), LargeBinary
                )
                result = db.session.execute(
                    update(table)
                    .where(*where, unchanged)
                    .values({column.key: type_coerce(token, LargeBinary)})
                )
                count += result.rowcount
            db.session.commit()  # a command, not a request: each batch is kept as it goes
    return count
