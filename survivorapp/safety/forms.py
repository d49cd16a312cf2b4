"""The safety forms: the cover screen's calculator, and what this device opens on (the start
screen)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..forms import Form, Radios, TextField
from .services import START_COVER

START_SIGN_IN = "sign-in"


class StartScreenForm(Form):
    """Anything but the cover screen means the sign-in page: a choice about a device is never
    refused (a page left open for long must still be able to save it)."""

    start = Radios(
        _l("Open the app on"),
        choices={START_SIGN_IN: _l("The sign-in page"), START_COVER: _l("A calculator")},
        invalid=_l("Choose one of the two options."),
    )

    @property
    def cover(self) -> bool:
        return self.start.data == START_COVER


class CalculatorForm(Form):
    """The cover screen's one box, sent as `x` by a GET form: nothing in it is refused or kept
    (the view works out what was typed, services.calculate)."""

    x = TextField(_l("Calculation"), id="calc-input")
