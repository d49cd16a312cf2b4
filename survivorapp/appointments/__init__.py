"""Appointments, reschedule requests and private calendar feeds."""
