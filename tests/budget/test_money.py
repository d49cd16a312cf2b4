"""Money in integer minor units: parsing and formatting in the person's locale with Babel."""

from decimal import Decimal

import pytest
from flask_babel import force_locale

from survivorapp.budget import money
from survivorapp.budget.money import MAX_MINOR, MoneyError, parse_amount

NNBSP = "\u202f"
NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("text", "currency", "locale", "minor"),
    [
        ("1,234.56", "EUR", "en", 123456),
        ("1234.5", "EUR", "en", 123450),
        ("12", "EUR", "en", 1200),
        ("1.234,56", "EUR", "es", 123456),
        ("12,5", "EUR", "es", 1250),
        ("1.234", "EUR", "es", 123400),  # a group separator in Spanish, not a decimal point
        (f"1{NNBSP}234,56", "EUR", "fr", 123456),
        ("1 234,56", "EUR", "fr", 123456),  # a plain space typed on a phone
        (f"1{NBSP}234,56", "EUR", "fr", 123456),
        (
            "\u0661\u0662\u0663\u066b\u0664\u0665",
            "EUR",
            "ar",
            12345,
        ),  # Arabic-Indic digits and the Arabic decimal separator
        ("\u0661\u066c\u0662\u0663\u0664", "EUR", "ar", 123400),
        ("\u06f1\u06f2\u06f3", "EUR", "ar", 12300),  # Eastern Arabic (Persian) digits
        ("\u0e51\u0e52\u0e53", "EUR", "th", 12300),  # Thai digits
        ("\uff11\uff12", "EUR", "en", 1200),  # full-width digits
        ("1,234", "JPY", "en", 1234),  # JPY has no minor unit
        ("1.234", "BHD", "en", 1234),  # BHD has three decimals
        ("0.005", "BHD", "en", 5),
        ("12.50", "EUR", "en", 1250),
        ("12.500", "EUR", "en", 1250),  # trailing zeros lose nothing
        ("  7  ", "EUR", "en", 700),
        (".5", "EUR", "en", 50),
        (",50", "EUR", "es", 50),
        ("12 \u20ac", "EUR", "es", 1200),
        ("\u20ac12.30", "EUR", "en", 1230),
        ("12 EUR", "EUR", "en", 1200),
        ("\u00a5500", "JPY", "en", 500),
    ],
)
def test_amounts_are_parsed_in_the_persons_locale(app, text, currency, locale, minor):
    assert parse_amount(text, currency, locale) == minor
    assert isinstance(parse_amount(text, currency, locale), int)


@pytest.mark.parametrize(
    ("text", "currency", "locale", "message"),
    [
        ("", "EUR", "en", "Enter an amount"),
        ("-5", "EUR", "en", "without a minus sign"),
        ("\u22125", "EUR", "en", "without a minus sign"),
        ("0", "EUR", "en", "more than zero"),
        ("0,00", "EUR", "es", "more than zero"),
        ("abc", "EUR", "en", "numbers only"),
        ("1e9", "EUR", "en", "numbers only"),
        ("NaN", "EUR", "en", "numbers only"),
        ("Infinity", "EUR", "en", "numbers only"),
        ("+5", "EUR", "en", "numbers only"),
        ("=1+1", "EUR", "en", "numbers only"),
        ("12 $", "EUR", "en", "numbers only"),
        ("\u20ac", "EUR", "en", "numbers only"),
        ("-\u20ac5", "EUR", "en", "without a minus sign"),
        ("\u20ac -5", "EUR", "en", "without a minus sign"),
        ("12.345", "EUR", "en", "too many digits"),
        ("12.5", "JPY", "en", "too many digits"),
        ("1.2345", "BHD", "en", "too many digits"),
        ("1,5", "EUR", "en", "Write the amount like this: 1,234.56"),
        ("1.5", "EUR", "es", "Write the amount like this: 1.234,56"),
        ("1000000000000", "EUR", "en", "too large"),
        ("9" * 41, "EUR", "en", "too large"),
    ],
)
def test_bad_amounts_are_refused_with_a_clear_message(app, text, currency, locale, message):
    with app.test_request_context(), force_locale("en"):
        with pytest.raises(MoneyError) as caught:
            parse_amount(text, currency, locale)
        assert message in str(caught.value.message)


def test_the_cap_is_inclusive_and_documented(app):
    assert parse_amount("1,000,000,000", "EUR", "en") == MAX_MINOR
    with pytest.raises(MoneyError):
        parse_amount("1,000,000,000.01", "EUR", "en")


def test_zero_is_allowed_where_it_means_something(app):
    assert parse_amount("0", "EUR", "en", allow_zero=True) == 0


@pytest.mark.parametrize(("currency", "places"), [("JPY", 0), ("EUR", 2), ("BHD", 3)])
def test_minor_unit_exponents_come_from_babel(currency, places):
    assert money.exponent(currency) == places
    assert money.to_decimal(123456, currency) == Decimal(123456).scaleb(-places)
    assert money.to_minor(money.to_decimal(123456, currency), currency) == 123456


def test_currency_codes_are_checked():
    assert money.valid_currency("EUR")
    assert money.valid_currency("JPY")
    for bad in ("", "eur", "EURO", "ZZZ", "E1R", None):
        assert not money.valid_currency(bad), bad


@pytest.mark.parametrize(
    ("locale", "minor", "currency", "shown"),
    [
        ("en", 123456, "EUR", "€1,234.56"),
        ("es", 123456, "EUR", f"1.234,56{NBSP}€"),
        ("fr", 123456, "EUR", f"1{NNBSP}234,56{NBSP}€"),
        ("en", 1234, "JPY", "¥1,234"),
        ("en", 1234567, "BHD", "BHD1,234.567"),
        ("en", 5, "EUR", "€0.05"),
    ],
)
def test_amounts_are_shown_with_babel(app, locale, minor, currency, shown):
    with app.test_request_context(), force_locale(locale):
        assert money.money(minor, currency) == shown


@pytest.mark.parametrize(
    ("locale", "currency"),
    [("en", "EUR"), ("es", "EUR"), ("fr", "EUR"), ("ar", "EUR"), ("en", "JPY"), ("fr", "BHD")],
)
@pytest.mark.parametrize("minor", [1, 99, 100, 123456, 100000000])
def test_what_a_form_shows_reads_back_the_same(app, locale, currency, minor):
    with app.test_request_context(), force_locale(locale):
        assert parse_amount(money.for_input(minor, currency), currency, locale) == minor


def test_files_get_plain_amounts():
    assert money.plain(123456, "EUR") == "1234.56"
    assert money.plain(1234, "JPY") == "1234"
    assert money.plain(1234, "BHD") == "1.234"
    assert money.plain(-5, "EUR") == "-0.05"
