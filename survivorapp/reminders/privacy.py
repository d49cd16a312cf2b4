"""What reminders give a person who asks for everything the app holds about them.

Deletion needs no eraser: every reminders table points at user.id with ON DELETE CASCADE."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..accounts.models import User
from ..privacy.registry import exporter
from . import plan, subscriptions


@exporter("reminder_devices", label=_l("Devices that get reminders"), order=45)
def export_devices(user: User) -> list[dict]:
    return [
        {
            _l("Device"): d.device or None,
            _l("Turned on"): d.created_at.isoformat(),
            _l("Last reminder sent"): d.last_sent_at.isoformat() if d.last_sent_at else None,
            _l("Push address"): d.endpoint,
        }
        for d in subscriptions.devices(user)
    ]


@exporter("reminder_choices", label=_l("Reminder choices"), order=46)
def export_choices(user: User) -> list[dict]:
    s = plan.settings_of(user)
    return [
        {
            _l("Appointments"): s.appointments,
            _l("Group sessions"): s.circles,
            _l("Goals planned for this month"): s.goals,
            _l("Minutes before"): plan.leads_of(s),
            _l("Quiet from"): s.quiet_start.strftime("%H:%M") if s.quiet_start else None,
            _l("Quiet until"): s.quiet_end.strftime("%H:%M") if s.quiet_end else None,
        }
    ]
