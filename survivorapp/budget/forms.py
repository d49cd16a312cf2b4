"""The budget's forms. Amounts are typed in the person's own locale and currency, which each
form takes as keyword arguments (`currency=`, `locale=`); the person (`user=`) gives the
categories to choose from and today's date on their calendar."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from ..forms import (
    BooleanField,
    Choice,
    DayField,
    Form,
    HiddenField,
    MaxChars,
    Radios,
    Required,
    TextAreaField,
    TextField,
    ValidationError,
    strip,
)
from ..localtime import today_for
from . import money
from .categories import (
    CUSTOM_CATEGORY_LIMIT,
    NAME_MAX,
    NOTE_MAX,
    category_choices,
    custom_categories,
)
from .models import EntryKind, SavingsKind
from .months import EARLIEST, latest_allowed

KINDS = tuple(EntryKind)
DATE_INVALID = _l("Enter a date like 2026-01-31.")
NAME_RULES = [
    Required(_l("Enter a name.")),
    MaxChars(NAME_MAX, _l("Keep the name under %(max)s characters.", max=NAME_MAX)),
]


class MoneyField(TextField):
    """An amount as the person types it ("1.234,56" in Spanish), read by money.parse_amount
    in the form's currency and locale into `data` (an int of minor units) when validated.
    Empty is an error unless `optional` (then None); `allow_zero` admits 0."""

    def __init__(self, label=None, validators=None, *, optional=False, allow_zero=False, **kw):
        super().__init__(label, validators, **kw)
        self.optional = optional
        self.allow_zero = allow_zero

    def pre_validate(self, form):
        text = self.data if isinstance(self.data, str) else ""
        if self.optional and not text:
            self.data = None
            return
        try:
            self.data = money.parse_amount(
                text, form.currency, form.locale, allow_zero=self.allow_zero
            )
        except money.MoneyError as exc:
            self.data = None
            raise ValidationError(str(exc.message)) from None

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.data if isinstance(self.data, str) else ""


class _MoneyForm(Form):
    """A form whose amounts are in `currency`, read in `locale` (None: the page's)."""

    def __init__(self, *args, currency: str = "EUR", locale=None, **kwargs):
        self.currency = currency
        self.locale = locale
        super().__init__(*args, **kwargs)


def category_options(pairs) -> list[SelectChoice]:
    """Category names may be typed by the person: each option keeps its own direction."""
    return [SelectChoice(key, label, {"dir": "auto"}) for key, label in pairs]


def _in_range(day, earliest, latest):
    if day < earliest:
        raise ValidationError(str(_l("That date is too long ago.")))
    if day > latest:
        raise ValidationError(str(_l("That date is too far ahead.")))


class EntryForm(_MoneyForm):
    """Money spent or money in. An entry being changed keeps its kind (`kind=`)."""

    kind = HiddenField()
    category = Choice(_l("Category"), invalid=_l("Choose a category from the list."))
    amount = MoneyField()
    on_date = DayField(_l("Date"), invalid=DATE_INVALID)
    note = TextAreaField(
        _l("Note (only you see it)"),
        [MaxChars(NOTE_MAX, _l("Keep the note under %(max)s characters.", max=NOTE_MAX))],
        filters=[strip],
    )

    def __init__(self, *args, user=None, kind: EntryKind | str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if kind is not None:
            self.kind.data = kind
        self.chosen_kind = (
            EntryKind(self.kind.data) if self.kind.data in KINDS else EntryKind.EXPENSE
        )
        if user is not None:
            self.category.choices = category_options(category_choices(user, self.chosen_kind))

    def validate_kind(self, field):
        if field.data not in KINDS:
            raise ValidationError(str(_l("Choose money in or money spent.")))

    def validate_on_date(self, field):
        if field.data is not None:
            _in_range(field.data, EARLIEST, latest_allowed(self.user))

    def values(self) -> dict:
        """What the services store: the kind, category, amount, date (today when left empty),
        note (None when empty) and currency."""
        return {
            "kind": self.chosen_kind,
            "category": self.category.data,
            "amount_minor": self.amount.data,
            "on_date": self.on_date.data or today_for(self.user),
            "note": self.note.data or None,
            "currency": self.currency,
        }


class PlanForm(_MoneyForm):
    """The monthly plan: one optional amount per spending category, named "plan-<key>". The
    fields depend on the person's categories, so `plan_form` makes the class per request."""

    def amounts(self) -> dict[str, int | None]:
        return {f.name.removeprefix("plan-"): f.data for f in self}


def plan_form(pairs, **kwargs) -> PlanForm:
    fields = {
        f"plan-{key}": MoneyField(label, optional=True, allow_zero=True) for key, label in pairs
    }
    return type("PersonalPlanForm", (PlanForm,), fields)(**kwargs)


class CategoryForm(Form):
    name = TextField(_l("Add a category"), NAME_RULES)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def validate_name(self, field):
        if self.user is None or field.errors:
            return
        if len(custom_categories(self.user)) >= CUSTOM_CATEGORY_LIMIT:
            raise ValidationError(
                str(_l("You have the most categories you can add. Remove one first."))
            )


def _goal_kind(value):
    return value or SavingsKind.GOAL


class GoalForm(_MoneyForm):
    kind = Radios(
        _l("What is it for?"),
        choices={
            SavingsKind.GOAL: _l("Something I am saving for"),
            SavingsKind.BILLS: _l("A bill that does not come every month"),
        },
        invalid=_l("Choose what the money is for."),
        default=SavingsKind.GOAL,
        filters=[_goal_kind],
    )
    name = TextField(_l("Name"), NAME_RULES)
    target = MoneyField()
    target_date = DayField(_l("By when (needed for a bill)"), invalid=DATE_INVALID)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def validate_target_date(self, field):
        if field.data is not None:
            today = today_for(self.user)
            _in_range(field.data, today, today + timedelta(days=366 * 30))
        elif self.kind.data == SavingsKind.BILLS and not field.errors:
            raise ValidationError(str(_l("Enter the date the bill is due.")))

    def values(self) -> dict:
        return {
            "name": self.name.data,
            "kind": SavingsKind(self.kind.data),
            "target_minor": self.target.data,
            "target_date": self.target_date.data,
            "currency": self.currency,
        }


class ContributionForm(_MoneyForm):
    """Money put into a savings goal or taken out (the button pressed says which)."""

    amount = MoneyField()
    direction = HiddenField(filters=[lambda value: value or "in"])

    def __init__(self, *args, goal=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.goal = goal

    def validate_amount(self, field):
        if self.direction.data not in ("in", "out"):
            raise ValidationError(str(_l("Choose whether to put money in or take it out.")))
        if self.direction.data == "out" and (field.data or 0) > self.goal.saved_minor:
            raise ValidationError(
                str(
                    _l(
                        "That is more than you have put aside (%(saved)s).",
                        saved=money.money(self.goal.saved_minor, self.currency),
                    )
                )
            )

    @property
    def signed_amount(self) -> int:
        """Minor units; negative for money taken out."""
        return -self.amount.data if self.direction.data == "out" else self.amount.data


def _upper(value):
    return value.upper() if isinstance(value, str) else value


class SettingsForm(Form):
    currency = TextField(
        _l("Currency"),
        description=_l(
            "A three-letter code, like EUR or USD. Amounts you already saved keep their currency."
        ),
        filters=[strip, _upper],
    )
    share_summary = BooleanField(_l("Share my monthly totals"))

    def validate_currency(self, field):
        if not money.valid_currency(field.data):
            raise ValidationError(str(_l("Enter a three-letter currency code, like EUR or USD.")))
