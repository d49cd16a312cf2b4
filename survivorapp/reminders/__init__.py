"""Reminders: Web Push notifications that say only "You have something at 10:00"."""
