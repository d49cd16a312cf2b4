"""Encryption at rest, checked on the raw tables: every table, every column, every feature's
sample data (see samples.py)."""

from __future__ import annotations

from survivorapp.extensions import db
from tests.factories import make_user
from tests.privacy.samples import build_samples, plaintext_found


def test_raw_tables_hold_no_plaintext(app):
    person = make_user("survivor", pseudonym="Plaintext Pseudonym 51c2")
    markers = build_samples(person)
    assert len(markers) >= 2
    assert plaintext_found(markers) == []


def test_the_scan_would_find_plaintext(app):
    """The check can fail: a value stored unencrypted is found."""
    person = make_user("survivor")
    from survivorapp.security import audit

    audit.record("probe", subject=person, note="Visible Words 9e1")
    db.session.commit()
    assert plaintext_found(["Visible Words 9e1"]) == [
        ("audit_event", "detail", "Visible Words 9e1")
    ]
