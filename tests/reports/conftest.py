"""The period report tests ask for, and dates inside and around it (the builders are in
tests/factories.py)."""

from __future__ import annotations

from datetime import UTC, datetime

# Reports are asked for 2025-01 .. 2025-12; these dates fall inside, BEFORE and AFTER.
IN = datetime(2025, 6, 15, 12, 0, tzinfo=UTC)
BEFORE = datetime(2024, 11, 15, 12, 0, tzinfo=UTC)
AFTER = datetime(2026, 2, 15, 12, 0, tzinfo=UTC)
YEAR = {"from": "2025-01", "to": "2025-12"}
