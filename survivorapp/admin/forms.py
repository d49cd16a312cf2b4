"""The admin forms: organisation settings, a person's roles, the people filter, caseload
assignment. Every rule is a validator with our own translated message."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import urlsplit

from babel.numbers import list_currencies
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from wtforms.fields.choices import SelectChoice

from ..accounts.labels import ROLE_LABELS
from ..forms import (
    Checkboxes,
    Choice,
    Form,
    HiddenField,
    MaxChars,
    PublicIdField,
    Radios,
    TextField,
    ValidationError,
)
from ..i18n import LANGUAGE_NAMES
from ..localtime import valid_zone
from ..safety.words import giveaways
from ..settings import default

ICON_LABELS = {
    "notebook": _l("Notebook"),
    "calendar": _l("Calendar"),
    "leaf": _l("Leaf"),
    "sun": _l("Sun"),
    "calculator": _l("Calculator"),
}
MAX_FIELD = 500  # anything longer is cut before it is shown again


@lru_cache(maxsize=1)
def currencies() -> frozenset[str]:
    return frozenset(list_currencies())


def clean_text(value):
    """Trim, and drop control characters (newlines, NUL…) that have no place in a name."""
    if not isinstance(value, str):
        return value
    value = value[: MAX_FIELD * 4]
    value = "".join(c for c in value if unicodedata.category(c)[0] != "C")
    return " ".join(value.split())


def _cut(limit: int):
    def cut(value):
        return value.strip()[:limit] if isinstance(value, str) else value

    return cut


def _upper(value):
    return value.upper() if isinstance(value, str) else value


class WithinRange:
    """A whole number from `low` to `high`, typed as digits; field.data becomes the number.
    `keep` names a server default (SURVIVORAPP_*) accepted as it is, even outside the bounds:
    saving other settings never forces the server's own value to change."""

    def __init__(self, low: int, high: int, message, keep: str | None = None):
        self.low, self.high, self.message, self.keep = low, high, message, keep

    def __call__(self, form, field):
        raw = field.data if isinstance(field.data, str) else ""
        number = int(raw) if re.fullmatch(r"\d{1,6}", raw) else None
        if number is not None and not self.low <= number <= self.high:
            number = None
        if number is None and self.keep:
            server = int(default(self.keep))
            number = server if raw == str(server) else None
        if number is None:
            raise ValidationError(str(self.message))
        field.data = number


def _number(label, hint, low: int, high: int, message, keep: str | None = None) -> TextField:
    return TextField(
        label,
        description=hint,
        filters=[_cut(40)],
        validators=[WithinRange(low, high, message, keep)],
        render_kw={"type": "number", "min": low, "max": high, "inputmode": "numeric"},
    )


def _language(code: str, name: str):
    return Markup('<span lang="{}">{}</span>').format(code, name)


class SettingsForm(Form):
    brand_name = TextField(
        _l("App name"),
        description=_l(
            "Shown in the title and on the home screen. Choose something neutral, like a planner."
        ),
        filters=[clean_text],
    )
    brand_icon = Radios(_l("Icon"), choices=ICON_LABELS, invalid=_l("Choose one of the icons."))
    exit_url = TextField(
        _l("Quick exit address"),
        description=_l(
            "Where the quick exit button goes: an ordinary website starting with https://."
        ),
        filters=[_cut(MAX_FIELD * 4)],
    )
    languages = Checkboxes(
        _l("Languages offered"),
        choices={code: _language(code, name) for code, name in LANGUAGE_NAMES.items()},
        invalid=_l("Choose languages from the list."),
    )
    default_locale = Choice(
        _l("Default language"),
        choices=LANGUAGE_NAMES,
        invalid=_l("Choose a language from the list."),
    )
    currency = TextField(
        _l("Currency"),
        description=_l("A three-letter code, like EUR, GBP or USD."),
        filters=[_cut(40), _upper],
    )
    timezone = TextField(
        _l("Time zone"),
        description=_l("For people who have not chosen their own, like Europe/London."),
        filters=[_cut(MAX_FIELD)],
    )
    session_idle_minutes = _number(
        _l("Sign out after inactivity (minutes)"),
        _l("From 5 to 120 minutes."),
        5,
        120,
        _l("Enter a whole number of minutes from 5 to 120."),
    )
    session_max_hours = _number(
        _l("Longest session (hours)"),
        _l("From 1 to 24 hours, however active the person is."),
        1,
        24,
        _l("Enter a whole number of hours from 1 to 24."),
    )
    enrolment_code_hours = _number(
        _l("Invitation codes last (hours)"),
        _l("From 1 to 336 hours (two weeks)."),
        1,
        336,
        _l("Enter a whole number of hours from 1 to 336 (two weeks)."),
    )
    retention_days = _number(
        _l("Keep what is left of closed accounts (days)"),
        _l(
            "From 30 to 3650 days (ten years). A closed account leaves only a note that it was "
            "closed and activity records without a name; they are deleted after this time."
        ),
        30,
        3650,
        _l("Enter a whole number of days from 30 to 3650 (ten years)."),
        keep="RETENTION_DAYS",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.default_locale.choices = [  # each name in its own language
            SelectChoice(code, name, {"lang": code}) for code, name in LANGUAGE_NAMES.items()
        ]

    def validate_brand_name(self, field):
        if not field.data:
            raise ValidationError(str(_l("Enter a name for the app.")))
        if len(field.data) > 40:
            raise ValidationError(str(_l("Use 40 characters or fewer.")))
        if giveaways(field.data):  # it shows on a phone others may look at, in any language
            raise ValidationError(
                str(
                    _l(
                        "Choose a neutral name: it shows on the phone's screen, where others "
                        "may see it."
                    )
                )
            )

    def validate_exit_url(self, field):
        url = field.data or ""
        try:
            parts = urlsplit(url)
            ok = (
                parts.scheme == "https"
                and bool(parts.hostname)
                and "." in (parts.hostname or "")
                and not parts.username
                and not parts.password
                and len(url) <= 500
                and not any(c.isspace() or ord(c) < 32 for c in url)
            )
            parts.port  # noqa: B018 - raises ValueError on a bad port
        except ValueError:
            ok = False
        if not ok:
            raise ValidationError(
                str(
                    _l(
                        "Enter a full web address that starts with https://, like "
                        "https://www.bbc.com/weather."
                    )
                )
            )

    def validate_languages(self, field):
        if not field.data:
            raise ValidationError(str(_l("Offer at least one language.")))
        field.data = [code for code in LANGUAGE_NAMES if code in field.data]

    def validate_default_locale(self, field):
        offered = [code for code in self.languages.data or () if code in LANGUAGE_NAMES]
        if offered and field.data not in offered:
            raise ValidationError(str(_l("The default language must be one of those offered.")))

    def validate_currency(self, field):
        code = field.data or ""
        if not re.fullmatch(r"[A-Z]{3}", code) or code not in currencies():
            raise ValidationError(
                str(_l("Enter a three-letter currency code, like EUR, GBP or USD."))
            )

    def validate_timezone(self, field):
        if not valid_zone(field.data):
            raise ValidationError(str(_l("Choose a time zone from the list, like Europe/London.")))

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if self.session_idle_minutes.data > self.session_max_hours.data * 60:
            self.session_idle_minutes.errors.append(
                str(_l("The idle time-out cannot be longer than the longest a session may last."))
            )
            return False
        return True


class RolesForm(Form):
    roles = Checkboxes(
        _l("What this person does here"),
        choices=ROLE_LABELS,
        invalid=_l("Choose at least one role."),
    )

    def validate_roles(self, field):
        if not field.data:
            raise ValidationError(str(_l("Choose at least one role.")))


class PeopleFilterForm(Form):
    """The filters above the people list (a GET form: formdata=request.args)."""

    q = TextField(_l("Name"), filters=[_cut(100)])
    role = Choice(
        _l("Role"),
        choices={"": _l("Any role"), **ROLE_LABELS},
        invalid=_l("Choose at least one role."),
    )
    status = Choice(
        _l("Account"),
        choices={"": _l("On or off"), "active": _l("On"), "disabled": _l("Turned off")},
        invalid=_l("Choose one of the two options."),
    )


class AssignForm(Form):
    """Put a participant on a member of staff's caseload, or on nobody's. `staff` are the
    active staff one may choose; which ids name whom is for people/access.py to say."""

    survivor = PublicIdField()
    staff = Choice(_l("Contact on staff"), invalid=_l("Choose a member of staff."))
    next = HiddenField()

    def __init__(self, *args, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.staff.choices = [SelectChoice("", str(_l("Nobody")))] + [
            SelectChoice(member.public_id, escape(member.pseudonym), {"dir": "auto"})
            for member in staff
        ]

    def for_person(self, person) -> AssignForm:
        """One form per person on a page: the select's id names them."""
        self.staff.id = self.staff.label.field_id = f"staff-{person.public_id}"
        return self


class ContactNameForm(Form):
    """The name a member of staff shows to the people they support (on /account)."""

    contact_name = TextField(
        _l("Name shown to the people you support"),
        filters=[clean_text],
        validators=[MaxChars(60, _l("Use 60 characters or fewer."))],
    )
