"""Calendar files and the private feed: neutral by default, revocable, valid iCalendar."""

import re
from datetime import UTC, datetime

from sqlalchemy import select

from survivorapp.appointments.models import CalendarFeed, Kind, Status
from survivorapp.extensions import db
from survivorapp.ics import event_uid
from tests.factories import make_appointment, make_user
from tests.helpers import next_date, sign_in

KEY = re.compile(r'value="(http://localhost/calendar/feed\.ics\?key=([A-Za-z0-9_-]+))"')


def _new_address(client) -> str:
    response = client.post_form("/calendar/address", page="/calendar")
    assert response.status_code == 200
    match = KEY.search(response.get_data(as_text=True))
    assert match, "the new address is shown once"
    return match.group(2)


def _feed(client, key: str):
    return client.get(f"/calendar/feed.ics?key={key}")


def _assert_valid_ics(body: str) -> None:
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert body.endswith("END:VCALENDAR\r\n")
    assert "\n" not in body.replace("\r\n", "")  # every line ends in CRLF
    for line in body.split("\r\n"):
        assert len(line.encode()) <= 75
    assert body.count("BEGIN:VEVENT") == body.count("END:VEVENT")


def _setup(team):
    day = next_date(7, 1)
    start = datetime(day.year, 7, 1, 20, 0, tzinfo=UTC)
    appointment = make_appointment(
        team.survivor,
        by=team.staff,
        start=start,
        kind=Kind.LEGAL_AID,
        place="Elm Street 4",
        note="Bring the letter",
    )
    return appointment, start


def test_feed_is_neutral_by_default_with_utc_times(team, client):
    appointment, start = _setup(team)
    make_appointment(team.survivor, by=team.staff, status=Status.CANCELLED)
    other = make_appointment(team.staff, by=team.staff)  # someone else's: never in this feed
    key = _new_address(team.survivor_client)
    response = _feed(client, key)  # no session: calendar apps have none
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_data(as_text=True)
    _assert_valid_ics(body)
    assert body.count("BEGIN:VEVENT") == 1
    assert f"UID:{event_uid('appointment', appointment.public_id)}\r\n" in body
    assert appointment.public_id not in body  # it is in the app's addresses: see test_calendar_uids
    assert other.public_id not in body
    assert f"DTSTART:{start:%Y%m%d}T200000Z\r\n" in body
    assert f"DTEND:{start:%Y%m%d}T210000Z\r\n" in body
    assert "SUMMARY:Meeting\r\n" in body
    body = body.replace("PRODID:-//Daybook//Calendar//EN", "")  # the brand, checked below
    for secret in (
        "Legal",
        "legal",
        "Elm",
        "letter",
        "LOCATION",
        "DESCRIPTION",
        "Daybook",
        "Mai",
        "Sam",
        "X-WR-CALNAME",
    ):
        assert secret not in body, secret


def test_feed_title_and_opt_ins(team, client):
    _setup(team)
    key = _new_address(team.survivor_client)
    response = team.survivor_client.post_form(
        "/calendar",
        {
            "title": "Coffee",
            "show_kind": "1",
            "show_place": "1",
            "show_note": "1",
            "show_organisation": "1",
        },
        page="/calendar",
    )
    assert response.status_code == 303
    body = _feed(client, key).get_data(as_text=True)
    _assert_valid_ics(body)
    assert "SUMMARY:Coffee: Legal aid\r\n" in body
    assert "LOCATION:Elm Street 4\r\n" in body
    assert "Bring the letter" in body
    assert "X-WR-CALNAME:Daybook" in body


def test_only_the_chosen_details_appear(team, client):
    _setup(team)
    key = _new_address(team.survivor_client)
    team.survivor_client.post_form(
        "/calendar", {"title": "Tea", "show_place": "1"}, page="/calendar"
    )
    body = _feed(client, key).get_data(as_text=True)
    assert "SUMMARY:Tea\r\n" in body
    assert "LOCATION:Elm Street 4\r\n" in body
    assert "letter" not in body and "Legal" not in body


def test_bad_feed_title_is_explained_and_kept(team):
    response = team.survivor_client.post_form(
        "/calendar", {"title": "t" * 500, "show_kind": "1"}, page="/calendar"
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Keep the title under 60 characters." in html
    assert "t" * 500 in html
    assert db.session.get(CalendarFeed, team.survivor.id) is None


def test_only_a_hash_of_the_token_is_stored(team):
    key = _new_address(team.survivor_client)
    feed = db.session.get(CalendarFeed, team.survivor.id)
    assert len(key) >= 43
    assert feed.token_hash != key and key not in feed.token_hash
    assert len(feed.token_hash) == 64
    # The calendar page never shows the address again.
    assert key not in team.survivor_client.get("/calendar").get_data(as_text=True)


def test_rotated_and_revoked_addresses_answer_404(team, client):
    _setup(team)
    first = _new_address(team.survivor_client)
    assert _feed(client, first).status_code == 200
    second = _new_address(team.survivor_client)
    assert first != second
    assert _feed(client, first).status_code == 404
    assert _feed(client, second).status_code == 200
    response = team.survivor_client.post_form("/calendar/address/revoke", page="/calendar")
    assert response.status_code == 303
    assert _feed(client, second).status_code == 404
    assert db.session.scalars(select(CalendarFeed)).one().token_hash is None


def test_missing_or_odd_keys_answer_404(client, team):
    _new_address(team.survivor_client)
    for query in ("", "?key=", "?key=abc", "?key=" + "x" * 5000, "?key=%00", "?key=a&key=b"):
        assert client.get(f"/calendar/feed.ics{query}").status_code == 404, query


def test_download_one_appointment_with_a_neutral_file_name(team):
    appointment, start = _setup(team)
    response = team.survivor_client.get(f"/appointments/{appointment.public_id}/event.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.headers["Content-Disposition"] == 'attachment; filename="event.ics"'
    body = response.get_data(as_text=True)
    _assert_valid_ics(body)
    assert "SUMMARY:Meeting\r\n" in body
    assert f"DTSTART:{start:%Y%m%d}T200000Z" in body
    assert "Elm" not in body and "letter" not in body


def test_staff_download_has_kind_and_place_but_no_name_or_note(team):
    appointment, _ = _setup(team)
    response = team.staff_client.get(f"/appointments/{appointment.public_id}/event.ics")
    body = response.get_data(as_text=True)
    assert "SUMMARY:Meeting: Legal aid" in body
    assert "LOCATION:Elm Street 4" in body
    assert "Mai" not in body and "letter" not in body


def test_a_moved_appointment_updates_the_feed(team, client):
    appointment, start = _setup(team)
    key = _new_address(team.survivor_client)
    url = f"/appointments/{appointment.public_id}"
    team.survivor_client.post_form(
        f"{url}/move",
        {
            "date": start.date().isoformat(),
            "start": "09:00",
            "end": "10:00",
            "timezone": "Asia/Bangkok",
        },
        page=url,
    )
    req = appointment.requests[0]
    team.staff_client.post_form(
        f"/appointments/requests/{req.public_id}",
        {"decision": "accept"},
        page="/appointments/requests",
    )
    body = _feed(client, key).get_data(as_text=True)
    assert f"DTSTART:{start:%Y%m%d}T020000Z" in body  # 09:00 in Bangkok
    assert "SEQUENCE:" in body


def test_locking_the_account_stops_the_feed_and_a_new_address_works(team, client):
    """A taken phone's calendar app must stop receiving at once, whoever locks the account."""
    _setup(team)
    by_staff = _new_address(team.survivor_client)
    page = f"/people/{team.survivor.public_id}"
    assert team.staff_client.post_form(f"{page}/lock", page=page).status_code in (200, 303)
    assert _feed(client, by_staff).status_code == 404

    sign_in(team.survivor_client, team.survivor)  # re-enrolled in person
    assert "No address is active." in team.survivor_client.get("/calendar").get_data(as_text=True)
    by_self = _new_address(team.survivor_client)
    assert _feed(client, by_self).status_code == 200
    assert team.survivor_client.post_form("/account/lock", page="/account/lock").status_code < 400
    assert _feed(client, by_self).status_code == 404
    assert _new_address(team.survivor_client) != by_self  # the device kept can make a new one


def test_a_turned_off_account_has_no_feed(team, client, app):
    _setup(team)
    key = _new_address(team.survivor_client)
    admin = make_user("admin")
    admin_client = app.test_client()
    sign_in(admin_client, admin)
    page = f"/admin/people/{team.survivor.public_id}"
    assert admin_client.post_form(f"{page}/disable", page=page).status_code == 303
    assert _feed(client, key).status_code == 404
