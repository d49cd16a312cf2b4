"""Sample personal data for the generic privacy checks, contributed by every feature.

A feature adds a module `tests/<feature>/privacy_samples.py` (found automatically) with

    from tests.privacy.samples import sample_data

    @sample_data
    def goals(person) -> list[str]:
        make_goal(person, title="Sample goal text 7f3a")   # a builder from tests/factories.py
        return ["Sample goal text 7f3a"]                     # the plaintext it stored

Each builder stores personal data OF `person` and returns the plaintext strings it stored.
The privacy tests then check, for every table in db.metadata, that no raw column holds that
plaintext (encryption at rest), that the export carries it, and that deleting the account
leaves no row pointing at the person and no trace of the plaintext anywhere.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlalchemy import text

from survivorapp.extensions import db

_builders: list[Callable] = []


def sample_data(fn: Callable) -> Callable:
    if all(b.__module__ + b.__qualname__ != fn.__module__ + fn.__qualname__ for b in _builders):
        _builders.append(fn)
    return fn


def _discover() -> None:
    tests = Path(__file__).resolve().parent.parent
    for path in sorted(tests.glob("*/privacy_samples.py")):
        importlib.import_module(f"tests.{path.parent.name}.privacy_samples")


def builders() -> list[Callable]:
    _discover()
    return list(_builders)


def build_samples(person) -> list[str]:
    """Run every feature's builder for `person`; commit; return all plaintext stored."""
    markers: list[str] = [person.pseudonym]
    for build in builders():
        markers.extend(build(person))
        db.session.commit()
    return markers


def raw_values() -> Iterator[tuple[str, str, object]]:
    """(table, column, value) for every value of every table, as the driver returns it (no
    type decoding, so encrypted columns come back as ciphertext)."""
    db.session.commit()
    quote = db.engine.dialect.identifier_preparer.quote
    for table in db.metadata.sorted_tables:
        names = [c.name for c in table.columns]
        cols = ", ".join(quote(n) for n in names)
        for row in db.session.execute(text(f"SELECT {cols} FROM {quote(table.name)}")):
            for name, value in zip(names, row, strict=True):
                yield table.name, name, value


def contains(value, needle: str) -> bool:
    if value is None:
        return False
    if isinstance(value, bytes | bytearray | memoryview):
        return needle.encode() in bytes(value)
    return needle in str(value)


def plaintext_found(markers: list[str]) -> list[tuple[str, str, str]]:
    return [
        (table, column, marker)
        for table, column, value in raw_values()
        for marker in markers
        if contains(value, marker)
    ]


def rows_referencing_user(user_id: int) -> list[tuple[str, str, int]]:
    """Every (table, column, count) where a foreign key to user.id still holds user_id."""
    found = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            targets = {fk.column for fk in column.foreign_keys}
            is_user_pk = table.name == "user" and column.name == "id"
            if is_user_pk or any(t.table.name == "user" and t.name == "id" for t in targets):
                count = db.session.execute(
                    table.select().with_only_columns(column).where(column == user_id)
                ).all()
                if count:
                    found.append((table.name, column.name, len(count)))
    return found
