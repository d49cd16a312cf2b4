"""Local times to UTC: daylight-saving gaps refused, overlaps read as the first occurrence."""

import re
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from survivorapp.appointments.forms import RescheduleForm
from survivorapp.localtime import NonExistentTime, to_utc
from tests.helpers import next_last_sunday

LONDON = ZoneInfo("Europe/London")
# A day always within the form's window (not in the past, under five years ahead).
SOON = f"{date.today().year + 1}-05-01"


def test_spring_forward_gap_is_refused():
    # Last Sunday of March 2027: London clocks jump from 01:00 to 02:00.
    with pytest.raises(NonExistentTime):
        to_utc(date(2027, 3, 28), time(1, 30), LONDON)
    assert to_utc(date(2027, 3, 28), time(0, 59), LONDON) == datetime(
        2027, 3, 28, 0, 59, tzinfo=UTC
    )
    assert to_utc(date(2027, 3, 28), time(2, 0), LONDON) == datetime(2027, 3, 28, 1, 0, tzinfo=UTC)


def test_fall_back_overlap_reads_the_first_occurrence():
    # Last Sunday of October 2027: 01:30 happens twice (BST, then GMT). We take BST.
    assert to_utc(date(2027, 10, 31), time(1, 30), LONDON) == datetime(
        2027, 10, 31, 0, 30, tzinfo=UTC
    )
    assert to_utc(date(2027, 10, 31), time(2, 30), LONDON) == datetime(
        2027, 10, 31, 2, 30, tzinfo=UTC
    )


def test_bangkok_has_no_daylight_saving():
    assert to_utc(date(2027, 3, 28), time(1, 30), ZoneInfo("Asia/Bangkok")) == datetime(
        2027, 3, 27, 18, 30, tzinfo=UTC
    )


@pytest.fixture
def when(app):
    def read(**values) -> RescheduleForm:
        data = {"date": "", "start": "", "end": "", "timezone": "Europe/London", **values}
        with app.test_request_context("/", method="POST", data=data):
            form = RescheduleForm(zones=["Europe/London", "UTC"])
            form.validate()
        return form

    return read


def test_form_gap_error_names_the_time_and_the_zone(when):
    day = next_last_sunday(3).isoformat()
    form = when(date=day, start="01:30", end="02:30")
    assert re.search(
        r"1:30\WAM does not exist on that day in Europe/London", form.errors["start"][0]
    )


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"date": "9999-12-31", "start": "10:00", "end": "11:00"}, "date", "five years"),
        ({"date": "2020-01-01", "start": "10:00", "end": "11:00"}, "date", "last year"),
        ({"date": "2027-02-30", "start": "10:00", "end": "11:00"}, "date", "does not exist"),
        ({"date": "tomorrow", "start": "10:00", "end": "11:00"}, "date", "year-month-day"),
        ({"date": SOON, "start": "25:00", "end": "11:00"}, "start", "hours and minutes"),
        ({"date": SOON, "start": "10:00", "end": "09:00"}, "end", "after the start"),
        ({"date": SOON, "start": "10:00", "end": "10:00"}, "end", "after the start"),
        (
            {"date": SOON, "start": "10:00", "end": "11:00", "timezone": "Mars/Base"},
            "timezone",
            "time zone",
        ),
        (
            {"date": SOON, "start": "1", "end": "11:00", "timezone": "../../etc/passwd"},
            "timezone",
            "time zone",
        ),
    ],
)
def test_bad_dates_and_times_are_explained(when, values, field, message):
    form = when(**values)
    assert message in form.errors[field][0]
