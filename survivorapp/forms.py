"""The pieces every feature's forms are made of: WTForms, with our own translated words.

A feature's `forms.py` declares one `Form` subclass per form, with its rules as validators. A
view does `form = XForm()`, `if form.validate_on_submit(): services.do(form.data...)`, and
renders one template that draws the form with `templates/macros/forms.html`. What the person
typed is kept by WTForms (`raw_data`), so a form shown again loses nothing.

Every message a person can see is one of ours, from the catalogue: the fields below replace
WTForms' built-in English ("Not a valid choice") and `tests/test_forms.py` checks that every
validator of every form carries its own message.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, time
from functools import cache

import wtforms
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from .database import is_public_id
from .localtime import ZONE_MAX, zone_names

__all__ = [
    "BooleanField",
    "Checkboxes",
    "Choice",
    "ClockField",
    "DayField",
    "Form",
    "HiddenField",
    "MaxChars",
    "MonthField",
    "Optional",
    "PublicIdField",
    "Radios",
    "Required",
    "TextAreaField",
    "TextField",
    "TimeZoneField",
    "ValidationError",
    "WholeNumberField",
    "options",
    "parse_month",
    "strip",
]


class Form(FlaskForm):
    """The base of every form. CSRF is checked for every state change by CSRFProtect before
    any view runs (htmx sends the token in a header), so a form holds no token field of its
    own; templates keep the hidden `csrf_token` input for requests without JavaScript."""

    class Meta:
        csrf = False
        locales = False  # no WTForms catalogue: every message here is ours


def strip(value):
    """Text as typed, without the spaces around it; a value that is not text becomes ""."""
    return value.strip() if isinstance(value, str) else value


class Required:
    """A value must be given. A value typed that could not be read keeps its own error ("Enter
    a date like ...") rather than this one. No `required` attribute in the markup: the
    browser would answer first, in its own words and language."""

    field_flags: dict = {}

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        if field.process_errors:
            raise StopValidation()
        if field.data is None or field.data is False or field.data in ("", []):
            raise StopValidation(self.message)


def MaxChars(limit: int, message):
    """At most `limit` characters. No `maxlength` in the markup: a browser would cut what is
    typed short without a word, where the form explains the limit and keeps everything."""
    validator = Length(max=limit, message=message)
    validator.field_flags = {}
    return validator


class _AsTyped:
    """`data` is stripped; the box shows again what was typed, spaces too, up to `shown_max`
    characters (a pasted page is not sent back whole). `free_text` tells the macros to give
    the box dir="auto"."""

    free_text = True

    def __init__(self, label=None, validators=None, *, shown_max: int = 10_000, **kwargs):
        kwargs.setdefault("filters", [strip])
        super().__init__(label, validators, **kwargs)
        self.shown_max = shown_max

    def _value(self):
        return self.raw_data[0][: self.shown_max] if self.raw_data else super()._value()


class TextField(_AsTyped, StringField):
    """One line of text."""


class TextAreaField(_AsTyped, wtforms.TextAreaField):
    """Free text on several lines."""


class _ParsedField(StringField):
    """A text box whose value is parsed into `data`; what was typed is shown again as typed.
    Empty means None; text that does not parse gives `invalid` as the field's error."""

    invalid = None

    def __init__(self, label=None, validators=None, *, invalid=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        if invalid is not None:
            self.invalid = invalid

    def parse(self, text: str):
        raise NotImplementedError

    def process_formdata(self, valuelist):
        text = strip(valuelist[0]) if valuelist else ""
        if not text:
            self.data = None
            return
        self.data = self.parse(text) if len(text) <= 100 else None
        if self.data is None:
            raise ValueError(str(self.invalid))

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else self.format(self.data)

    def format(self, value) -> str:
        return str(value)


def parse_month(text: str) -> date | None:
    """'2027-03' -> date(2027, 3, 1); None when it is not a month."""
    year, _, month = text.partition("-")
    if len(year) != 4 or len(month) != 2 or not (year + month).isdigit():
        return None
    try:
        return date(int(year), int(month), 1)
    except ValueError:
        return None


class MonthField(_ParsedField):
    invalid = _l("Enter a month like 2027-03.")

    def parse(self, text):
        return parse_month(text)

    def format(self, value):
        return value.strftime("%Y-%m")


class DayField(_ParsedField):
    """A date as a browser's date input sends it (2027-03-14)."""

    invalid = _l("Enter a date like 2027-03-14.")

    def parse(self, text):
        if len(text) != 10:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None


class ClockField(_ParsedField):
    """A time of day as a browser's time input sends it (09:30, or 09:30:00)."""

    invalid = _l("Enter a time like 09:30.")

    def parse(self, text):
        parts = text.split(":")
        if len(parts) not in (2, 3) or not all(p.isdigit() and len(p) <= 2 for p in parts):
            return None
        try:
            return time(*(int(p) for p in parts[:2]))
        except ValueError:
            return None

    def format(self, value):
        return value.strftime("%H:%M")


class WholeNumberField(_ParsedField):
    invalid = _l("Enter a whole number.")

    def parse(self, text):
        return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None


@cache
def _zone_lookup() -> dict[str, str]:
    return {name.casefold(): name for name in zone_names()}


def zone_name(typed: str | None) -> str | None:
    """The IANA name for a typed zone in any letter case, or None if there is none."""
    if not isinstance(typed, str) or len(typed) > ZONE_MAX:
        return None
    return _zone_lookup().get(typed.strip().casefold())


class TimeZoneField(_ParsedField):
    invalid = _l(
        "We do not know that time zone. Use the form Region/City, for example Asia/Bangkok."
    )

    def parse(self, text):
        return zone_name(text)


class PublicIdField(HiddenField):
    """The public id of a row, as a form sends it; anything not shaped like one is None, so
    only well-formed ids reach the database. Which row it names, and whether this person may
    use it, is for the feature's access module to say."""

    def process_formdata(self, valuelist):
        value = valuelist[0] if valuelist else None
        self.data = value if is_public_id(value) else None


def options(choices) -> list[SelectChoice]:
    """Options from a {value: label} mapping or (value, label) pairs, in their order."""
    pairs = choices.items() if isinstance(choices, Mapping) else choices
    return [SelectChoice(value, label) for value, label in pairs]


class _Choosing:
    """Choice validation with our own message instead of WTForms' English. `choices` may be a
    {value: label} mapping; a view that knows them only per request sets
    `form.x.choices = options(...)`."""

    def __init__(self, label=None, validators=None, *, invalid, choices=(), **kwargs):
        super().__init__(label, validators, choices=options(choices), **kwargs)
        self.invalid = invalid

    def pre_validate(self, form):
        try:
            super().pre_validate(form)
        except (ValidationError, ValueError) as error:
            raise ValidationError(str(self.invalid)) from error

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(str(self.invalid)) from error


class Choice(_Choosing, SelectField):
    """A select list. `choices` are (value, label) pairs, set on the class or per request."""


class Radios(_Choosing, RadioField):
    """One of a few options, each shown as a radio button."""


class Checkboxes(_Choosing, SelectMultipleField):
    """Any of a few options, each shown as a check box."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
