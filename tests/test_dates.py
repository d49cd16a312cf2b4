"""Moments (history, access log, sessions, passkeys) read to the minute in every language."""

from datetime import UTC, datetime

import pytest
from flask_babel import force_locale

from survivorapp.i18n import clock, to_the_minute

MOMENT = datetime(2026, 11, 27, 7, 47, 57, tzinfo=UTC)


@pytest.mark.parametrize("lang", ["en", "ar", "es", "th", "vi", "uk"])
def test_a_moment_has_a_date_and_a_minute_but_no_seconds(app, lang):
    with app.test_request_context(), force_locale(lang):
        text = to_the_minute(MOMENT)
    assert "2026" in text and ":47" in text and ":57" not in text


def test_the_viewers_language_joins_date_and_time(app):
    with app.test_request_context():
        with force_locale("en"):
            english = to_the_minute(MOMENT)
        with force_locale("vi"):
            vietnamese = to_the_minute(MOMENT)
    assert english.index("2026") < english.index(":47")  # date, then time
    assert vietnamese.index(":47") < vietnamese.index("2026")  # time, then date


@pytest.mark.parametrize("lang", ["ar", "th"])
def test_a_time_of_day_never_breaks_across_lines(app, lang):
    """ "10:00 ص" with an ordinary space could leave "ص" alone on the next line."""
    with app.test_request_context(), force_locale(lang):
        for text in (clock(MOMENT), to_the_minute(MOMENT).rsplit("2026", 1)[-1]):
            assert "\u00a0" in text and " " not in text.strip(" ،,")
