"""The forms of accounts (the PIN, enrolment, passkeys, sessions) and of the People pages'
invitation. The WebAuthn steps are JSON, not forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField

from ..forms import (
    BooleanField,
    Choice,
    Form,
    MaxChars,
    Required,
    TextField,
    ValidationError,
    strip,
)
from . import codes

NICKNAME_MAX = 60
PSEUDONYM_MAX = 60
CODE_FAILURE = _l(
    "This code does not work. It may have been used already or be too old. "
    "Please ask for a new one."
)


def one_line(value):
    """Text with every run of spaces made one space, none around it."""
    return " ".join(value.split()) if isinstance(value, str) else value


class PinForm(Form):
    """The app PIN after the passkey. Whether it is right is for pin.check_pin to say: every
    answer, an empty one too, counts as a guess."""

    pin = PasswordField(_l("PIN"))

    def wrong(self) -> None:
        self.pin.errors = [_l("That PIN is not right. Please try again.")]


class SetPinForm(Form):
    pin = PasswordField(_l("New PIN"), filters=[strip], description=_l("4 to 12 digits."))
    confirm = PasswordField(_l("The same PIN again"))

    def validate_pin(self, field):
        value = field.data if isinstance(field.data, str) else ""
        if not (4 <= len(value) <= 12) or not value.isascii() or not value.isdigit():
            raise ValidationError(_l("Use 4 to 12 digits."))
        if self.confirm.data != value:
            raise ValidationError(_l("The two PINs are not the same."))


class _WorkingCode:
    """The code must still work (codes.find_code); the row found is kept on the form."""

    message = CODE_FAILURE

    def __call__(self, form, field):
        form.row = codes.find_code(field.data)
        if form.row is None:
            raise ValidationError(self.message)


class PasskeyAutofillForm(Form):
    """The box a browser offers its passkeys in (WebAuthn conditional mediation, passkey.js
    shows it where the browser can): the choice signs in at once, nothing is posted from it."""

    username = TextField(
        _l("Your passkey"),
        description=_l("Tap here and choose your passkey."),
        id="passkey-autofill",
    )


class EnrolCodeForm(Form):
    """The code typed or scanned (GET /enrol?code=...), or sent again with the sharing
    choices (POST /enrol/sharing)."""

    code = TextField(
        _l("Your code"),
        [_WorkingCode()],
        description=_l("The code you were given, for example ABCD-EFGH-JKMN."),
    )
    row = None

    @classmethod
    def refused(cls) -> EnrolCodeForm:
        """An empty code box that says the code sent did not work."""
        form = cls(formdata=None)
        form.code.errors = [CODE_FAILURE]
        return form


class RenamePasskeyForm(Form):
    nickname = TextField(
        _l("Name"),
        [
            Required(_l("Give this passkey a name, for example “My phone”.")),
            MaxChars(NICKNAME_MAX, _l("Use %(max)d characters or fewer.", max=NICKNAME_MAX)),
        ],
        filters=[one_line],
    )

    def for_passkey(self, public_id: str) -> RenamePasskeyForm:
        """One form per passkey on one page: each control gets an id of its own."""
        self.passkey_id = public_id
        self.nickname.id = self.nickname.label.field_id = f"nickname-{public_id}"
        return self


class EndOtherSessionsForm(Form):
    end_feed = BooleanField(
        _l("Also turn off my calendar address, so no calendar app gets my appointments any more")
    )


class InviteForm(Form):
    """A new account: a name the person chose, and a role the inviter may give
    (people/team.invitable_roles, set per request)."""

    pseudonym = TextField(
        _l("Name to use"),
        [
            Required(_l("Enter a name the person would like to be called.")),
            MaxChars(PSEUDONYM_MAX, _l("Use %(max)d characters or fewer.", max=PSEUDONYM_MAX)),
        ],
        filters=[one_line],
    )
    role = Choice(_l("Role"), invalid=_l("Choose what this person will do."))
