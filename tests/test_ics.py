"""The iCalendar writer: escaping, folding, UTC and zoned times, recurrence exceptions."""

from datetime import UTC, datetime

from survivorapp.ics import Event, calendar

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
