"""Money done right: integer minor units plus an ISO 4217 code. Never a float.

Amounts are typed in the person's locale ("1.234,56" in Spanish, "1 234,56" in French,
digits in Arabic-Indic or Persian forms), parsed with Babel into a Decimal, checked against the
currency's minor-unit exponent (Babel's CLDR data: JPY 0, EUR 2, BHD 3) and stored as an int.

MAX_MINOR is the sanity cap for one amount (an entry, a plan line, a savings target): one
hundred billion minor units. That is €1,000,000,000.00, ¥100,000,000,000 or
100,000,000,000 VND (about four million US dollars) - more than any household amount in any
currency we support, yet it rejects a stray run of digits, and a million such amounts still
sum inside a signed 64-bit integer (BigInteger on PostgreSQL, INTEGER on SQLite).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from babel.numbers import (
    NumberFormatError,
    format_decimal,
    get_currency_precision,
    get_currency_symbol,
    get_decimal_symbol,
    get_group_symbol,
    is_currency,
    parse_decimal,
)
from flask_babel import format_currency, get_locale
from flask_babel import lazy_gettext as _l

MAX_MINOR = 100_000_000_000

# The Arabic decimal and thousands separators; digits of any script are handled in normalise().
_ARABIC_DECIMAL = "\u066b"
_ARABIC_GROUP = "\u066c"
_SPACES = re.compile(r"[\s\u00a0\u2007\u2009\u202f]")
_MINUS = ("-", "\u2212", "\u2012", "\u2013", "\u2014", "\ufe63", "\uff0d")


class MoneyError(ValueError):
    """An amount that cannot be accepted; `message` is translated and safe to show."""

    def __init__(self, message):
        super().__init__("amount refused")
        self.message = message


def valid_currency(code: str | None) -> bool:
    return bool(code) and bool(re.fullmatch(r"[A-Z]{3}", code)) and is_currency(code)


def exponent(currency: str) -> int:
    """How many digits after the decimal point the currency has (JPY 0, EUR 2, BHD 3)."""
    return get_currency_precision(currency)


def to_decimal(minor: int, currency: str) -> Decimal:
    return Decimal(int(minor)).scaleb(-exponent(currency))


def to_minor(amount: Decimal, currency: str) -> int:
    """A Decimal in major units to an int of minor units; refuses anything that would round."""
    scaled = amount.scaleb(exponent(currency))
    if scaled != scaled.to_integral_value():
        raise MoneyError(_l("That amount has too many digits after the decimal point."))
    return int(scaled)


def normalise(text: str, locale) -> str:
    """Digits of any script (Arabic-Indic, Persian, Thai, full-width...) to ASCII, the Arabic
    separators and spaces to the locale's own symbols."""
    text = "".join(
        str(unicodedata.decimal(ch)) if ch.isdecimal() and not ch.isascii() else ch
        for ch in text.strip()
    )
    text = text.replace(_ARABIC_DECIMAL, get_decimal_symbol(locale))
    text = text.replace(_ARABIC_GROUP, get_group_symbol(locale))
    group = get_group_symbol(locale)
    if _SPACES.fullmatch(group):
        text = _SPACES.sub(group, text)
    return text


def parse_amount(text: str | None, currency: str, locale=None, *, allow_zero: bool = False) -> int:
    """Parse what a person typed into minor units, or raise MoneyError with a clear message."""
    locale = locale or get_locale()
    raw = (text or "").strip()
    if not raw:
        raise MoneyError(_l("Enter an amount."))
    if len(raw) > 40:
        raise MoneyError(_l("That amount is too large."))
    # A currency sign or code typed with the amount ("12 €", "€12", "12 EUR") is fine.
    for sign in {get_currency_symbol(currency, locale=locale), currency}:
        raw = raw.replace(sign, "").strip()
    if raw.startswith(_MINUS):
        raise MoneyError(_l("Enter the amount without a minus sign."))
    cleaned = normalise(raw, locale)
    if cleaned.startswith(get_decimal_symbol(locale)):
        cleaned = "0" + cleaned  # ",50" or ".5"
    allowed = set("0123456789") | {get_decimal_symbol(locale), get_group_symbol(locale)}
    if not cleaned or any(ch not in allowed for ch in cleaned) or not cleaned[0].isdigit():
        raise MoneyError(
            _l(
                "Enter the amount in numbers only, for example %(example)s.",
                example=example(currency, locale),
            )
        )
    try:
        value = parse_decimal_strict(cleaned, locale)
    except (NumberFormatError, InvalidOperation):
        raise MoneyError(
            _l("Write the amount like this: %(example)s.", example=example(currency, locale))
        ) from None
    if not value.is_finite():
        raise MoneyError(_l("We could not read that amount."))
    minor = to_minor(value, currency)
    if minor == 0 and not allow_zero:
        raise MoneyError(_l("Enter an amount more than zero."))
    if minor > MAX_MINOR:
        raise MoneyError(_l("That amount is too large."))
    return minor


def parse_decimal_strict(text: str, locale) -> Decimal:
    return parse_decimal(text, locale=locale, strict=True)


def example(currency: str, locale=None) -> str:
    """How an amount is written here, e.g. "1,234.56" or "1.234,56" or "1 234"."""
    locale = locale or get_locale()
    places = exponent(currency)
    value = Decimal("1234.56").quantize(Decimal(1).scaleb(-places)) if places else Decimal(1234)
    if places == 3:
        value = Decimal("1234.567")
    return format_decimal(value, locale=locale, decimal_quantization=False)


def for_input(minor: int | None, currency: str, locale=None) -> str:
    """An amount written back into a form field, in the person's locale, no currency sign."""
    if minor is None:
        return ""
    locale = locale or get_locale()
    places = exponent(currency)
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(to_decimal(minor, currency), format=pattern, locale=locale)


def plain(minor: int, currency: str) -> str:
    """A locale-free amount for files (CSV): digits, a dot, an optional leading minus."""
    places = exponent(currency)
    return f"{to_decimal(minor, currency):.{places}f}"


def money(minor: int | None, currency: str) -> str:
    """An amount shown to the person: Babel's currency format in their locale."""
    if minor is None:
        return ""
    return format_currency(to_decimal(minor, currency), currency)


# Offered as a list beside the currency box (any ISO 4217 code may be typed).
COMMON_CURRENCIES = [
    "EUR",
    "USD",
    "GBP",
    "CHF",
    "PLN",
    "RON",
    "UAH",
    "CZK",
    "HUF",
    "SEK",
    "NOK",
    "DKK",
    "BGN",
    "TRY",
    "MAD",
    "NGN",
    "GHS",
    "KES",
    "THB",
    "VND",
    "PHP",
    "IDR",
    "INR",
    "CNY",
    "JPY",
    "BHD",
    "AED",
    "SAR",
    "EGP",
    "BRL",
    "MXN",
    "COP",
    "PEN",
    "ARS",
]
