"""Small hand-written validators for goals: each returns the cleaned values, the errors by
field, and the raw values as typed, so a form can be shown again with nothing lost."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l

AREAS = {
    "housing": _l("Housing"),
    "work": _l("Work and training"),
    "wellbeing": _l("Wellbeing"),
    "money": _l("Money"),
    "legal": _l("Legal"),
    "family": _l("Family"),
    "education": _l("Education"),
    "other": _l("Other"),
}
TITLE_MAX = 200
WHY_MAX = 2000
STEP_MAX = 300
COMMENT_MAX = 2000


@dataclass
class Form:
    raw: dict[str, str] = field(default_factory=dict)
    data: dict[str, object] = field(default_factory=dict)
    errors: dict[str, object] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def _text(form, name: str) -> str:
    value = form.get(name, "")
    return value if isinstance(value, str) else ""


def _clean_text(f: Form, form, name: str, *, limit: int, required, too_long) -> None:
    raw = _text(form, name)
    f.raw[name] = raw
    value = raw.strip()
    if required and not value:
        f.errors[name] = required
    elif len(value) > limit:
        f.errors[name] = too_long
    f.data[name] = value or None


def parse_month(raw: str) -> date | None:
    """'2027-03' -> date(2027, 3, 1); None when it is not a month."""
    try:
        year, month = raw.split("-")
        if len(year) != 4 or len(month) != 2:
            return None
        return date(int(year), int(month), 1)
    except ValueError:
        return None


def goal_form(form, *, today: date, kept_month: date | None = None) -> Form:
    """`kept_month` is the month a goal being edited already has: it stays acceptable once it
    has passed, so changing the title of an overdue goal does not ask for a new month."""
    f = Form()
    _clean_text(
        f,
        form,
        "title",
        limit=TITLE_MAX,
        required=_l("Give your goal a short name."),
        too_long=_l("Keep the name to %(max)s characters or fewer.", max=TITLE_MAX),
    )
    _clean_text(
        f,
        form,
        "why",
        limit=WHY_MAX,
        required=None,
        too_long=_l("Keep this to %(max)s characters or fewer.", max=WHY_MAX),
    )
    area = _text(form, "area")
    f.raw["area"] = area
    if area not in AREAS:
        f.errors["area"] = _l("Choose one of the areas in the list.")
    f.data["area"] = area
    month_raw = _text(form, "target_month").strip()
    f.raw["target_month"] = month_raw
    f.data["target_month"] = None
    if month_raw:
        month = parse_month(month_raw)
        if month is None:
            f.errors["target_month"] = _l("Enter a month like 2027-03, or leave it empty.")
        elif month < today.replace(day=1) and month != kept_month:
            f.errors["target_month"] = _l("Choose this month or a later one.")
        else:
            f.data["target_month"] = month
    return f


def step_form(form) -> Form:
    f = Form()
    _clean_text(
        f,
        form,
        "text",
        limit=STEP_MAX,
        required=_l("Write what the step is."),
        too_long=_l("Keep a step to %(max)s characters or fewer.", max=STEP_MAX),
    )
    return f


def note_form(form, *, required) -> Form:
    """A comment from staff (required when asking for changes) or a survivor's note."""
    f = Form()
    _clean_text(
        f,
        form,
        "comment",
        limit=COMMENT_MAX,
        required=required,
        too_long=_l("Keep this to %(max)s characters or fewer.", max=COMMENT_MAX),
    )
    return f
