"""The privacy forms: the sharing choices (also part of enrolment) and the account deletion
confirmation."""

from __future__ import annotations

import unicodedata

from flask_babel import _
from flask_babel import lazy_gettext as _l

from ..forms import Form, Radios, TextField, ValidationError
from .registry import areas as consent_areas

SHARED, PRIVATE = "shared", "private"
PREFIX = "area-"  # each area's field is area-<key>
CONFIRM_MAX = 100


class ConsentChoice(Radios):
    """Share one area with the team, or keep it private. Nothing chosen and a value that is
    neither get different messages."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(
            label,
            validators,
            choices={SHARED: _l("Share with the team"), PRIVATE: _l("Keep private")},
            invalid=_l("Choose one of the two options."),
            **kwargs,
        )

    def pre_validate(self, form):
        if not self.data:
            raise ValidationError(str(_l("Choose whether to share this or keep it private.")))
        super().pre_validate(form)


class ConsentForm(Form):
    """One ConsentChoice per consent area, named area-<key>; build it with consent_form()."""

    def unknown(self) -> list[str]:
        """The area-… names sent that no area has (the whole form is then refused)."""
        sent = self._formdata or {}
        return sorted(k for k in sent if k.startswith(PREFIX) and k not in self._fields)

    def choices(self) -> dict[str, bool]:
        return {name[len(PREFIX) :]: f.data == SHARED for name, f in self._fields.items()}

    def area_fields(self):
        """(area, field) pairs, in the areas' order."""
        return [(area, self[PREFIX + area.key]) for area in consent_areas()]


def consent_form(shared: dict[str, bool] | None = None, formdata=None) -> ConsentForm:
    """A ConsentForm for today's areas: filled from `shared` ({key: bool}), or from what was
    sent (`formdata`, e.g. request.form)."""
    fields = {
        PREFIX + area.key: ConsentChoice(area.label, description=area.explains)
        for area in consent_areas()
    }
    cls = type("ConsentForm", (ConsentForm,), fields)
    data = {PREFIX + k: (SHARED if v else PRIVATE) for k, v in (shared or {}).items()}
    form = cls(formdata=formdata, data=data)
    form._formdata = formdata
    return form


def same_word(typed: str, word: str) -> bool:
    """Keyboards compose accented letters differently (Vietnamese XÓA vs XOÁ): compare the
    letters without their accents, ignoring case and the spaces around them."""

    def bare(text: str) -> str:
        decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
        return "".join(c for c in decomposed if not unicodedata.combining(c))

    return bare(typed) == bare(word)


def confirm_word() -> str:
    return _("DELETE")


class DeleteAccountForm(Form):
    confirm = TextField(shown_max=CONFIRM_MAX)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.confirm.label.text = _("To confirm, type %(word)s", word=confirm_word())

    def validate_confirm(self, field):
        if not same_word(field.data or "", confirm_word()):
            raise ValidationError(_("Type %(word)s to confirm.", word=confirm_word()))
