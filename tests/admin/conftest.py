"""Fixtures for the admin workspace tests."""

from __future__ import annotations

import pytest

from tests.factories import make_user


@pytest.fixture
def admin_client(as_role):
    """(client signed in as an admin, that admin)."""
    return as_role("admin", pseudonym="Robin")


@pytest.fixture
def staff_pair():
    return make_user("staff", pseudonym="Sam"), make_user("staff", pseudonym="Alex")


def settings_form(**changes) -> dict:
    """A complete, valid settings form (the defaults), with some fields changed."""
    data = {
        "brand_name": "Daybook",
        "brand_icon": "notebook",
        "exit_url": "https://www.bbc.com/weather",
        "default_locale": "en",
        "languages": ["en", "es", "fr", "pt", "ar", "uk", "ro", "vi", "th", "tl"],
        "currency": "EUR",
        "timezone": "UTC",
        "session_idle_minutes": "20",
        "session_max_hours": "12",
        "enrolment_code_hours": "72",
        "retention_days": "365",
    }
    data.update(changes)
    return data
