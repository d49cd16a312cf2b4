"""CSV cells that a spreadsheet will not run: shared by every feature that exports CSV."""

from __future__ import annotations

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """OWASP: a cell that a spreadsheet could read as a formula is prefixed with a quote."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text
