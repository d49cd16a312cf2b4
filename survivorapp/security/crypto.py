"""Field encryption at rest: MultiFernet over SURVIVORAPP_ENCRYPTION_KEYS (first key encrypts)."""

from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app


def split_keys(keys: str) -> list[str]:
    return [k.strip() for k in keys.split(",") if k.strip()]


@lru_cache(maxsize=4)
def _fernet(keys: str) -> MultiFernet:
    return MultiFernet([Fernet(k) for k in split_keys(keys)])


def fernet() -> MultiFernet:
    return _fernet(current_app.config["ENCRYPTION_KEYS"])


def encrypt(text: str) -> bytes:
    return fernet().encrypt(text.encode("utf-8"))


def decrypt(token: bytes) -> str:
    return fernet().decrypt(token).decode("utf-8")


def encrypted_columns():
    """Every (model, column) stored with EncryptedText, across all features."""
    from ..database import EncryptedText
    from ..extensions import db

    for mapper in db.Model.registry.mappers:
        for column in mapper.columns:
            if isinstance(column.type, EncryptedText):
                yield mapper.class_, column


def _stored_values():
    """(table, primary key columns, column, rows of (*pk, v)) for every encrypted column."""
    from sqlalchemy import LargeBinary, select, type_coerce

    from ..extensions import db

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
    from sqlalchemy import LargeBinary, type_coerce, update

    from ..extensions import db

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
            db.session.commit()
    return count
