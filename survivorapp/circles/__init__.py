"""Peer circles: recurring schedules that mentors post and survivors join."""
