"""Budget fixtures (the builders are in tests/factories.py)."""

from __future__ import annotations

import pytest


@pytest.fixture
def survivor(as_role):
    """(client, user) for a survivor in Madrid who reads English."""
    return as_role("survivor", timezone="Europe/Madrid")
