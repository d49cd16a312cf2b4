"""Fixtures for goals: a survivor with a case worker, and helpers to post like the page does."""

from __future__ import annotations

import re

import pytest

from survivorapp.extensions import db
from survivorapp.people import caseload
from tests.factories import make_user


@pytest.fixture
def survivor(as_role):
    return as_role("survivor", pseudonym="Mai")


@pytest.fixture
def case_worker(as_role, survivor):
    """(client, staff) with the survivor on their caseload."""
    client, staff = as_role("staff", pseudonym="Sam")
    caseload.assign(staff, survivor[1])
    db.session.commit()
    return client, staff


@pytest.fixture
def other_survivor():
    return make_user("survivor", pseudonym="Olena")


def form_values(html: str) -> dict:
    """The values of text inputs and textareas on a page, by name (a browser drops the one
    line break that may follow a textarea's opening tag)."""
    values = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html):
        values.setdefault(name, value)
    textareas = r'<textarea[^>]*name="([^"]+)"[^>]*>(?:\r?\n)?([^<]*)</textarea>'
    for name, value in re.findall(textareas, html):
        values.setdefault(name, value)
    return values
