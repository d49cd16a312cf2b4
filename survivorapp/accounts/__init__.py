"""Accounts: users and roles; passkeys, enrolment and devices build on these."""
