"""Reminders' sample personal data: one device's subscription (its endpoint and keys are
encrypted at rest, exported, and gone with the account)."""

from __future__ import annotations

from survivorapp.reminders import subscriptions
from tests.privacy.samples import sample_data
from tests.reminders.push_server import Device


@sample_data
def reminders(person) -> list[str]:
    device = Device()
    endpoint = "https://fcm.googleapis.com/fcm/send/sample-device-9c2e"
    subscriptions.subscribe(
        person,
        endpoint=endpoint,
        p256dh=device.p256dh,
        auth=device.b64auth,
        passkey_id=None,
        device="Android · Chrome",
    )
    return [endpoint]
