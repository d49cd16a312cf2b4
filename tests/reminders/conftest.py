"""Reminder fixtures: a local push service the app is allowed to send to, and devices
subscribed through the real subscription form."""

from __future__ import annotations

import pytest

from survivorapp.reminders import vapid
from tests.reminders.push_server import PushService


@pytest.fixture
def push(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUSH_SERVICES", "127.0.0.1")
    service = PushService(vapid.public_key())
    yield service
    service.close()


@pytest.fixture
def subscribe(push):
    """subscribe(client, "phone") turns reminders on for a device through the form."""

    def make(client, name: str = "phone", status: int = 201):
        endpoint, device = push.device(name)
        response = client.post_form(
            "/account/reminders/devices",
            {"endpoint": endpoint, "p256dh": device.p256dh, "auth": device.b64auth},
            page="/account/reminders",
        )
        assert response.status_code == status, response.get_data(as_text=True)
        return device

    return make
