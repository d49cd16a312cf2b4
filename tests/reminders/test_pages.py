"""Settings → Reminders: choices kept with errors, subscriptions refused unless from a push
service, devices turned off only by their owner, and what is coming up can be cancelled."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from survivorapp.extensions import db
from survivorapp.reminders import deliver, services
from survivorapp.reminders.models import PushSubscription
from tests.factories import make_appointment
from tests.reminders.push_server import Device


def test_the_page_offers_the_button_only_with_javascript_and_lists_devices(as_role, subscribe):
    client, _ = as_role("survivor")
    page = client.get("/account/reminders").get_data(as_text=True)
    assert 'id="reminders-device" hidden' in page and "js/reminders.js" in page
    assert "No device gets reminders yet." in page
    subscribe(client, "phone")
    page = client.get("/account/reminders").get_data(as_text=True)
    assert "Turned on" in page and "No device gets reminders yet." not in page


def test_bad_choices_come_back_with_errors_and_what_was_typed(as_role):
    client, _ = as_role("survivor")
    response = client.post_form(
        "/account/reminders",
        {"appointments": "y", "leads": ["60", "999"], "quiet_start": "25:00", "quiet_end": ""},
        page="/account/reminders",
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Choose from the list." in page and "Enter a time like 09:30." in page
    assert 'value="25:00"' in page


def test_choices_are_saved(as_role):
    client, _user = as_role("survivor")
    response = client.post_form(
        "/account/reminders",
        {"appointments": "y", "leads": ["1440"], "quiet_start": "22:00", "quiet_end": "07:00"},
        page="/account/reminders",
    )
    assert response.status_code == 303
    page = client.get("/account/reminders").get_data(as_text=True)
    assert 'value="22:00"' in page and 'value="07:00"' in page
    assert 'name="goals" type="checkbox" value="y">' in page or 'name="goals"' in page


def test_a_subscription_to_any_other_host_is_refused(as_role, push):
    client, _ = as_role("survivor")
    device = Device()
    for endpoint in (
        "https://internal.example.org/push/1",  # not a push service: the server must not call it
        "http://fcm.googleapis.com/push/1",  # not https
        "ftp://127.0.0.1/x",
    ):
        response = client.post_form(
            "/account/reminders/devices",
            {"endpoint": endpoint, "p256dh": device.p256dh, "auth": device.b64auth},
            page="/account/reminders",
        )
        assert response.status_code == 422
    bad_key = client.post_form(
        "/account/reminders/devices",
        {"endpoint": f"{push.origin}/push/x", "p256dh": "short", "auth": device.b64auth},
        page="/account/reminders",
    )
    assert bad_key.status_code == 422
    assert db.session.scalars(select(PushSubscription)).all() == []


def test_only_the_owner_can_turn_a_device_off(as_role, subscribe):
    owner, _ = as_role("survivor")
    subscribe(owner, "phone")
    row = db.session.scalars(select(PushSubscription)).one()
    other, _ = as_role("survivor")
    other.post_form(f"/account/reminders/devices/{row.public_id}/off", page="/account/reminders")
    assert db.session.scalars(select(PushSubscription)).all() != []
    owner.post_form(f"/account/reminders/devices/{row.public_id}/off", page="/account/reminders")
    assert db.session.scalars(select(PushSubscription)).all() == []


def test_what_is_coming_up_can_be_cancelled_and_restored(as_role, subscribe, push):
    client, user = as_role("survivor", timezone="UTC")
    subscribe(client, "phone")
    day = (datetime.now(UTC) + timedelta(days=3)).date()
    start = datetime.combine(day, time(12), tzinfo=UTC)
    make_appointment(user, start=start)
    page = client.get("/account/reminders/coming-up").get_data(as_text=True)
    assert page.count("Do not send this one") == 2
    keys = [d.key for d, _ in services.coming_up(user, datetime.now(UTC))]
    response = client.post_form(
        "/account/reminders/coming-up/cancel", {"key": keys[-1]}, page="/account/reminders"
    )
    assert response.status_code == 303
    assert "Send it after all" in client.get("/account/reminders/coming-up").get_data(as_text=True)
    assert deliver.run(start - timedelta(minutes=59)).sent == 0  # the 1-hour one: cancelled
    client.post_form(
        "/account/reminders/coming-up/restore", {"key": keys[-1]}, page="/account/reminders"
    )
    assert deliver.run(start - timedelta(minutes=58)).sent == 1


def test_signed_out_people_are_sent_to_sign_in(client):
    assert client.get("/account/reminders").status_code in (302, 303)
