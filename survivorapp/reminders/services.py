"""What the reminders pages do: save a person's choices, list what will arrive, cancel one."""

from __future__ import annotations

from datetime import datetime, timedelta

from ..accounts.models import User
from ..extensions import db
from . import claims, plan
from .forms import SettingsForm
from .models import ReminderSettings, State

COMING_UP = timedelta(days=14)


def form_for(user: User) -> SettingsForm:
    s = plan.settings_of(user)
    return SettingsForm(
        formdata=None,
        appointments=s.appointments,
        circles=s.circles,
        goals=s.goals,
        approvals=s.approvals,
        leads=[str(m) for m in plan.leads_of(s)],
        quiet_start=s.quiet_start,
        quiet_end=s.quiet_end,
    )


def save(user: User, form: SettingsForm) -> None:
    row = db.session.get(ReminderSettings, user.id)
    if row is None:
        row = ReminderSettings(user_id=user.id)
        db.session.add(row)
    row.appointments = form.appointments.data
    row.circles = form.circles.data
    row.goals = form.goals.data
    row.approvals = form.approvals.data
    row.leads = ",".join(sorted(form.leads.data or [], key=int, reverse=True))
    row.quiet_start, row.quiet_end = form.quiet_start.data, form.quiet_end.data


def coming_up(user: User, now: datetime) -> list[tuple[plan.Due, bool]]:
    """Each reminder due in the next two weeks, with whether the person cancelled it."""
    found = plan.due(user, now, now + COMING_UP)
    states = claims.states(user, [d.key for d in found])
    return [(d, states.get(d.key) == State.CANCELLED) for d in found]


def cancel(user: User, key: str, now: datetime) -> bool:
    """Cancel one of the reminders listed (any other key is refused)."""
    due = next((d for d in plan.due(user, now, now + COMING_UP) if d.key == key), None)
    return due is not None and claims.cancel(user, due, now)


def restore(user: User, key: str) -> bool:
    return claims.restore(user, key)
