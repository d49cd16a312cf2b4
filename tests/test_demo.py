"""Demo data: `flask demo` builds a small organisation once."""

from sqlalchemy import func, select

from survivorapp.accounts.models import Role, User
from survivorapp.extensions import db


def count(role):
    return sum(1 for u in db.session.scalars(select(User)) if u.has_role(role))


def test_demo_builds_an_organisation_once(runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert count(Role.ADMIN) == 1
    assert count(Role.STAFF) == 2
    assert count(Role.MENTOR) == 1
    assert count(Role.SURVIVOR) >= 3
    # Not a debug app on localhost here: no sign-in shortcut links are printed.
    assert "/dev/sign-in/" not in result.output
    total = db.session.scalar(select(func.count()).select_from(User))
    again = runner.invoke(args=["demo"])
    assert "already" in again.output
    assert db.session.scalar(select(func.count()).select_from(User)) == total
