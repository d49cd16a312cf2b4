"""The forms of goals: a goal, a step, a survivor's note and a member of staff's reply."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l

from ..forms import (
    Choice,
    Form,
    MaxChars,
    MonthField,
    Required,
    TextAreaField,
    TextField,
    ValidationError,
    strip,
)
from .models import Area

AREAS = {
    Area.HOUSING: _l("Housing"),
    Area.WORK: _l("Work and training"),
    Area.WELLBEING: _l("Wellbeing"),
    Area.MONEY: _l("Money"),
    Area.LEGAL: _l("Legal"),
    Area.FAMILY: _l("Family"),
    Area.EDUCATION: _l("Education"),
    Area.OTHER: _l("Other"),
}
TITLE_MAX = 200
WHY_MAX = 2000
STEP_MAX = 300
COMMENT_MAX = 2000


class _LongText(TextAreaField):
    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("filters", [lambda value: strip(value) or None])
        super().__init__(label, validators, **kwargs)


class GoalForm(Form):
    """A new goal or a change to one. `today` is the person's own date; `kept_month` is the
    month a goal being edited already has: it stays acceptable once it has passed, so changing
    the title of an overdue goal does not ask for a new month."""

    area = Choice(
        _l("Area of life"),
        [Required(_l("Choose one of the areas in the list."))],
        choices={"": _l("Choose an area"), **AREAS},
        invalid=_l("Choose one of the areas in the list."),
    )
    title = TextField(
        _l("Your goal"),
        [
            Required(_l("Give your goal a short name.")),
            MaxChars(TITLE_MAX, _l("Keep the name to %(max)s characters or fewer.", max=TITLE_MAX)),
        ],
        description=_l("A short name, up to 200 characters. For example: a room of my own."),
    )
    why = _LongText(
        _l("Why this matters to you (optional)"),
        [MaxChars(WHY_MAX, _l("Keep this to %(max)s characters or fewer.", max=WHY_MAX))],
    )
    target_month = MonthField(
        _l("Aiming for (optional)"),
        description=_l("A month, this one or later."),
        invalid=_l("Enter a month like 2027-03, or leave it empty."),
    )

    def __init__(self, *args, today: date | None = None, kept_month: date | None = None, **kw):
        # `today` may be left out only by a form that is drawn, never one that is validated.
        super().__init__(*args, **kw)
        self.today = today
        self.kept_month = kept_month

    def validate_target_month(self, field):
        month = field.data
        if month is not None and month < self.today.replace(day=1) and month != self.kept_month:
            raise ValidationError(str(_l("Choose this month or a later one.")))

    @property
    def goal(self) -> dict:
        """What a goal is made of, for services.create_goal and services.update_goal."""
        return {name: self[name].data for name in ("area", "title", "why", "target_month")}


class StepForm(Form):
    text = TextField(
        _l("Add a step"),
        [
            Required(_l("Write what the step is.")),
            MaxChars(STEP_MAX, _l("Keep a step to %(max)s characters or fewer.", max=STEP_MAX)),
        ],
    )


class NoteForm(Form):
    """A survivor's note on disagreeing with a suggestion: optional."""

    comment = _LongText(
        _l("Your view (optional)"),
        [MaxChars(COMMENT_MAX, _l("Keep this to %(max)s characters or fewer.", max=COMMENT_MAX))],
        description=_l("Your note is shared with the person who replied."),
    )


class DecisionForm(Form):
    """Staff approve a goal, or ask for changes with a comment (then required). The decision is
    the button pressed."""

    decision = Choice(
        choices={"approve": _l("Approve"), "changes": _l("Ask for changes")},
        invalid=_l("Choose to approve, or to ask for changes."),
    )
    comment = _LongText(
        _l("Comment"),
        [MaxChars(COMMENT_MAX, _l("Keep this to %(max)s characters or fewer.", max=COMMENT_MAX))],
        description=_l("Needed when you ask for changes. The person will see it, with your name."),
    )

    def validate_comment(self, field):
        if self.decision.data == "changes" and not field.data:
            raise ValidationError(str(_l("Say what you would like changed, kindly and briefly.")))

    @property
    def approve(self) -> bool:
        return self.decision.data == "approve"


class MoveForm(Form):
    """A goal one place up or down the list. Anything else is a bad request (400)."""

    direction = Choice(
        choices={"up": _l("Up"), "down": _l("Down")},
        invalid=_l("We could not read that request. Please go back and try again."),
    )
