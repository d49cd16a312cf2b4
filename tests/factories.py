"""Factory functions: every test builds the data it needs, nothing depends on demo data."""

from __future__ import annotations

import itertools

from survivorapp.accounts.models import User
from survivorapp.accounts.services import create_user
from survivorapp.extensions import db

_names = itertools.count(1)


def make_user(*roles: str, pseudonym: str | None = None, **fields) -> User:
    user = create_user(
        pseudonym or f"Person {next(_names)}", list(roles or ("survivor",)), **fields
    )
    db.session.commit()
    return user
