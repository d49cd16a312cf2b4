"""The forms of reminders: what to be reminded of, and this device's subscription (sent by
reminders.js from the browser's Push API, or typed by nobody: it is checked like any form)."""

from __future__ import annotations

import base64
import binascii

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField

from ..forms import Checkboxes, ClockField, Form, Required, ValidationError
from .plan import LEAD_CHOICES
from .vapid import allowed_endpoint

FAILED = _l("This device could not turn reminders on.")
LEAD_LABELS = {
    10080: _l("1 week before"),
    2880: _l("2 days before"),
    1440: _l("1 day before"),
    180: _l("3 hours before"),
    120: _l("2 hours before"),
    60: _l("1 hour before"),
    30: _l("30 minutes before"),
    15: _l("15 minutes before"),
}
assert set(LEAD_LABELS) == set(LEAD_CHOICES)


class SettingsForm(Form):
    appointments = BooleanField(_l("Appointments"))
    circles = BooleanField(_l("Group sessions you joined, and changes to them"))
    goals = BooleanField(_l("Goals planned for this month"))
    approvals = BooleanField(_l("Goals waiting for your decision (once a day)"))
    leads = Checkboxes(
        _l("When to remind you of appointments and sessions"),
        invalid=_l("Choose from the list."),
        choices=[(str(m), label) for m, label in LEAD_LABELS.items()],
    )
    quiet_start = ClockField(
        _l("Quiet from"),
        description=_l("Nothing arrives in the quiet hours. Leave both empty for none."),
    )
    quiet_end = ClockField(_l("Quiet until"))

    def validate_quiet_end(self, field):
        if (field.data is None) != (self.quiet_start.data is None):
            raise ValidationError(_l("Give both times, or leave both empty."))


def _key(size: int):
    """A base64url key of `size` bytes, as PushSubscription.getKey() gives it."""

    def check(form, field):
        text = field.data or ""
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        except (binascii.Error, ValueError):
            raw = b""
        if len(text) > 200 or len(raw) != size:
            raise ValidationError(FAILED)

    check.message = FAILED  # the one message shown, in the person's language
    return check


def _push_service(form, field):
    if len(field.data or "") > 1000 or not allowed_endpoint(field.data or ""):
        raise ValidationError(FAILED)


_push_service.message = FAILED


class SubscribeForm(Form):
    endpoint = HiddenField(validators=[Required(FAILED), _push_service])
    p256dh = HiddenField(validators=[Required(FAILED), _key(65)])
    auth = HiddenField(validators=[Required(FAILED), _key(16)])
