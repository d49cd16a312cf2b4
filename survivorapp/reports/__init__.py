"""Outcome reports with small-cell suppression, and the survivor check-in (issue 12)."""
