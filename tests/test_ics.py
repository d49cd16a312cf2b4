"""The iCalendar writer: escaping, folding, UTC and zoned times, recurrence exceptions."""

import re
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import icalendar
import pytest
from dateutil.rrule import rrulestr

from survivorapp import ics
from survivorapp.circles import hosting, occurrences
from survivorapp.ics import Event, calendar
from tests.factories import make_circle, make_user

# calendar() names the organisation's brand, a setting read through the app (the `app` fixture).


def test_event_in_utc_with_escaping(app):
    text = calendar(
        [
            Event(
                uid="a@daybook",
                start=datetime(2026, 3, 1, 9, tzinfo=UTC),
                end=datetime(2026, 3, 1, 10, tzinfo=UTC),
                summary="Meeting; room, 2",
                stamp=datetime(2026, 1, 1, tzinfo=UTC),
            )
        ]
    )
    assert "DTSTART:20260301T090000Z\r\n" in text
    assert "SUMMARY:Meeting\\; room\\, 2\r\n" in text
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")


def test_zoned_recurring_event_keeps_local_time_and_exceptions(app):
    start = datetime(2026, 3, 24, 17, tzinfo=UTC)  # 18:00 in Madrid before DST
    text = calendar(
        [
            Event(
                uid="c@daybook",
                start=start,
                end=start.replace(hour=18),
                summary="Group",
                tzid="Europe/Madrid",
                rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
                exdates=[datetime(2026, 4, 7, 16, tzinfo=UTC)],
            )
        ]
    )
    assert "DTSTART;TZID=Europe/Madrid:20260324T180000" in text
    assert "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU" in text
    assert "EXDATE;TZID=Europe/Madrid:20260407T180000" in text  # 16:00Z is 18:00 in summer


def test_long_lines_are_folded_at_75_octets(app):
    text = calendar(
        [
            Event(
                uid="b",
                start=datetime(2026, 1, 1, tzinfo=UTC),
                end=datetime(2026, 1, 1, 1, tzinfo=UTC),
                summary="ü" * 100,
            )
        ]
    )
    for line in text.split("\r\n"):
        assert len(line.encode()) <= 75
    unfolded = text.replace("\r\n ", "")
    assert "SUMMARY:" + "ü" * 100 in unfolded


# --- VTIMEZONE (RFC 5545 3.2.19): every TZID used is defined in the file itself --------------


def zoned_export(tzid: str) -> tuple[str, list[datetime]]:
    """A fortnightly circle over 50 weeks (so through a daylight-saving change wherever there is
    one), one session cancelled and one moved: its .ics and the instants of its sessions."""
    circle = make_circle(make_user("mentor"), tzid=tzid, repeat="fortnightly", count=26)
    first, second = occurrences.upcoming(circle)[:2]
    hosting.cancel_session(circle, first, None)
    hosting.move_session(circle, second, second.start + timedelta(days=1), None)
    found = occurrences.sessions(
        circle, first.key - timedelta(days=1), first.key + timedelta(days=400)
    )
    return occurrences.ics(circle, title="Meeting", place=None), [s.start for s in found]


def vtimezones(text: str) -> dict:
    return {str(tz["TZID"]): tz for tz in icalendar.Calendar.from_ical(text).walk("VTIMEZONE")}


def test_a_zoned_calendar_defines_its_zone_through_daylight_saving_changes(app):
    text, starts = zoned_export("Europe/Madrid")
    zone = ZoneInfo("Europe/Madrid")
    assert len({s.astimezone(zone).utcoffset() for s in starts}) == 2  # it spans a change
    assert list(vtimezones(text)) == ["Europe/Madrid"]
    used = set(re.findall(r";TZID=([^:;]+)", text.replace("\r\n ", "")))
    assert used == {"Europe/Madrid"}  # DTSTART, DTEND, EXDATE and RECURRENCE-ID all say so
    assert text.index("BEGIN:VTIMEZONE") < text.index("BEGIN:VEVENT")
    # Read back as a reader that does not know the IANA name would: only from the file.
    defined = vtimezones(text)["Europe/Madrid"].to_tz(lookup_tzid=False)
    for start in starts:
        assert start.astimezone(defined).utcoffset() == start.astimezone(zone).utcoffset()


def test_a_zone_without_changes_has_one_component(app):
    text, starts = zoned_export("Asia/Bangkok")
    assert len(starts) == 26
    timezone = vtimezones(text)["Asia/Bangkok"]
    assert [c.name for c in timezone.subcomponents] == ["STANDARD"]
    assert timezone.subcomponents[0]["TZOFFSETTO"].td == timedelta(hours=7)


def test_a_utc_calendar_needs_no_vtimezone(app):
    moment = datetime(2026, 3, 1, 9, tzinfo=UTC)
    text = calendar([Event(uid="u", start=moment, end=moment, summary="Meeting")])
    assert "VTIMEZONE" not in text


def test_the_zone_is_defined_until_the_last_session_of_a_long_rule(app):
    madrid = ZoneInfo("Europe/Madrid")
    start = datetime(2026, 6, 2, 18, tzinfo=madrid)
    rule = "FREQ=MONTHLY;BYDAY=1TU;COUNT=60"  # five years of first Tuesdays
    event = ics.Event("u1", start, start + timedelta(hours=1), "Meeting", tzid="Europe/Madrid")
    event.rrule = rule
    defined = vtimezones(ics.calendar([event]))["Europe/Madrid"].to_tz(lookup_tzid=False)
    sessions = list(rrulestr(rule, dtstart=start))
    assert sessions[-1].year == 2031
    for session in sessions:
        assert session.astimezone(defined).utcoffset() == session.utcoffset()


@pytest.mark.parametrize(
    "tzid", ["Europe/Madrid", "America/Santiago", "Australia/Lord_Howe", "Europe/Dublin"]
)
def test_each_change_is_defined_at_its_instant(app, tzid):
    """Read back from the file alone, the zone changes when zoneinfo's does, four times in
    two years, to the same offsets (Lord Howe moves half an hour; Dublin's winter is its
    "daylight saving"). Readers differ on the hour a change happens in, so that hour is left
    to them."""
    zone = ZoneInfo(tzid)
    first = datetime(2026, 1, 1, tzinfo=UTC)
    defined = ics.vtimezone(tzid, first, first + timedelta(days=730)).to_tz(lookup_tzid=False)
    # From the second day: calendar() defines a zone from a day before its first event.
    hours = [first + timedelta(hours=h) for h in range(24, 729 * 24)]

    def changes(tz) -> list[datetime]:
        return [
            b
            for a, b in pairwise(hours)
            if a.astimezone(tz).utcoffset() != b.astimezone(tz).utcoffset()
        ]

    expected, found = changes(zone), changes(defined)
    assert len(expected) == len(found) == 4
    for want, got in zip(expected, found, strict=True):
        assert abs(want - got) <= timedelta(hours=1)
        for moment in (want - timedelta(hours=2), want + timedelta(hours=2)):
            assert moment.astimezone(defined).utcoffset() == moment.astimezone(zone).utcoffset()
